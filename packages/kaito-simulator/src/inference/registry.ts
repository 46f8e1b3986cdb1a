import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { InferenceBackend, InferenceBackendOptions } from './server';

interface Entry {
  backend: InferenceBackend;
  server?: http.Server;
  sockets: Set<Socket>;
  url?: string;
}

/**
 * The inference servers of one cluster, one per workspace pod. Each is
 * reachable through the service proxy and, once ready, on its own loopback port.
 */
export class InferenceRegistry {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly host: string) {}

  create(
    namespace: string,
    name: string,
    opts: InferenceBackendOptions,
  ): InferenceBackend {
    this.remove(namespace, name);
    const backend = new InferenceBackend(opts);
    this.entries.set(`${namespace}/${name}`, { backend, sockets: new Set() });
    return backend;
  }

  get(namespace: string, name: string): InferenceBackend | undefined {
    return this.entries.get(`${namespace}/${name}`)?.backend;
  }

  url(namespace: string, name: string): string | undefined {
    const e = this.entries.get(`${namespace}/${name}`);
    return e?.backend.phase === 'ready' ? e.url : undefined;
  }

  /** Opens the workspace's own loopback port (what a port-forward to `<ws>-0:5000` would give). */
  async listen(namespace: string, name: string): Promise<string | undefined> {
    const e = this.entries.get(`${namespace}/${name}`);
    if (!e) return undefined;
    if (e.url) return e.url;
    const server = http.createServer((req, res) => {
      // A crashed container refuses connections; the closest is to drop them.
      if (e.backend.phase === 'down') req.socket.destroy();
      else e.backend.handle(req, res);
    });
    server.on('connection', s => {
      e.sockets.add(s);
      s.on('close', () => e.sockets.delete(s));
    });
    e.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, this.host, () => resolve());
    });
    if (this.entries.get(`${namespace}/${name}`) !== e) {
      closeEntry(e);
      return undefined;
    }
    const port = (server.address() as AddressInfo).port;
    e.url = `http://${
      this.host.includes(':') ? `[${this.host}]` : this.host
    }:${port}`;
    return e.url;
  }

  remove(namespace: string, name: string): void {
    const key = `${namespace}/${name}`;
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    e.backend.setPhase('down');
    closeEntry(e);
  }

  stopAll(): Promise<void> {
    const closing = [...this.entries.values()].map(e => {
      e.backend.setPhase('down');
      return closeEntry(e);
    });
    this.entries.clear();
    return Promise.all(closing).then(() => undefined);
  }
}

function closeEntry(e: Entry): Promise<void> {
  return new Promise(resolve => {
    if (!e.server) {
      resolve();
      return;
    }
    e.server.close(() => resolve());
    for (const s of e.sockets) s.destroy();
  });
}
