import { mockCredentials } from '@backstage/backend-test-utils';
import {
  startSimulator,
  RunningSimulator,
} from '@kaito-backstage/kaito-simulator';
import request from 'supertest';
import { workspaceEntity, workspaceManifest } from './__testUtils__/entities';
import {
  entityPath,
  KaitoTestBackend,
  startKaitoTestBackend,
  waitForPhase,
} from './__testUtils__/backend';
import { clusterConfig } from './__testUtils__/simulator';

/** Small deterministic PRNG (mulberry32), so a failure can be replayed. */
function prng(initial: number) {
  let seed = initial | 0;
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Body = { text: string | Buffer; contentType: string; why: string };

/** Every generator yields a body that is invalid by construction. */
function fuzzBodies(count: number, seed = 5): Body[] {
  const rnd = prng(seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)];
  const junk = () =>
    pick([
      0,
      -1,
      1.5,
      1e309,
      '',
      'x',
      true,
      null,
      [],
      {},
      [1, 2],
      { a: 1 },
      '\u0000',
      '💥'.repeat(3),
    ]);
  const valid = () => ({
    messages: [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Hello' },
    ],
    max_tokens: 16,
    ...(rnd() < 0.5 ? { stream: true } : {}),
  });
  const json = (v: unknown, why: string): Body => ({
    text: JSON.stringify(v),
    contentType: 'application/json',
    why,
  });

  const mutations: Array<() => Body> = [
    () => ({
      text: JSON.stringify(valid()).slice(0, Math.floor(rnd() * 40)),
      contentType: 'application/json',
      why: 'truncated JSON',
    }),
    () => ({
      text: Buffer.from(
        Array.from({ length: 1 + Math.floor(rnd() * 64) }, () =>
          Math.floor(rnd() * 256),
        ),
      ),
      contentType: 'application/json',
      why: 'random bytes',
    }),
    () => ({
      text: '<xml>hi</xml>',
      contentType: 'application/json',
      why: 'XML',
    }),
    () => ({ text: '', contentType: 'application/json', why: 'empty body' }),
    () => ({
      text: '['.repeat(2000) + ']'.repeat(2000),
      contentType: 'application/json',
      why: 'deep nesting',
    }),
    () => json(pick([[], 42, 'hello', null, true, [valid()]]), 'not an object'),
    () => {
      const b: any = valid();
      delete b.messages;
      return json(b, 'no messages');
    },
    () =>
      json(
        { ...valid(), messages: pick(['hi', 42, null, {}, true, {}]) },
        'messages not an array',
      ),
    () => json({ ...valid(), messages: [] }, 'empty messages'),
    () => json({ ...valid(), messages: [junk()] }, 'message not an object'),
    () => json({ ...valid(), messages: [{ content: 'x' }] }, 'no role'),
    () =>
      json(
        {
          ...valid(),
          messages: [
            {
              role: pick(['admin', 'root', '', 'USER', 'function ', 7]),
              content: 'x',
            },
          ],
        },
        'bad role',
      ),
    () =>
      json(
        {
          ...valid(),
          messages: [
            {
              role: 'user',
              content: pick([
                42,
                { a: 1 },
                true,
                [1],
                [{ type: 'image_url', image_url: 'x' }],
              ]),
            },
          ],
        },
        'bad content',
      ),
    () =>
      json(
        {
          ...valid(),
          messages: [{ role: 'user', content: 'x', name: 'n'.repeat(300) }],
        },
        'name too long',
      ),
    () =>
      json(
        { ...valid(), temperature: pick([-0.1, 2.5, 'hot', null, [], 1e9]) },
        'bad temperature',
      ),
    () => json({ ...valid(), top_p: pick([-1, 1.01, 'all', {}]) }, 'bad top_p'),
    () =>
      json(
        { ...valid(), max_tokens: pick([0, -5, 1.5, 'many', null, {}]) },
        'bad max_tokens',
      ),
    () =>
      json(
        { ...valid(), max_tokens: 100_000 + Math.floor(rnd() * 1e6) },
        'max_tokens over the cap',
      ),
    () =>
      json(
        { ...valid(), max_completion_tokens: pick([0, -1, 'x', 1e7]) },
        'bad max_completion_tokens',
      ),
    () => json({ ...valid(), n: pick([0, 2, 5, 'two']) }, 'bad n'),
    () =>
      json({ ...valid(), stream: pick(['yes', 1, 0, null, {}]) }, 'bad stream'),
    () =>
      json(
        { ...valid(), model: pick(['', 7, {}, 'm'.repeat(300)]) },
        'bad model',
      ),
    () =>
      json(
        {
          ...valid(),
          messages: Array.from({ length: 21 + Math.floor(rnd() * 50) }, () => ({
            role: 'user',
            content: 'a',
          })),
        },
        'too many messages',
      ),
    () =>
      json(
        {
          ...valid(),
          messages: [{ role: 'user', content: 'x'.repeat(20_000) }],
        },
        'body too large',
      ),
    () => ({
      text: `{"__proto__":{"stream":true},"messages":${pick([
        '1',
        '"x"',
        'null',
      ])}}`,
      contentType: 'application/json',
      why: 'prototype pollution',
    }),
    () => ({
      text: JSON.stringify(valid()),
      contentType: pick([
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/jsonx',
      ]),
      why: 'wrong content type',
    }),
    () => ({
      text: `${JSON.stringify(valid())}${pick([
        '}',
        ',',
        'garbage',
        '\u0000',
      ])}`,
      contentType: 'application/json',
      why: 'trailing garbage',
    }),
  ];
  return Array.from({ length: count }, () => pick(mutations)());
}

describe('kaito-backend chat request fuzzing', () => {
  // Waits are on events (waitForPhase reads the readiness stream); this is
  // a safety net for a loaded machine, where loading the clients takes seconds.
  jest.setTimeout(60_000);

  let sim: RunningSimulator;
  let kb: KaitoTestBackend;

  beforeAll(async () => {
    sim = await startSimulator({
      log: () => {},
      seed: [workspaceManifest('phi')],
    });
    kb = await startKaitoTestBackend({
      config: clusterConfig([{ name: 'sim', url: sim.url, token: sim.token }], {
        limits: { maxBodyBytes: 16_384, maxMessages: 20, maxTokens: 1024 },
      }),
      entities: [workspaceEntity('phi')],
    });
    await waitForPhase(kb, 'phi');
  }, 30_000);

  afterAll(async () => {
    await kb?.stop();
    await sim?.stop();
  });

  it('answers 350 malformed bodies with a 4xx JSON error that names the problem, never a 5xx', async () => {
    const bodies = fuzzBodies(350);
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    const send = async (b: (typeof bodies)[number], index: number) => {
      const res = await request(kb.server)
        .post(`${entityPath('phi')}/chat/completions`)
        .set('Authorization', mockCredentials.user.header())
        .set('Content-Type', b.contentType)
        .send(b.text);
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      const message = res.body?.error?.message;
      if (
        res.status < 400 ||
        res.status >= 500 ||
        typeof message !== 'string' ||
        /\n\s+at /.test(JSON.stringify(res.body))
      ) {
        failures.push(
          `#${index} (${b.why}): ${res.status} ${JSON.stringify(res.body).slice(
            0,
            200,
          )}`,
        );
      }
    };
    for (let i = 0; i < bodies.length; i += 25) {
      await Promise.all(bodies.slice(i, i + 25).map((b, j) => send(b, i + j)));
    }
    expect(failures).toEqual([]);
    expect([...statuses.keys()].every(s => [400, 413, 415].includes(s))).toBe(
      true,
    );
    // The backend is still healthy and serving afterwards.
    const ok = await kb.post(`${entityPath('phi')}/chat/completions`, {
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(ok.status).toBe(200);
  });
});
