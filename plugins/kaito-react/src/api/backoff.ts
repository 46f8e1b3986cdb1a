/**
 * Exponential backoff with full jitter: attempt 1 waits up to `minMs`, each further attempt doubles
 * the ceiling up to `maxMs`. A server's `Retry-After` / SSE `retry:` is a floor, even above `maxMs`.
 */
export interface Backoff {
  minMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { minMs: 500, maxMs: 30_000 };

export function backoffDelay(
  attempt: number,
  backoff: Backoff,
  floorMs = 0,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(
    backoff.maxMs,
    backoff.minMs * 2 ** Math.max(0, attempt - 1),
  );
  const jittered = ceiling / 2 + (random() * ceiling) / 2;
  return Math.max(floorMs, Math.min(backoff.maxMs, Math.round(jittered)));
}

/** `Retry-After` in ms (seconds or HTTP date), or 0. */
export function retryAfterMs(header: string | null, now = Date.now()): number {
  if (!header) return 0;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? 0 : Math.max(0, date - now);
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise(resolve => {
    if (signal.aborted) {
      resolve();
      return;
    }
    let timer: ReturnType<typeof setTimeout> | undefined = undefined;
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
  });
}
