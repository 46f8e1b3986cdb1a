/**
 * @jest-environment node
 */
import { ResponseError } from '@backstage/errors';
import type { WorkspaceSnapshot } from '@kaito-backstage/plugin-kaito-common';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KaitoStreamState } from './KaitoApi';
import { KaitoClient } from './KaitoClient';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

/** A real HTTP server whose handler each test sets; records every request. */
class TestServer {
  handler: Handler = (_req, res) => res.writeHead(500).end();
  readonly requests: http.IncomingMessage[] = [];
  readonly #server = http.createServer((req, res) => {
    this.requests.push(req);
    this.handler(req, res);
  });
  readonly #sockets = new Set<import('node:net').Socket>();

  async start(): Promise<string> {
    this.#server.on('connection', s => {
      this.#sockets.add(s);
      s.on('close', () => this.#sockets.delete(s));
    });
    await new Promise<void>(r => this.#server.listen(0, '127.0.0.1', r));
    const { port } = this.#server.address() as AddressInfo;
    return `http://127.0.0.1:${port}/api/kaito`;
  }

  async stop() {
    for (const s of this.#sockets) s.destroy();
    await new Promise(r => this.#server.close(r));
  }
}

function snapshot(phase: string, reason = `${phase} now`): WorkspaceSnapshot {
  return {
    cluster: 'c1',
    namespace: 'default',
    name: 'ws',
    status: 'found',
    observedAt: new Date().toISOString(),
    readiness: {
      phase: phase as any,
      reason,
      steps: [],
      conditions: [],
      mode: 'inference',
      runtime: 'vllm',
    },
  };
}

function sse(res: http.ServerResponse) {
  res.writeHead(200, {
    'Content-Type': 'text/event-stream',
    'Cache-Control': 'no-cache',
  });
  return (event: string, data: unknown, id?: number) =>
    res.write(
      `${id ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(
        data,
      )}\n\n`,
    );
}

/** Resolves when `predicate` holds for a value pushed into the returned list. */
function collector<T>() {
  const items: T[] = [];
  const waiters: Array<{ p: (items: T[]) => boolean; r: () => void }> = [];
  return {
    items,
    push(item: T) {
      items.push(item);
      for (const w of [...waiters]) {
        if (w.p(items)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.r();
        }
      }
    },
    until(p: (items: T[]) => boolean) {
      return new Promise<void>(r => {
        if (p(items)) r();
        else waiters.push({ p, r });
      });
    },
  };
}

describe('KaitoClient', () => {
  const server = new TestServer();
  let client: KaitoClient;
  let baseUrl: string;

  beforeAll(async () => {
    baseUrl = await server.start();
  });
  afterAll(() => server.stop());
  beforeEach(() => {
    server.requests.length = 0;
    client = new KaitoClient({
      discoveryApi: { getBaseUrl: async () => baseUrl },
      fetchApi: { fetch: (input, init) => fetch(input, init) },
      backoff: { minMs: 5, maxMs: 20 },
      stallTimeoutMs: 300,
    });
  });

  it('reads an entity snapshot from the entity route', async () => {
    server.handler = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(
        JSON.stringify({
          entityRef: 'resource:default/phi',
          ...snapshot('Ready'),
        }),
      );
    };
    const result = await client.getWorkspace('resource:default/Phi');
    expect(result.readiness?.phase).toBe('Ready');
    expect(server.requests[0].url).toBe(
      '/api/kaito/entity/resource/default/phi/workspace',
    );
  });

  it('throws a ResponseError carrying the backend message', async () => {
    server.handler = (_req, res) => {
      res.writeHead(403, { 'Content-Type': 'application/json' });
      res.end(
        JSON.stringify({
          error: {
            name: 'NotAllowedError',
            message: 'You are not allowed kaito.workspace.list',
          },
          response: { statusCode: 403 },
        }),
      );
    };
    const error = await client.listWorkspaces().catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(403);
    expect(error.body.error.message).toBe(
      'You are not allowed kaito.workspace.list',
    );
    expect(server.requests[0].url).toBe('/api/kaito/workspaces');
  });

  it('streams snapshots and reconnects after a dropped connection', async () => {
    let connections = 0;
    server.handler = (req, res) => {
      connections += 1;
      const send = sse(res);
      if (connections === 1) {
        send('snapshot', snapshot('ProvisioningNodes'), 1);
        // Drop the connection mid-stream, as a proxy or a network blip would.
        setImmediate(() => req.socket.destroy());
      } else {
        res.write(': heartbeat\n\n');
        send('snapshot', snapshot('Ready'), 1);
      }
    };
    const phases = collector<string>();
    const states = collector<KaitoStreamState>();
    const controller = new AbortController();
    const done = client.streamWorkspace(
      'resource:default/phi',
      s => phases.push(s.readiness!.phase),
      controller.signal,
      { onStateChange: s => states.push(s) },
    );
    await phases.until(p => p.includes('Ready'));
    controller.abort();
    await expect(done).resolves.toBeUndefined();

    expect(phases.items).toEqual(['ProvisioningNodes', 'Ready']);
    expect(states.items.map(s => s.state)).toEqual([
      'connecting',
      'live',
      'reconnecting',
      'live',
    ]);
    expect(server.requests[0].headers.accept).toBe('text/event-stream');
    expect(server.requests[0].url).toBe(
      '/api/kaito/entity/resource/default/phi/workspace/events',
    );
  });

  it('reconnects after the server ends the stream, honouring its retry hint', async () => {
    let connections = 0;
    server.handler = (_req, res) => {
      connections += 1;
      const send = sse(res);
      if (connections === 1) {
        res.write('retry: 50\n\n');
        send('snapshot', snapshot('StartingInference'));
        send('end', { reason: 'max-age' });
        res.end();
      } else {
        send('snapshot', snapshot('Ready'));
      }
    };
    const states = collector<KaitoStreamState>();
    const phases = collector<string>();
    const controller = new AbortController();
    const done = client.streamWorkspace(
      'resource:default/phi',
      s => phases.push(s.readiness!.phase),
      controller.signal,
      { onStateChange: s => states.push(s) },
    );
    await phases.until(p => p.includes('Ready'));
    controller.abort();
    await done;
    const reconnect = states.items.find(s => s.state === 'reconnecting');
    expect(reconnect).toMatchObject({ state: 'reconnecting', attempt: 1 });
    expect(
      (reconnect as { retryInMs: number }).retryInMs,
    ).toBeGreaterThanOrEqual(50);
  });

  it('retries 5xx and 429 with backoff, then recovers', async () => {
    let connections = 0;
    server.handler = (_req, res) => {
      connections += 1;
      if (connections === 1) {
        res.writeHead(503, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'cluster down' } }));
      } else if (connections === 2) {
        res.writeHead(429, {
          'Content-Type': 'application/json',
          'Retry-After': '0',
        });
        res.end(JSON.stringify({ error: { message: 'too many streams' } }));
      } else {
        sse(res)('snapshot', snapshot('Ready'));
      }
    };
    const states = collector<KaitoStreamState>();
    const phases = collector<string>();
    const controller = new AbortController();
    const done = client.streamWorkspace(
      'resource:default/phi',
      s => phases.push(s.readiness!.phase),
      controller.signal,
      { onStateChange: s => states.push(s) },
    );
    await phases.until(p => p.length === 1);
    controller.abort();
    await done;
    const retries = states.items.filter(s => s.state === 'reconnecting') as {
      attempt: number;
      error: Error;
    }[];
    expect(retries.map(r => r.attempt)).toEqual([1, 2]);
    expect(retries[0].error.message).toContain('503');
  });

  it('reopens a stream that stalls (no heartbeat)', async () => {
    let connections = 0;
    server.handler = (_req, res) => {
      connections += 1;
      sse(res)(
        'snapshot',
        snapshot(connections === 1 ? 'DownloadingWeights' : 'Ready'),
      );
      // then silence: the client must give up on it after stallTimeoutMs
    };
    const phases = collector<string>();
    const states = collector<KaitoStreamState>();
    const controller = new AbortController();
    const done = client.streamWorkspace(
      'resource:default/phi',
      s => phases.push(s.readiness!.phase),
      controller.signal,
      { onStateChange: s => states.push(s) },
    );
    await phases.until(p => p.includes('Ready'));
    controller.abort();
    await done;
    const reconnect = states.items.find(s => s.state === 'reconnecting') as {
      error: Error;
    };
    expect(reconnect.error.message).toMatch(/sent nothing/);
  });

  it('stops for good on a refusal a retry cannot fix (403, 404, 400)', async () => {
    for (const status of [403, 404, 400]) {
      server.requests.length = 0;
      server.handler = (_req, res) => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(
          JSON.stringify({
            error: { name: 'Error', message: `refused ${status}` },
            response: { statusCode: status },
          }),
        );
      };
      const error = await client
        .streamWorkspace(
          'resource:default/phi',
          () => {},
          new AbortController().signal,
        )
        .catch(e => e);
      expect(error).toBeInstanceOf(ResponseError);
      expect(error.statusCode).toBe(status);
      expect(server.requests).toHaveLength(1);
    }
  });

  it('resolves at once when aborted while waiting to reconnect', async () => {
    server.handler = (_req, res) => {
      res.writeHead(503).end();
    };
    const slow = new KaitoClient({
      discoveryApi: { getBaseUrl: async () => baseUrl },
      fetchApi: { fetch: (input, init) => fetch(input, init) },
      backoff: { minMs: 60_000, maxMs: 60_000 },
    });
    const controller = new AbortController();
    const states = collector<KaitoStreamState>();
    const done = slow.streamWorkspace(
      'resource:default/phi',
      () => {},
      controller.signal,
      { onStateChange: s => states.push(s) },
    );
    await states.until(s => s.some(x => x.state === 'reconnecting'));
    controller.abort();
    await expect(done).resolves.toBeUndefined();
  });
});
