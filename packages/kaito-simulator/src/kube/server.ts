import { timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { KaitoAdmissionMode } from './admission';
import { unauthorized } from './errors';
import { ResourceRegistry } from './resources';
import { sendError } from './respond';
import { route, PodLogReader, ServiceProxyHandler } from './router';
import { ObjectStore } from './store';

export interface ApiServerOptions {
  host: string;
  port: number;
  token: string;
  /** Also accept these bearer tokens (e.g. Entra tokens for the AKS audience). */
  acceptToken?: (token: string) => boolean;
  store: ObjectStore;
  registry: ResourceRegistry;
  bookmarkIntervalMs: number;
  proxy?: ServiceProxyHandler;
  podLog?: PodLogReader;
  /** The simulated KAITO operator's mode, for Workspace admission. */
  kaito?: KaitoAdmissionMode;
}

export interface RunningApiServer {
  url: string;
  port: number;
  /** Cuts every open watch stream (a forced disconnect); returns how many. */
  disconnectWatches(): number;
  stop(): Promise<void>;
}

/** Paths a real cluster serves to anyone (system:public-info-viewer). */
const PUBLIC_PATHS = new Set(['/healthz', '/livez', '/readyz', '/version']);

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Starts the Kubernetes API server of one simulated cluster on loopback. */
export function startApiServer(
  opts: ApiServerOptions,
): Promise<RunningApiServer> {
  const watches = new Set<() => void>();
  const sockets = new Set<Socket>();
  const trackWatch = (close: () => void) => {
    watches.add(close);
    return () => watches.delete(close);
  };

  const server = http.createServer((req, res) => {
    const auth = req.headers.authorization;
    const pathname = (req.url ?? '/').split('?')[0];
    const bearer =
      typeof auth === 'string' && /^bearer /i.test(auth)
        ? auth.slice(7).trim()
        : undefined;
    const authorized =
      bearer !== undefined &&
      (sameToken(bearer, opts.token) || (opts.acceptToken?.(bearer) ?? false));
    if (!authorized && !(auth === undefined && PUBLIC_PATHS.has(pathname))) {
      req.resume();
      sendError(res, unauthorized());
      return;
    }
    route(
      {
        store: opts.store,
        registry: opts.registry,
        serverAddress: `${opts.host}:${(server.address() as AddressInfo).port}`,
        bookmarkIntervalMs: opts.bookmarkIntervalMs,
        proxy: opts.proxy,
        podLog: opts.podLog,
        kaito: opts.kaito,
        trackWatch,
      },
      req,
      res,
    ).catch(err => {
      // Drain what the client is still sending so the error reaches it.
      if (!req.complete) req.resume();
      sendError(res, err);
    });
  });
  server.on('connection', s => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('clientError', (_err, socket) => {
    if (socket.writable)
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      const port = (server.address() as AddressInfo).port;
      resolve({
        url: `http://${
          opts.host.includes(':') ? `[${opts.host}]` : opts.host
        }:${port}`,
        port,
        disconnectWatches() {
          const all = [...watches];
          all.forEach(close => close());
          return all.length;
        },
        stop() {
          for (const close of [...watches]) close();
          return new Promise(done => {
            server.close(() => done());
            for (const s of sockets) s.destroy();
          });
        },
      });
    });
  });
}
