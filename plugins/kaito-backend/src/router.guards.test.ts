import { mockCredentials } from '@backstage/backend-test-utils';
import {
  startSimulator,
  RunningSimulator,
} from '@kaito-backstage/kaito-simulator';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { workspaceEntity, workspaceManifest } from './__testUtils__/entities';
import {
  entityPath,
  KaitoTestBackend,
  startKaitoTestBackend,
} from './__testUtils__/backend';
import {
  RecordedMetrics,
  recordingMetricsFactory,
} from './__testUtils__/metrics';
import { clusterConfig } from './__testUtils__/simulator';
import { StreamClient } from './__testUtils__/sseClient';

// What the chat route does before it relays anything: readiness guards,
// per-user slots, body limits, and how each refusal is counted and audited.

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>(r => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  await new Promise(r => server.close(r));
  return port;
}

describe('chat route guards, slots and limits', () => {
  let sim: RunningSimulator;
  let kb: KaitoTestBackend;
  let base: string;
  const metrics = new RecordedMetrics();

  beforeAll(async () => {
    sim = await startSimulator({
      log: () => {},
      // Slow enough that two streams are still running when a third arrives.
      inference: { tokensPerSecond: 50 },
      seed: [
        workspaceManifest('phi'),
        workspaceManifest('quota', {
          annotations: { 'kaito.simulator/fault': 'quotaExceeded' },
        }),
        workspaceManifest('crashy', {
          annotations: { 'kaito.simulator/fault': 'crashLoopWhileReady' },
        }),
        workspaceManifest('doomed'),
      ],
    });
    const down = await closedPort();
    const config = clusterConfig(
      [
        { name: 'sim', url: sim.url, token: sim.token },
        { name: 'down', url: `http://127.0.0.1:${down}`, token: 'x' },
      ],
      {
        watch: {
          syncTimeoutMs: 500,
          backoff: { minMs: 20, maxMs: 200 },
        },
        limits: {
          maxConcurrentStreamsPerUser: 2,
          maxBodyBytes: 2048,
        },
      },
    );
    kb = await startKaitoTestBackend({
      config,
      entities: [
        workspaceEntity('phi', 'default/phi', 'sim'),
        workspaceEntity('quota', 'default/quota', 'sim'),
        workspaceEntity('crashy', 'default/crashy', 'sim'),
        workspaceEntity('doomed', 'default/doomed', 'sim'),
        workspaceEntity('ghost', 'default/ghost', 'sim'),
        workspaceEntity('down', 'default/phi', 'down'),
      ],
      extraFeatures: [recordingMetricsFactory(metrics)],
    });
    base = `http://127.0.0.1:${(kb.server.address() as { port: number }).port}`;
  }, 60_000);

  afterAll(async () => {
    await kb?.stop();
    await sim?.stop();
  });

  const chat = (name: string, user?: string, body: object = {}) =>
    kb.post(
      `${entityPath(name)}/chat/completions`,
      { messages: [{ role: 'user', content: 'hi' }], ...body },
      user,
    );
  const events = (name: string) =>
    new StreamClient(`${base}${entityPath(name)}/workspace/events`, {
      headers: { authorization: mockCredentials.user.header() },
    });
  /** Waits, on the readiness event stream, for a snapshot matching predicate. */
  const untilSnapshot = async (
    name: string,
    predicate: (snapshot: any) => boolean,
    what: string,
  ) => {
    const stream = events(name);
    try {
      await stream.until(
        c =>
          c.events.some(
            e => e.event === 'snapshot' && predicate(JSON.parse(e.data)),
          ),
        `${name}: ${what}`,
        30_000,
      );
      return stream;
    } finally {
      stream.abort();
    }
  };
  const untilPhase = (name: string, phase: string) =>
    untilSnapshot(name, s => s.readiness?.phase === phase, phase);
  const lastAudit = () =>
    kb.audits.filter(a => a.options.eventId === 'chat-completion').at(-1)!;
  const errors = (kind: string) => metrics.sum('kaito.chat.errors', { kind });

  // Generous test timeouts: the tests wait on readiness events, and the first
  // one also loads the Kubernetes client, which takes seconds on a busy machine.
  jest.setTimeout(60_000);

  it('refuses chat on a Degraded Workspace (409 workspace_not_ready)', async () => {
    await untilPhase('crashy', 'Degraded');
    const res = await chat('crashy');
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({
      code: 'workspace_not_ready',
      phase: 'Degraded',
    });
  });

  it('counts a Workspace that is not ready as not_ready, in the metric and the audit', async () => {
    await untilPhase('quota', 'Failed');
    const [notReady, unreachable] = [
      errors('not_ready'),
      errors('unreachable'),
    ];
    const res = await chat('quota');
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('workspace_not_ready');
    expect(errors('not_ready')).toBe(notReady + 1);
    expect(errors('unreachable')).toBe(unreachable);
    expect(lastAudit().outcome).toMatchObject({
      status: 'failed',
      meta: { outcome: 'not_ready' },
    });
  });

  it('answers 503 for an unavailable cluster and 404 for a missing Workspace, counted as unreachable', async () => {
    const [notReady, unreachable] = [
      errors('not_ready'),
      errors('unreachable'),
    ];
    const down = await chat('down');
    expect(down.status).toBe(503);
    expect(down.body.error.code).toBe('cluster_unavailable');
    expect(lastAudit().outcome?.meta).toMatchObject({ outcome: 'unreachable' });
    const ghost = await chat('ghost');
    expect(ghost.status).toBe(404);
    expect(ghost.body.error.code).toBe('workspace_not_found');
    expect(lastAudit().outcome?.meta).toMatchObject({ outcome: 'unreachable' });
    expect(errors('unreachable')).toBe(unreachable + 2);
    expect(errors('not_ready')).toBe(notReady);
  });

  it("gives a refused request's slot back, so refusals never lock a user out", async () => {
    const user = 'user:default/refused';
    // Twice the limit of refusals of every kind: a leaked slot would turn
    // the third into a 429.
    for (let i = 0; i < 2; i++) {
      expect((await chat('quota', user)).status).toBe(409);
      expect((await chat('down', user)).status).toBe(503);
      expect((await chat('ghost', user)).status).toBe(404);
    }
    const ok = await chat('phi', user, { max_tokens: 4 });
    expect(ok.status).toBe(200);
  });

  it('limits concurrent chats per user, counting the 429 as a limit error', async () => {
    const user = 'user:default/busy';
    const stream = () =>
      new StreamClient(`${base}${entityPath('phi')}/chat/completions`, {
        method: 'POST',
        headers: {
          authorization: mockCredentials.user.header(user),
          'content-type': 'application/json',
        },
        body: JSON.stringify({
          messages: [{ role: 'user', content: 'Explain GPUs' }],
          stream: true,
          max_tokens: 1000,
        }),
      });
    const a = stream();
    const b = stream();
    try {
      await a.until(c => c.events.length > 0, 'first stream');
      await b.until(c => c.events.length > 0, 'second stream');
      const before = errors('limit');
      const third = await chat('phi', user);
      expect(third.status).toBe(429);
      expect(third.body.error).toMatchObject({
        code: 'limit_exceeded',
        limit: 'maxConcurrentStreamsPerUser',
      });
      expect(third.headers['retry-after']).toBe('1');
      expect(errors('limit')).toBe(before + 1);
      expect(lastAudit().outcome).toMatchObject({
        status: 'failed',
        meta: { outcome: 'rejected' },
      });
    } finally {
      a.abort();
      b.abort();
    }
  });

  it('closes the connection after an oversized body, counting it as a limit error', async () => {
    // fetch keeps connections alive unless the server says otherwise.
    const send = (content: string) =>
      fetch(`${base}${entityPath('phi')}/chat/completions`, {
        method: 'POST',
        headers: {
          authorization: mockCredentials.user.header(),
          'content-type': 'application/json',
        },
        body: JSON.stringify({
          messages: [{ role: 'user', content }],
          max_tokens: 2,
        }),
      });
    const before = errors('limit');
    const res = await send('x'.repeat(4096));
    expect(res.status).toBe(413);
    expect((await res.json()).error).toMatchObject({
      code: 'limit_exceeded',
      limit: 'maxBodyBytes',
    });
    expect(res.headers.get('connection')).toBe('close');
    expect(errors('limit')).toBe(before + 1);
    expect(lastAudit().outcome).toMatchObject({
      status: 'failed',
      meta: { outcome: 'rejected' },
    });
    // A body within the limit keeps the connection.
    const small = await send('hi');
    expect(small.status).toBe(200);
    await small.text();
    expect(small.headers.get('connection')).not.toBe('close');
  });

  it('drops a deleted Workspace from the snapshot and the readiness stream', async () => {
    await untilPhase('doomed', 'Ready');
    const stream = events('doomed');
    try {
      await stream.until(
        c => c.events.some(e => e.event === 'snapshot'),
        'the first snapshot',
      );
      const res = await fetch(
        `${sim.url}/apis/kaito.sh/v1beta1/namespaces/default/workspaces/doomed`,
        {
          method: 'DELETE',
          headers: { authorization: `Bearer ${sim.token}` },
        },
      );
      expect(res.ok).toBe(true);
      await stream.until(
        c =>
          c.events.some(
            e =>
              e.event === 'snapshot' &&
              JSON.parse(e.data).status === 'notFound',
          ),
        'a notFound snapshot',
        30_000,
      );
    } finally {
      stream.abort();
    }
    const snapshot = await kb.get(`${entityPath('doomed')}/workspace`);
    expect(snapshot.body.status).toBe('notFound');
    expect(snapshot.body.readiness).toBeUndefined();
    const all = await kb.get('/api/kaito/workspaces');
    expect(all.body.items.map((w: any) => w.name)).not.toContain('doomed');
    expect((await chat('doomed')).status).toBe(404);
  });
});
