import { LoggerService } from '@backstage/backend-plugin-api';
import {
  WorkspaceKey,
  WorkspaceWatcher,
  formatSseComment,
  formatSseEvent,
} from '@kaito-backstage/plugin-kaito-node';
import { Response } from 'express';
import { KaitoHttpError } from './errors';
import { KaitoLimits, PerUserLimiter } from './limits';
import { KaitoMetrics } from './metrics';
import { startSse } from './sseResponse';

/** One open `.../workspace/events` response. */
class ReadinessConnection {
  #seq = 0;
  #closed = false;
  #unsubscribe?: () => void;
  readonly #heartbeat: NodeJS.Timeout;
  readonly #maxAge: NodeJS.Timeout;

  constructor(
    private readonly res: Response,
    limits: KaitoLimits,
    private readonly onEnd: () => void,
  ) {
    startSse(res);
    // Tells EventSource how soon to come back after a max-age close.
    res.write('retry: 2000\n\n');
    this.#heartbeat = setInterval(
      () => res.write(formatSseComment('heartbeat')),
      limits.heartbeatMs,
    );
    this.#maxAge = setTimeout(
      () => this.end('max-age'),
      limits.readinessStreamMaxAgeMs,
    );
    res.on('close', () => this.end('client'));
  }

  get closed() {
    return this.#closed;
  }

  attach(unsubscribe: () => void) {
    if (this.#closed) unsubscribe();
    else this.#unsubscribe = unsubscribe;
  }

  send(event: string, data: unknown) {
    if (this.#closed) return;
    this.res.write(
      formatSseEvent({
        event,
        id: String(++this.#seq),
        data: JSON.stringify(data),
      }),
    );
  }

  /** Ends the stream; tells the client why unless it was the one leaving. */
  end(reason: string) {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#heartbeat);
    clearTimeout(this.#maxAge);
    this.#unsubscribe?.();
    this.onEnd();
    if (!this.res.writableEnded && !this.res.destroyed) {
      if (reason !== 'client') {
        this.res.write(
          formatSseEvent({ event: 'end', data: JSON.stringify({ reason }) }),
        );
      }
      this.res.end();
    }
  }
}

/**
 * Serves `.../workspace/events`: one `snapshot` event now and on every
 * change, heartbeats in between, all from the shared watcher. Streams end
 * cleanly on client disconnect, on shutdown and after a maximum age (the
 * client reconnects, which re-checks its credentials and permission).
 */
export class ReadinessStreams {
  readonly #open = new Set<ReadinessConnection>();
  readonly #limiter: PerUserLimiter;

  constructor(
    private readonly watcher: WorkspaceWatcher,
    private readonly limits: KaitoLimits,
    private readonly metrics: KaitoMetrics,
    private readonly logger: LoggerService,
  ) {
    this.#limiter = new PerUserLimiter(() => limits.maxReadinessStreamsPerUser);
  }

  get openCount() {
    return this.#open.size;
  }

  async serve(res: Response, key: WorkspaceKey, actor: string) {
    await this.serveSubscription(
      res,
      actor,
      `${key.namespace}/${key.name}`,
      send => this.watcher.subscribe(key, snapshot => send(snapshot)),
    );
  }

  /**
   * Serves any subscription as a readiness stream (`snapshot` events, the
   * same per-user limit, heartbeats and maximum age): the RAGEngine stream
   * uses it with the RAGEngine watcher.
   */
  async serveSubscription(
    res: Response,
    actor: string,
    label: string,
    subscribe: (send: (snapshot: unknown) => void) => Promise<() => void>,
  ) {
    // The caller left while its credentials and entity were checked: its
    // 'close' has fired already, so a stream opened now would never end.
    if (res.destroyed) return;
    const release = this.#limiter.tryAcquire(actor);
    if (!release) {
      throw new KaitoHttpError(
        429,
        'limit_exceeded',
        `You already have ${this.limits.maxReadinessStreamsPerUser} readiness streams open (kaito.limits.maxReadinessStreamsPerUser); close some tabs`,
        { limit: 'maxReadinessStreamsPerUser', retryAfter: '5' },
      );
    }
    this.metrics.viewerOpened();
    const connection: ReadinessConnection = new ReadinessConnection(
      res,
      this.limits,
      () => {
        this.#open.delete(connection);
        release();
        this.metrics.viewerClosed();
      },
    );
    this.#open.add(connection);
    try {
      connection.attach(
        await subscribe(snapshot => connection.send('snapshot', snapshot)),
      );
    } catch (error) {
      this.logger.warn(
        `Readiness stream for ${label} failed: ${(error as Error).message}`,
      );
      connection.send('error', {
        error: { message: (error as Error).message },
      });
      connection.end('error');
    }
  }

  /** Ends every open stream (backend shutdown). */
  closeAll() {
    for (const connection of [...this.#open]) connection.end('shutdown');
  }
}
