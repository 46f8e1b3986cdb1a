/** Why an inference call failed, in terms a caller can act on. */
export type UpstreamErrorKind =
  /** The model server is overloaded (its 429); retry after `retryAfter`. */
  | 'rate_limited'
  /** The model server answered 5xx. */
  | 'upstream_error'
  /** The model server rejected the request (its 4xx other than 429). */
  | 'upstream_rejected'
  /** No connection, or the connection dropped. */
  | 'unreachable'
  /** No answer within the time limit. */
  | 'timeout'
  /** The answer was not what the protocol promises (bad JSON, bad SSE). */
  | 'invalid_response'
  /** The caller's request cannot be sent (a model this target does not serve, a body that cannot be serialised): 400. */
  | 'invalid_request';

/**
 * An inference failure. Messages are written for the person chatting and
 * never include upstream URLs, tokens or stack traces.
 */
export class UpstreamError extends Error {
  readonly name = 'UpstreamError';
  constructor(
    readonly kind: UpstreamErrorKind,
    message: string,
    /** HTTP status kaito-backend should answer with. */
    readonly status: number,
    readonly details: { retryAfter?: string; upstreamStatus?: number } = {},
  ) {
    super(message);
  }
}

/** Maps a non-2xx upstream status and body to an UpstreamError. */
export function upstreamStatusError(
  label: string,
  status: number,
  body: string,
  retryAfter?: string,
): UpstreamError {
  const detail = upstreamMessage(body);
  if (status === 429) {
    return new UpstreamError(
      'rate_limited',
      `${label} is busy${detail ? ` (${detail})` : ''}; retry${
        retryAfter ? ` after ${retryAfter} s` : ' shortly'
      }`,
      429,
      { retryAfter, upstreamStatus: status },
    );
  }
  if (status === 401 || status === 403) {
    // The portal's own credentials were refused, not the caller's.
    return new UpstreamError(
      'upstream_error',
      `${label} refused the portal's credentials (HTTP ${status}); check the cluster's auth settings and RBAC (services/proxy)`,
      502,
      { upstreamStatus: status },
    );
  }
  if (status >= 500) {
    return new UpstreamError(
      'upstream_error',
      `${label} failed with HTTP ${status}${detail ? `: ${detail}` : ''}`,
      502,
      { upstreamStatus: status },
    );
  }
  return new UpstreamError(
    'upstream_rejected',
    `${label} rejected the request with HTTP ${status}${
      detail ? `: ${detail}` : ''
    }`,
    status >= 400 && status < 500 ? status : 502,
    { upstreamStatus: status },
  );
}

/** The human part of an error body (OpenAI, FastAPI or Kubernetes Status shape). */
export function upstreamMessage(body: string): string {
  let text = '';
  try {
    const parsed = JSON.parse(body);
    text =
      (typeof parsed?.error?.message === 'string' && parsed.error.message) ||
      (typeof parsed?.error === 'string' && parsed.error) ||
      (typeof parsed?.detail === 'string' && parsed.detail) ||
      (typeof parsed?.message === 'string' && parsed.message) ||
      '';
  } catch {
    text = /<[a-z!]/i.test(body) ? '' : body;
  }
  // eslint-disable-next-line no-control-regex
  const controlChars = /[\u0000-\u001f]+/g;
  return redactAddresses(text.replace(controlChars, ' ')).trim().slice(0, 300);
}

/**
 * Cluster-internal addresses (pod and service IPs, in-cluster host names,
 * with their ports), as in the API server's `dial tcp 10.244.1.7:5000:
 * connect: connection refused`. They map the network for whoever chats and
 * say nothing a caller can act on.
 */
const ADDRESSES = [
  /\b(?:\d{1,3}\.){3}\d{1,3}(?::\d{1,5})?\b/g,
  /\[[0-9a-f:.]*:[0-9a-f:.]*\](?::\d{1,5})?/gi,
  /\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.svc(?:\.[a-z0-9-]+)*(?::\d{1,5})?\b/gi,
];

function redactAddresses(text: string): string {
  return ADDRESSES.reduce((t, re) => t.replace(re, '<address>'), text);
}
