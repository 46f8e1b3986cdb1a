import http from 'node:http';
import { AddressInfo } from 'node:net';

/** One request the proxy saw, and whether it is still open. */
export interface ProxiedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  open: boolean;
}

/**
 * An HTTP proxy in front of the simulator's Kubernetes API that records every
 * request and when each one closed, and can hold requests unanswered, so
 * tests can see which list and watch calls a cache makes and that it ends them.
 */
export class RecordingProxy {
  readonly requests: ProxiedRequest[] = [];
  /** Requests whose path matches are held open and never answered. */
  hold?: RegExp;
  url = '';
  readonly #server: http.Server;
  readonly #listeners = new Set<() => void>();
  readonly #sockets = new Set<import('node:net').Socket>();

  private constructor(private readonly target: string) {
    this.#server = http.createServer((req, res) => this.#handle(req, res));
    this.#server.on('connection', s => {
      this.#sockets.add(s);
      s.on('close', () => this.#sockets.delete(s));
    });
  }

  static async start(target: string) {
    const p = new RecordingProxy(target);
    await new Promise<void>(r => p.#server.listen(0, '127.0.0.1', () => r()));
    p.url = `http://127.0.0.1:${(p.#server.address() as AddressInfo).port}`;
    return p;
  }

  /** Requests still open whose path matches. */
  openRequests(path?: RegExp) {
    return this.requests.filter(r => r.open && (!path || path.test(r.path)));
  }

  /** Resolves once predicate holds; checked whenever a request starts or ends. */
  until(predicate: () => boolean, what: string, timeoutMs = 5000) {
    return new Promise<void>((resolve, reject) => {
      const state: { timer?: NodeJS.Timeout } = {};
      const check = () => {
        if (!predicate()) return;
        this.#listeners.delete(check);
        clearTimeout(state.timer);
        resolve();
      };
      state.timer = setTimeout(() => {
        this.#listeners.delete(check);
        reject(new Error(`timed out waiting for ${what}`));
      }, timeoutMs);
      this.#listeners.add(check);
      check();
    });
  }

  #changed() {
    [...this.#listeners].forEach(l => l());
  }

  #handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? '/', this.target);
    const record: ProxiedRequest = {
      method: req.method ?? '',
      path: url.pathname,
      query: url.searchParams,
      open: true,
    };
    this.requests.push(record);
    res.on('close', () => {
      record.open = false;
      this.#changed();
    });
    this.#changed();
    if (this.hold?.test(url.pathname)) return;
    const up = http.request(
      url,
      { method: req.method, headers: { ...req.headers, host: url.host } },
      upRes => {
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        upRes.pipe(res);
      },
    );
    up.on('error', () => res.destroy());
    res.on('close', () => up.destroy());
    req.pipe(up);
  }

  async stop() {
    for (const s of this.#sockets) s.destroy();
    await new Promise(r => this.#server.close(r));
  }
}
