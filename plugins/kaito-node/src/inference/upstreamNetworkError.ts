import { describeNetworkError } from '../kubernetes/KubernetesClient';
import { UpstreamError } from './UpstreamError';

/**
 * Turns a socket-level failure into an UpstreamError (timeout vs
 * unreachable). The message names the target by its label and the failure
 * by its code, never by the upstream's URL or address.
 */
export function networkError(
  label: string,
  error: unknown,
  signal?: AbortSignal,
): UpstreamError {
  if (error instanceof UpstreamError) return error;
  if (signal?.aborted) {
    const reason = signal.reason as { name?: string } | undefined;
    if (reason instanceof UpstreamError) return reason;
    if (reason?.name === 'TimeoutError') {
      return new UpstreamError(
        'timeout',
        `${label} did not answer in time`,
        504,
      );
    }
  }
  return new UpstreamError(
    'unreachable',
    `${label} could not be reached (${describeNetworkError(error)})`,
    502,
  );
}

/** Resolves like promise, but rejects (as a network error of `label`) as soon as signal aborts. */
export function raceAbort<T>(
  promise: Promise<T>,
  signal: AbortSignal,
  label: string,
): Promise<T> {
  if (signal.aborted)
    return Promise.reject(networkError(label, signal.reason, signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(networkError(label, signal.reason, signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      v => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      e => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
