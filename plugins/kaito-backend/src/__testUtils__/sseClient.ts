import { SseEvent, SseParser } from '@kaito-backstage/plugin-kaito-node';
import http from 'node:http';

/** A raw streaming HTTP client: records status, headers and SSE events as they arrive. */
export class StreamClient {
  status?: number;
  headers?: http.IncomingHttpHeaders;
  events: SseEvent[] = [];
  raw = '';
  ended = false;
  firstByteAt?: number;
  readonly startedAt = performance.now();
  readonly done: Promise<void>;
  private req!: http.ClientRequest;
  #res?: http.IncomingMessage;
  #listeners = new Set<() => void>();

  constructor(
    url: string,
    options: {
      method?: string;
      headers?: Record<string, string>;
      body?: string;
    } = {},
  ) {
    const parser = new SseParser();
    this.done = new Promise(resolve => {
      this.req = http.request(
        url,
        { method: options.method ?? 'GET', headers: options.headers },
        res => {
          this.#res = res;
          this.status = res.statusCode;
          this.headers = res.headers;
          res.on('data', (chunk: Buffer) => {
            this.firstByteAt ??= performance.now();
            this.raw += chunk.toString();
            try {
              this.events.push(...parser.push(chunk).events);
            } catch {
              // not SSE; raw keeps the text
            }
            this.#listeners.forEach(l => l());
          });
          const end = () => {
            if (this.ended) return;
            this.ended = true;
            this.events.push(...parser.flush().events);
            this.#listeners.forEach(l => l());
            resolve();
          };
          res.on('end', end);
          res.on('close', end);
          res.on('error', end);
        },
      );
      this.req.on('error', () => {
        this.ended = true;
        resolve();
      });
      this.req.end(options.body);
    });
  }

  /** Resolves when predicate holds (checked on every chunk), or rejects after timeoutMs. */
  until(
    predicate: (c: StreamClient) => boolean,
    what: string,
    timeoutMs = 5000,
  ): Promise<void> {
    return new Promise((resolve, reject) => {
      const state: { timer?: NodeJS.Timeout; check: () => void } = {
        check: () => {},
      };
      const cleanup = () => {
        clearTimeout(state.timer);
        this.#listeners.delete(state.check);
      };
      state.check = () => {
        if (predicate(this)) {
          cleanup();
          resolve();
        } else if (this.ended) {
          cleanup();
          reject(
            new Error(
              `stream ended before ${what}; got ${this.raw.slice(-500)}`,
            ),
          );
        }
      };
      const check = state.check;
      state.timer = setTimeout(() => {
        cleanup();
        reject(
          new Error(
            `timed out waiting for ${what}; got ${this.raw.slice(-500)}`,
          ),
        );
      }, timeoutMs);
      this.#listeners.add(check);
      check();
    });
  }

  /** JSON data of events (skips `[DONE]`). */
  json(): any[] {
    return this.events
      .filter(e => e.data !== '[DONE]')
      .map(e => JSON.parse(e.data));
  }

  abort() {
    this.req.destroy();
    this.#res?.destroy();
  }
}
