import { LoggerService } from '@backstage/backend-plugin-api';
import {
  KubernetesClient,
  KubernetesRequestError,
  Query,
  WatchEvent,
} from '../kubernetes/KubernetesClient';
import { sleep } from './sleep';

/** Counters for one reflector; the fan-out benchmark reads them. */
export interface ReflectorStats {
  lists: number;
  watches: number;
  /** Relists forced by 410 Gone (resourceVersion too old). */
  expired: number;
  errors: number;
}

export interface ReflectorHandlers {
  /** Replaces the whole set (after every list). */
  onReset(items: any[]): void;
  onEvent(type: 'ADDED' | 'MODIFIED' | 'DELETED', object: any): void;
  /** Every failed list or watch, so callers can report state. */
  onError?(error: Error): void;
}

export interface ReflectorOptions {
  client: KubernetesClient;
  /** Collection path, e.g. `/apis/kaito.sh/v1beta1/workspaces`. */
  path: string;
  labelSelector?: string;
  fieldSelector?: string;
  logger: LoggerService;
  /** Server-side watch timeout; the watch is then resumed (default 300 s). */
  watchTimeoutSeconds?: number;
  /** Backoff after failures: min and max (default 500 ms .. 30 s). */
  backoffMs?: { min: number; max: number };
  /** Path that may legitimately not exist (CRD not installed): retry slowly. */
  optional?: boolean;
}

/**
 * A list then watch loop, like a client-go reflector (named apart from
 * `@kubernetes/client-node`'s `ListWatch`, an informer with its own cache,
 * which this is not: it hands every list and event to its handlers). It
 * resumes the watch from the last resourceVersion it saw (bookmarks keep that
 * fresh), and lists again only when the server says the version is gone
 * (410) or after a failure left it without one.
 */
export class Reflector {
  readonly stats: ReflectorStats = {
    lists: 0,
    watches: 0,
    expired: 0,
    errors: 0,
  };
  readonly #opts: ReflectorOptions;
  readonly #handlers: ReflectorHandlers;
  readonly #abort = new AbortController();
  #resourceVersion?: string;
  #synced = false;
  #healthy = false;
  #running?: Promise<void>;
  #resolveSynced!: () => void;
  /** Resolves after the first successful list. */
  readonly whenSynced: Promise<void>;

  constructor(options: ReflectorOptions, handlers: ReflectorHandlers) {
    this.#opts = options;
    this.#handlers = handlers;
    this.whenSynced = new Promise(r => {
      this.#resolveSynced = r;
    });
  }

  get synced() {
    return this.#synced;
  }

  /** False while the last list or watch attempt failed. */
  get healthy() {
    return this.#healthy;
  }

  start() {
    this.#running ??= this.#loop();
  }

  async stop() {
    this.#abort.abort();
    await this.#running;
  }

  async #loop() {
    const signal = this.#abort.signal;
    const { min, max } = this.#opts.backoffMs ?? { min: 500, max: 30_000 };
    let failures = 0;
    while (!signal.aborted) {
      try {
        if (!this.#resourceVersion) await this.#list(signal);
        if (signal.aborted) break;
        await this.#watch(signal);
        failures = 0;
      } catch (error) {
        if (signal.aborted) break;
        const e = error as KubernetesRequestError;
        if (e.statusCode === 410) {
          this.stats.expired++;
          this.#resourceVersion = undefined;
          continue;
        }
        this.stats.errors++;
        this.#healthy = false;
        failures++;
        this.#handlers.onError?.(e);
        const missing = e.statusCode === 404 && this.#opts.optional;
        if (!missing) {
          // A first dropped connection is routine (API server restart, load
          // balancer, or this backend's own shutdown racing the socket): note
          // it and resume; warn when the retry fails too. The message already
          // names the cluster; the fields give the resource.
          const level =
            failures === 1 && e.statusCode === undefined ? 'info' : 'warn';
          this.#opts.logger[level](
            `${e.message}; retrying (watch of ${this.#opts.path})`,
            {
              cluster: this.#opts.client.cluster.name,
              resource: this.#opts.path,
              failures,
            },
          );
        }
        // Keep the version across network failures: the server answers 410
        // if it is too old. Only a vanished resource type needs a fresh list.
        if (e.statusCode === 404) this.#resourceVersion = undefined;
        const base = missing ? max : Math.min(max, min * 2 ** (failures - 1));
        await sleep(base * (0.8 + Math.random() * 0.4), signal);
      }
    }
  }

  #selectors(): Query {
    return {
      labelSelector: this.#opts.labelSelector,
      fieldSelector: this.#opts.fieldSelector,
    };
  }

  async #list(signal: AbortSignal) {
    this.stats.lists++;
    const list = await this.#opts.client.getJson(
      this.#opts.path,
      this.#selectors(),
      {
        signal,
      },
    );
    if (!Array.isArray(list?.items)) {
      throw new KubernetesRequestError(
        `${this.#opts.path} did not return a list`,
      );
    }
    this.#resourceVersion = list.metadata?.resourceVersion ?? '0';
    this.#healthy = true;
    this.#handlers.onReset(list.items);
    if (!this.#synced) {
      this.#synced = true;
      this.#resolveSynced();
    }
  }

  async #watch(signal: AbortSignal) {
    this.stats.watches++;
    let gone: KubernetesRequestError | undefined;
    const watchAbort = new AbortController();
    const stop = AbortSignal.any([signal, watchAbort.signal]);
    const timeout = this.#opts.watchTimeoutSeconds ?? 300;
    // A watch the network silently dropped sends nothing, not even
    // bookmarks; give up on it a minute after the server should have closed it.
    let stall: NodeJS.Timeout | undefined;
    // client-node's line reader can still deliver buffered events after the
    // watch ended. They are dropped: the next watch resumes from the last
    // version recorded here, so the server sends them again, and a late event
    // must not re-arm a stall timer that nothing would clear.
    let over = false;
    const armStall = () => {
      clearTimeout(stall);
      stall = setTimeout(() => watchAbort.abort(), (timeout + 60) * 1000);
    };
    armStall();
    const onEvent = (event: WatchEvent) => {
      armStall();
      this.#healthy = true;
      const rv = event.object?.metadata?.resourceVersion;
      if (event.type === 'ERROR') {
        const code = event.object?.code;
        gone = new KubernetesRequestError(
          event.object?.message ?? 'watch error',
          typeof code === 'number' ? code : undefined,
          event.object?.reason,
        );
        watchAbort.abort();
        return;
      }
      if (typeof rv === 'string') this.#resourceVersion = rv;
      if (
        event.type === 'ADDED' ||
        event.type === 'MODIFIED' ||
        event.type === 'DELETED'
      ) {
        this.#handlers.onEvent(event.type, event.object);
      }
    };
    const startedAt = Date.now();
    let events = 0;
    const counted = (event: WatchEvent) => {
      if (over) return;
      events++;
      onEvent(event);
    };
    try {
      await this.#opts.client.watch(
        this.#opts.path,
        {
          ...this.#selectors(),
          resourceVersion: this.#resourceVersion,
          allowWatchBookmarks: true,
          timeoutSeconds: timeout,
        },
        counted,
        stop,
      );
    } finally {
      over = true;
      clearTimeout(stall);
    }
    if (gone) throw gone;
    if (!signal.aborted && events === 0 && Date.now() - startedAt < 1000) {
      // A server or proxy that closes watches at once must not make us spin.
      throw new KubernetesRequestError('the watch closed immediately');
    }
  }
}
