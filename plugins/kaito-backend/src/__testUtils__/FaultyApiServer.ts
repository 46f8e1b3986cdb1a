import http from 'node:http';
import { AddressInfo } from 'node:net';

/** What goes wrong on the way to one Workspace's model server. */
export type UpstreamFault =
  | 'http500'
  | 'http503'
  | 'http429'
  | 'resetMidStream'
  | 'invalidSse'
  | 'notEventStream'
  | 'stallBeforeFirstByte'
  | 'stallMidStream'
  | 'endWithoutDone';

const CHAT =
  /^\/api\/v1\/namespaces\/([^/]+)\/services\/([^/:]+):[^/]+\/proxy\/v1\/chat\/completions$/;

/**
 * An API server front that forwards everything to the simulator, except chat
 * requests for Workspaces given a fault: there it misbehaves the way real
 * model servers and networks do. It also records when each upstream chat
 * request was closed by kaito-backend, so tests can time aborts.
 */
export class FaultyApiServer {
  readonly faults = new Map<string, UpstreamFault>();
  /** performance.now() at which kaito-backend closed each chat request, by Workspace name. */
  readonly closedAt = new Map<string, number>();
  /** Chat requests seen, by Workspace name. */
  readonly chats = new Map<string, number>();
  /** Every service-proxy request (method, path, authorization header) that reached the cluster. */
  readonly proxied: Array<{
    method: string;
    path: string;
    authorization?: string;
    headers: http.IncomingHttpHeaders;
  }> = [];
  /** Every request that arrived, with its headers. */
  readonly requests: Array<{
    method: string;
    path: string;
    headers: http.IncomingHttpHeaders;
  }> = [];
  /** When set, added as the bearer token on forwarded requests (like `kubectl proxy`). */
  injectToken?: string;
  #server: http.Server;
  #open = new Set<http.ServerResponse>();
  url = '';

  constructor(private readonly target: string) {
    this.#server = http.createServer((req, res) => this.#handle(req, res));
  }

  static async start(target: string) {
    const s = new FaultyApiServer(target);
    await new Promise<void>(r => s.#server.listen(0, '127.0.0.1', () => r()));
    s.url = `http://127.0.0.1:${(s.#server.address() as AddressInfo).port}`;
    return s;
  }

  #handle(req: http.IncomingMessage, res: http.ServerResponse) {
    this.requests.push({
      method: req.method ?? '',
      path: req.url ?? '',
      headers: req.headers,
    });
    if ((req.url ?? '').includes('/proxy')) {
      this.proxied.push({
        method: req.method ?? '',
        path: req.url ?? '',
        authorization: req.headers.authorization,
        headers: req.headers,
      });
    }
    const m = CHAT.exec((req.url ?? '').split('?')[0]);
    const name = m?.[2];
    if (name) {
      this.chats.set(name, (this.chats.get(name) ?? 0) + 1);
      req.once('close', () => this.closedAt.set(name, performance.now()));
      res.once('close', () => this.closedAt.set(name, performance.now()));
    }
    const fault = name ? this.faults.get(name) : undefined;
    this.#open.add(res);
    res.on('close', () => this.#open.delete(res));
    switch (fault) {
      case 'http500':
        req.resume();
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            object: 'error',
            message: 'CUDA error: an illegal memory access was encountered',
            type: 'InternalServerError',
            code: 500,
          }),
        );
        return;
      case 'http503':
        // The API server's service proxy when the pod refuses connections.
        req.resume();
        res.writeHead(503, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            kind: 'Status',
            apiVersion: 'v1',
            metadata: {},
            status: 'Failure',
            message:
              'error trying to reach service: dial tcp 10.244.3.7:5000: connect: connection refused',
            reason: 'ServiceUnavailable',
            code: 503,
          }),
        );
        return;
      case 'http429':
        req.resume();
        res.writeHead(429, {
          'content-type': 'application/json',
          'retry-after': '7',
        });
        res.end(
          JSON.stringify({
            error: {
              message:
                'Too many requests: waiting queue (17) exceeds max-num-seqs (16).',
              type: 'requests',
              param: null,
              code: 'rate_limit_exceeded',
            },
          }),
        );
        return;
      case 'invalidSse':
        req.resume();
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(
          'data: {"id":"x","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"Hel"},"finish_reason":null}]}\n\n',
        );
        setTimeout(
          () => res.end('data: <html><body>502 Bad Gateway</body></html>\n\n'),
          20,
        );
        return;
      case 'notEventStream':
        req.resume();
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html>proxy login page</html>');
        return;
      case 'stallBeforeFirstByte':
        req.resume();
        return; // never answers
      default:
        this.#forward(req, res, fault);
    }
  }

  #forward(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    fault?: UpstreamFault,
  ) {
    const url = new URL(req.url ?? '/', this.target);
    const headers = { ...req.headers, host: url.host };
    if (this.injectToken) headers.authorization = `Bearer ${this.injectToken}`;
    const up = http.request(url, { method: req.method, headers }, upRes => {
      res.writeHead(upRes.statusCode ?? 502, upRes.headers);
      if (!fault) {
        upRes.pipe(res);
        return;
      }
      // Let two events through, then misbehave.
      let events = 0;
      upRes.on('data', (chunk: Buffer) => {
        if (events >= 2) return;
        const text = chunk.toString();
        const parts = text
          .split('\n\n')
          .filter(Boolean)
          .slice(0, 2 - events);
        events += parts.length;
        res.write(`${parts.join('\n\n')}\n\n`);
        if (events >= 2) {
          upRes.destroy();
          // Let the bytes leave, then cut the connection like a crashed pod.
          if (fault === 'resetMidStream')
            setTimeout(() => res.socket?.destroy(), 20);
          if (fault === 'endWithoutDone') res.end();
          // stallMidStream: keep the connection open, send nothing more.
        }
      });
      upRes.on('end', () => {
        if (!res.writableEnded && fault !== 'stallMidStream') res.end();
      });
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
    res.on('close', () => up.destroy());
  }

  async stop() {
    for (const r of this.#open) r.destroy();
    await new Promise(r => this.#server.close(r));
  }
}
