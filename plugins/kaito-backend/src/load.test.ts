import { mockCredentials } from '@backstage/backend-test-utils';
import {
  startSimulator,
  RunningSimulator,
} from '@kaito-backstage/kaito-simulator';
import request from 'supertest';
import {
  entityPath,
  KaitoTestBackend,
  startKaitoTestBackend,
  waitForPhase,
} from './__testUtils__/backend';
import {
  component,
  workspaceEntity,
  workspaceManifest,
} from './__testUtils__/entities';
import { clusterConfig, waitFor } from './__testUtils__/simulator';

// GET /entity/.../load: the model server's /metrics, read through the
// service proxy like the chat relay, summarised while chats stream.
describe('the live load of a workspace', () => {
  jest.setTimeout(120_000);
  let sim: RunningSimulator;
  let kb: KaitoTestBackend;
  let base: string;

  beforeAll(async () => {
    // Slow streams (an answer is 40 to 80 tokens: 20 s or more), so they
    // stay open while the test looks; the test closes them itself.
    sim = await startSimulator({
      log: () => {},
      inference: { tokensPerSecond: 2, maxConcurrency: 8 },
      seed: [workspaceManifest('phi')],
    });
    kb = await startKaitoTestBackend({
      config: clusterConfig([{ name: 'sim', url: sim.url, token: sim.token }], {
        limits: { idleTimeoutMs: 120_000, totalTimeoutMs: 600_000 },
      }),
      entities: [
        workspaceEntity('phi', 'default/phi', 'sim'),
        component('plain', {}),
      ],
    });
    base = `http://127.0.0.1:${(kb.server.address() as { port: number }).port}`;
  }, 60_000);

  afterAll(async () => {
    await kb?.stop();
    await sim?.stop();
  });

  const load = async () => {
    const res = await kb.get(`${entityPath('phi')}/load`);
    expect(res.status).toBe(200);
    return res.body;
  };

  it('needs credentials and a Workspace behind the entity', async () => {
    expect(
      (await request(kb.server).get(`${entityPath('phi')}/load`)).status,
    ).toBe(401);
    const plain = await kb.get(`${entityPath('plain')}/load`);
    expect(plain.status).toBe(404);
  });

  it('follows the streams: running requests rise while they are open and fall to 0 after', async () => {
    await waitForPhase(kb, 'phi');
    const idle = await load();
    expect(idle).toMatchObject({
      entityRef: 'component:default/phi',
      source: 'vllm',
      requestsRunning: 0,
      requestsWaiting: 0,
      kvCacheUsage: 0,
    });

    const STREAMS = 3;
    const aborts = Array.from({ length: STREAMS }, () => new AbortController());
    const responses = await Promise.all(
      aborts.map((ac, i) =>
        fetch(`${base}${entityPath('phi')}/chat/completions`, {
          method: 'POST',
          headers: {
            authorization: mockCredentials.user.header(),
            'content-type': 'application/json',
          },
          body: JSON.stringify({
            stream: true,
            messages: [{ role: 'user', content: `long answer ${i}` }],
          }),
          signal: ac.signal,
        }),
      ),
    );
    expect(responses.map(r => r.status)).toEqual([200, 200, 200]);
    // Read the streams, so the relay keeps pulling tokens.
    const drains = responses.map(r => r.text().catch(() => ''));

    const busy = await waitFor(
      async () => {
        const l = await load();
        return l.requestsRunning === STREAMS && l.kvCacheUsage > 0 && l;
      },
      `${STREAMS} running requests in the load`,
      60_000,
    );
    expect(busy.timeToFirstTokenSeconds).toBeGreaterThanOrEqual(0);
    // Tokens per second need two scrapes past the cache.
    await waitFor(
      async () => (await load()).generationTokensPerSecond > 0,
      'a generation rate',
      60_000,
    );

    for (const ac of aborts) ac.abort();
    await Promise.all(drains);
    const after = await waitFor(
      async () => {
        const l = await load();
        return l.requestsRunning === 0 && l;
      },
      'running requests back to 0',
      60_000,
    );
    expect(after.kvCacheUsage).toBe(0);
    expect(after.requestsWaiting).toBe(0);
  });
});
