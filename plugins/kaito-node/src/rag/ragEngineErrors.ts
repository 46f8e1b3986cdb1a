import { describeNetworkError } from '../kubernetes/KubernetesClient';
import {
  UpstreamError,
  upstreamMessage,
  upstreamStatusError,
} from '../inference/UpstreamError';

/**
 * The engine's words from an error body. FastAPI answers `{"detail": "..."}`,
 * and `{"detail": [{loc, msg}]}` for request validation (422); both become
 * one sentence, capped, with cluster-internal addresses redacted.
 */
export function ragErrorDetail(body: string): string {
  try {
    const parsed = JSON.parse(body);
    if (Array.isArray(parsed?.detail)) {
      const text = parsed.detail
        .slice(0, 5)
        .map((d: { loc?: unknown[]; msg?: unknown }) => {
          const where = Array.isArray(d?.loc)
            ? d.loc.filter(p => p !== 'body' && p !== 'query').join('.')
            : '';
          return `${where ? `${where}: ` : ''}${String(d?.msg ?? '')}`;
        })
        .join('; ');
      return upstreamMessage(JSON.stringify({ detail: text }));
    }
  } catch {
    // not JSON: upstreamMessage copes
  }
  return upstreamMessage(body);
}

/** True when a 404 came from the API server (no such Service), not from the engine. */
function isKubernetesStatus(body: string): boolean {
  try {
    return JSON.parse(body)?.kind === 'Status';
  } catch {
    return false;
  }
}

/**
 * Maps a non-2xx answer of a RAGEngine to an {@link UpstreamError}: the
 * engine's refusals (4xx) keep their status and its `detail`; a missing
 * Service, auth failures, overload and 5xx are the portal's gateway errors.
 */
export function ragStatusError(
  label: string,
  status: number,
  body: string,
  retryAfter?: string,
): UpstreamError {
  if (status === 404 && isKubernetesStatus(body)) {
    return new UpstreamError(
      'unreachable',
      `${label} has no Service to reach yet; wait until the RAGEngine is Ready`,
      502,
      { upstreamStatus: status },
    );
  }
  if (status >= 400 && status < 500 && ![401, 403, 429].includes(status)) {
    const detail = ragErrorDetail(body);
    return new UpstreamError(
      'upstream_rejected',
      `${label} refused the request (HTTP ${status})${
        detail ? `: ${detail}` : ''
      }`,
      status === 422 ? 400 : status,
      { upstreamStatus: status },
    );
  }
  return upstreamStatusError(label, status, body, retryAfter);
}

/** A socket-level failure or deadline as an UpstreamError. */
export function ragNetworkError(
  label: string,
  error: unknown,
  signal?: AbortSignal,
): UpstreamError {
  if (error instanceof UpstreamError) return error;
  const reason = signal?.aborted
    ? (signal.reason as { name?: string } | undefined)
    : undefined;
  if (reason instanceof UpstreamError) return reason;
  if (reason?.name === 'TimeoutError') {
    return new UpstreamError('timeout', `${label} did not answer in time`, 504);
  }
  return new UpstreamError(
    'unreachable',
    `${label} could not be reached (${describeNetworkError(error)})`,
    502,
  );
}
