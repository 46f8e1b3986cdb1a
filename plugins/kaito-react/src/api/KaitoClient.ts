import { parseEntityRef } from '@backstage/catalog-model';
import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type { WorkspaceSnapshot } from '@kaito-backstage/plugin-kaito-common';
import { createParser } from 'eventsource-parser';
import type {
  EntityWorkspaceLoad,
  EntityWorkspaceSnapshot,
  KaitoApi,
  KaitoStreamOptions,
  KaitoWorkspaceList,
} from './KaitoApi';
import {
  Backoff,
  DEFAULT_BACKOFF,
  backoffDelay,
  retryAfterMs,
  sleep,
} from './backoff';

/** Statuses a retry cannot fix: the entity, its annotation or the caller's rights are wrong. */
const FINAL_STATUSES = new Set([400, 403, 404, 409, 410, 422]);

/**
 * Options of {@link KaitoClient}.
 *
 * @public
 */
export interface KaitoClientOptions {
  discoveryApi: DiscoveryApi;
  fetchApi: FetchApi;
  /** Reconnect backoff of readiness streams (default 500 ms doubling to 30 s, jittered). */
  backoff?: { minMs: number; maxMs: number };
  /**
   * A readiness stream that sends nothing (not even a heartbeat) this long is treated as dropped
   * and reopened. Default 45 s, three of the backend's default 15 s heartbeats.
   */
  stallTimeoutMs?: number;
}

/** Why a readiness stream ended; `final` errors end streamWorkspace. */
class StreamEnded extends Error {
  constructor(message: string, readonly retryFloorMs = 0) {
    super(message);
    this.name = 'StreamEnded';
  }
}

/**
 * The default {@link KaitoApi}: `fetchApi` (Backstage credentials) against the `kaito` backend
 * plugin found through `discoveryApi`. Readiness streams are parsed with `eventsource-parser`.
 *
 * @public
 */
export class KaitoClient implements KaitoApi {
  readonly #discoveryApi: DiscoveryApi;
  readonly #fetchApi: FetchApi;
  readonly #backoff: Backoff;
  readonly #stallTimeoutMs: number;

  constructor(options: KaitoClientOptions) {
    this.#discoveryApi = options.discoveryApi;
    this.#fetchApi = options.fetchApi;
    this.#backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.#stallTimeoutMs = options.stallTimeoutMs ?? 45_000;
  }

  async getWorkspace(entityRef: string): Promise<EntityWorkspaceSnapshot> {
    return this.#getJson(`${await this.#entityUrl(entityRef)}/workspace`);
  }

  async getWorkspaceLoad(entityRef: string): Promise<EntityWorkspaceLoad> {
    return this.#getJson(`${await this.#entityUrl(entityRef)}/load`);
  }

  async listWorkspaces(): Promise<KaitoWorkspaceList> {
    const base = await this.#discoveryApi.getBaseUrl('kaito');
    return this.#getJson(`${base}/workspaces`);
  }

  async streamWorkspace(
    entityRef: string,
    onSnapshot: (snapshot: WorkspaceSnapshot) => void,
    signal: AbortSignal,
    options: KaitoStreamOptions = {},
  ): Promise<void> {
    const url = `${await this.#entityUrl(entityRef)}/workspace/events`;
    const report = options.onStateChange ?? (() => {});
    // An object, not a `let`, so the per-connection callbacks can reset it.
    const retries = { attempt: 0 };
    report({ state: 'connecting' });
    while (!signal.aborted) {
      let floorMs = 0;
      let error: Error;
      try {
        await this.#streamOnce(url, signal, {
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
        if (e instanceof StreamEnded)
          floorMs = Math.max(floorMs, e.retryFloorMs);
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
      const retryInMs = backoffDelay(attempt, this.#backoff, floorMs);
      report({ state: 'reconnecting', attempt, retryInMs, error });
      await sleep(retryInMs, signal);
    }
  }

  /** One connection: resolves when the server ends the stream, throws when it fails. */
  async #streamOnce(
    url: string,
    outer: AbortSignal,
    handlers: {
      onOpen(): void;
      onSnapshot(snapshot: WorkspaceSnapshot): void;
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
      }, this.#stallTimeoutMs);
    };
    try {
      armStallTimer();
      const response = await this.#fetchApi.fetch(url, {
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
            handlers.onSnapshot(JSON.parse(event.data) as WorkspaceSnapshot);
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
            this.#stallTimeoutMs / 1000,
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

  async #entityUrl(entityRef: string): Promise<string> {
    const { kind, namespace, name } = parseEntityRef(entityRef);
    const base = await this.#discoveryApi.getBaseUrl('kaito');
    return `${base}/entity/${[kind, namespace, name]
      .map(p => encodeURIComponent(p.toLocaleLowerCase('en-US')))
      .join('/')}`;
  }

  async #getJson<T>(url: string): Promise<T> {
    const response = await this.#fetchApi.fetch(url);
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return (await response.json()) as T;
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
