import http from 'node:http';
import { AddressInfo } from 'node:net';

/** API requests by kind, as the cluster sees them. */
export interface RequestCounts {
  list: number;
  watch: number;
  discovery: number;
  other: number;
}

function classify(method: string, url: URL): keyof RequestCounts {
  if (url.searchParams.get('watch') === 'true') return 'watch';
  if (method !== 'GET' || url.pathname.includes('/proxy')) return 'other';
  return /^\/apis\/[^/]+$/.test(url.pathname) ? 'discovery' : 'list';
}

/**
 * An HTTP forwarder in front of the cluster API that counts what the backend
 * asks for, so the fan-out benchmark can show requests come from watches and
 * relists only, not from viewers.
 */
export class CountingProxy {
  counts: RequestCounts = { list: 0, watch: 0, discovery: 0, other: 0 };
  log: Array<{ at: number; kind: keyof RequestCounts; path: string }> = [];
  #server: http.Server;
  url = '';

  private constructor(target: string) {
    const agent = new http.Agent({ keepAlive: true });
    this.#server = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const kind = classify(req.method ?? 'GET', url);
      this.counts[kind]++;
      this.log.push({ at: Date.now(), kind, path: url.pathname });
      const t = new URL(req.url ?? '/', target);
      const up = http.request(
        t,
        {
          method: req.method,
          headers: { ...req.headers, host: t.host },
          agent,
        },
        upRes => {
          res.writeHead(upRes.statusCode ?? 502, upRes.headers);
          upRes.pipe(res);
        },
      );
      up.on('error', () => res.destroy());
      res.on('close', () => up.destroy());
      req.pipe(up);
    });
  }

  static async start(target: string) {
    const p = new CountingProxy(target);
    await new Promise<void>(r => p.#server.listen(0, '127.0.0.1', () => r()));
    p.url = `http://127.0.0.1:${(p.#server.address() as AddressInfo).port}`;
    return p;
  }

  countSince(t: number): RequestCounts {
    const c: RequestCounts = { list: 0, watch: 0, discovery: 0, other: 0 };
    for (const e of this.log) if (e.at >= t) c[e.kind]++;
    return c;
  }

  stop() {
    this.#server.closeAllConnections();
    this.#server.close();
  }
}
