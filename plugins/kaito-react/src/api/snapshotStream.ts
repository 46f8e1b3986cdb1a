import { FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import { createParser } from 'eventsource-parser';
import type { KaitoStreamOptions } from './KaitoApi';
import { Backoff, backoffDelay, retryAfterMs, sleep } from './backoff';

/** Statuses a retry cannot fix: the entity, its annotation or the caller's rights are wrong. */
const FINAL_STATUSES = new Set([400, 403, 404, 409, 410, 422]);

/** Why a readiness stream ended; `final` errors end the follow. */
class StreamEnded extends Error {
  constructor(message: string, readonly retryFloorMs = 0) {
    super(message);
    this.name = 'StreamEnded';
  }
}

/** How a readiness stream is followed. */
export interface SnapshotStreamSettings {
  fetchApi: FetchApi;
  backoff: Backoff;
  /** A stream that sends nothing (not even a heartbeat) this long is treated as dropped. */
  stallTimeoutMs: number;
}

/**
 * Follows an SSE stream of `snapshot` events (the backend's readiness streams), calling
 * `onSnapshot` for each. Reconnects with backoff after drops and server-side closes. Resolves when
 * `signal` aborts; rejects on a refusal a retry cannot fix (a 4xx other than 429).
 */
export async function followSnapshotStream<T>(
  settings: SnapshotStreamSettings,
  url: string,
  onSnapshot: (snapshot: T) => void,
  signal: AbortSignal,
  options: KaitoStreamOptions = {},
): Promise<void> {
  const report = options.onStateChange ?? (() => {});
  // An object, not a `let`, so the per-connection callbacks can reset it.
  const retries = { attempt: 0 };
  report({ state: 'connecting' });
  while (!signal.aborted) {
    let floorMs = 0;
    let error: Error;
    try {
      await streamOnce<T>(settings, url, signal, {
        onOpen: () => {
          retries.attempt = 0;
          report({ state: 'live' });
        },
        onSnapshot,
        onRetry: ms => {
          floorMs = ms;
        },
      });
      error = new StreamEnded('The readiness stream closed');
    } catch (e) {
      if (signal.aborted) return;
      if (e instanceof ResponseError && FINAL_STATUSES.has(e.statusCode)) {
        throw e;
      }
      error = e as Error;
      if (e instanceof StreamEnded) floorMs = Math.max(floorMs, e.retryFloorMs);
      if (e instanceof ResponseError) {
        floorMs = Math.max(
          floorMs,
          retryAfterMs(e.response.headers.get('retry-after')),
        );
      }
    }
    if (signal.aborted) return;
    retries.attempt += 1;
    const attempt = retries.attempt;
    const retryInMs = backoffDelay(attempt, settings.backoff, floorMs);
    report({ state: 'reconnecting', attempt, retryInMs, error });
    await sleep(retryInMs, signal);
  }
}

/** One connection: resolves when the server ends the stream, throws when it fails. */
async function streamOnce<T>(
  settings: SnapshotStreamSettings,
  url: string,
  outer: AbortSignal,
  handlers: {
    onOpen(): void;
    onSnapshot(snapshot: T): void;
    onRetry(ms: number): void;
  },
): Promise<void> {
  const controller = new AbortController();
  const abort = () => controller.abort();
  outer.addEventListener('abort', abort);
  let stalled = false;
  let stallTimer: ReturnType<typeof setTimeout> | undefined;
  const armStallTimer = () => {
    clearTimeout(stallTimer);
    stallTimer = setTimeout(() => {
      stalled = true;
      controller.abort();
    }, settings.stallTimeoutMs);
  };
  try {
    armStallTimer();
    const response = await settings.fetchApi.fetch(url, {
      headers: { Accept: 'text/event-stream' },
      signal: controller.signal,
    });
    if (!response.ok) throw await ResponseError.fromResponse(response);
    if (!response.body) {
      throw new StreamEnded('The readiness stream has no body');
    }
    handlers.onOpen();
    let serverError: StreamEnded | undefined;
    const parser = createParser({
      onEvent: event => {
        if (event.event === 'snapshot') {
          handlers.onSnapshot(JSON.parse(event.data) as T);
        } else if (event.event === 'error') {
          serverError = new StreamEnded(errorMessage(event.data));
        }
      },
      onRetry: ms => handlers.onRetry(ms),
    });
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        armStallTimer();
        parser.feed(decoder.decode(value, { stream: true }));
      }
    } finally {
      reader.releaseLock();
    }
    if (serverError) throw serverError;
  } catch (error) {
    if (stalled) {
      throw new StreamEnded(
        `The readiness stream sent nothing for ${Math.round(
          settings.stallTimeoutMs / 1000,
        )} s`,
      );
    }
    throw error;
  } finally {
    clearTimeout(stallTimer);
    outer.removeEventListener('abort', abort);
    controller.abort();
  }
}

function errorMessage(data: string): string {
  try {
    const parsed = JSON.parse(data);
    const message = parsed?.error?.message;
    if (typeof message === 'string') return message;
  } catch {
    // not JSON: use the text itself
  }
  return data || 'The readiness stream reported an error';
}
