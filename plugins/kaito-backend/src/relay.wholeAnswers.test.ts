import { mockCredentials } from '@backstage/backend-test-utils';
import {
  startSimulator,
  RunningSimulator,
} from '@kaito-backstage/kaito-simulator';
import { workspaceEntity, workspaceManifest } from './__testUtils__/entities';
import {
  entityPath,
  KaitoTestBackend,
  startKaitoTestBackend,
  waitForPhase,
} from './__testUtils__/backend';
import { clusterConfig } from './__testUtils__/simulator';
import { StreamClient } from './__testUtils__/sseClient';

// Answers that arrive whole: KAITO <= 0.8's legacy /chat, and any answer to
// a request that did not ask for a stream. The model server sends nothing
// until it is done, so the idle limit (between chunks) must not cut them;
// only the total limit does. Legacy streams get an estimated usage chunk
// when asked for one.

/** Far below the time the paced simulators take to answer. */
const IDLE_MS = 300;

describe('whole answers: the total limit, not the idle one, and estimated usage', () => {
  let sim: RunningSimulator;
  let legacy: RunningSimulator;
  let kb: KaitoTestBackend;
  let base: string;

  beforeAll(async () => {
    // 20 tokens a second: a 20-token answer takes about a second.
    const inference = { tokensPerSecond: 20 };
    sim = await startSimulator({
      log: () => {},
      inference,
      seed: [workspaceManifest('phi')],
    });
    legacy = await startSimulator({
      log: () => {},
      inference,
      controllerVersion: '0.8.0',
      seed: [
        workspaceManifest('old', {
          preset: 'phi-4',
          annotations: { 'kaito.sh/runtime': 'transformers' },
        }),
      ],
    });
    kb = await startKaitoTestBackend({
      config: clusterConfig(
        [
          { name: 'sim', url: sim.url, token: sim.token },
          { name: 'legacy', url: legacy.url, token: legacy.token },
        ],
        { limits: { idleTimeoutMs: IDLE_MS, totalTimeoutMs: 60_000 } },
      ),
      entities: [
        workspaceEntity('phi', 'default/phi', 'sim'),
        workspaceEntity('old', 'default/old', 'legacy'),
      ],
    });
    base = `http://127.0.0.1:${(kb.server.address() as { port: number }).port}`;
    await waitForPhase(kb, 'phi');
    await waitForPhase(kb, 'old');
  }, 120_000);

  afterAll(async () => {
    await kb?.stop();
    await sim?.stop();
    await legacy?.stop();
  });

  const body = (extra: Record<string, unknown>) => ({
    messages: [{ role: 'user', content: 'Explain GPUs' }],
    max_tokens: 20,
    ...extra,
  });
  const stream = (name: string, extra: Record<string, unknown>) => {
    const client = new StreamClient(
      `${base}${entityPath(name)}/chat/completions`,
      {
        method: 'POST',
        headers: {
          authorization: mockCredentials.user.header(),
          'content-type': 'application/json',
        },
        body: JSON.stringify(body({ stream: true, ...extra })),
      },
    );
    return client.done.then(() => client);
  };

  it('waits for a non-streamed vLLM answer past the idle limit', async () => {
    const res = await kb.post(
      `${entityPath('phi')}/chat/completions`,
      body({}),
    );
    expect(res.status).toBe(200);
    expect(res.body.choices[0].message.content).toMatch(/simulated/);
  });

  it('waits for a legacy /chat answer past the idle limit, streamed or not, with estimated usage', async () => {
    const res = await kb.post(
      `${entityPath('old')}/chat/completions`,
      body({}),
    );
    expect(res.status).toBe(200);
    expect(res.body.usage).toEqual({
      prompt_tokens: expect.any(Number),
      completion_tokens: expect.any(Number),
      total_tokens: expect.any(Number),
      estimated: true,
    });

    const plain = await stream('old', {});
    expect(plain.status).toBe(200);
    expect(plain.events.at(-1)?.data).toBe('[DONE]');
    expect(plain.json().some(e => e.usage)).toBe(false);

    const withUsage = await stream('old', {
      stream_options: { include_usage: true },
    });
    expect(withUsage.status).toBe(200);
    const usage = withUsage.json().find(e => e.usage)?.usage;
    expect(usage).toMatchObject({ estimated: true });
    expect(usage.total_tokens).toBe(
      usage.prompt_tokens + usage.completion_tokens,
    );
    expect(usage.completion_tokens).toBeGreaterThan(0);
  });

  it('reports finish_reason "length" when max_tokens cut a legacy answer mid-sentence, "stop" when it ended by itself', async () => {
    // The legacy server says only {"Result": ...}: the relay infers the
    // reason from the limit it sent and where the text ends.
    const cut = await kb.post(
      `${entityPath('old')}/chat/completions`,
      body({ max_tokens: 12 }),
    );
    expect(cut.status).toBe(200);
    expect(cut.body.choices[0].message.content).not.toMatch(/[.!?]$/);
    expect(cut.body.choices[0].finish_reason).toBe('length');

    const streamed = await stream('old', { max_tokens: 12 });
    const reasons = streamed
      .json()
      .map(e => e.choices?.[0]?.finish_reason)
      .filter(Boolean);
    expect(reasons).toEqual(['length']);

    // A short answer well inside its limit ends on a full stop.
    const whole = await kb.post(
      `${entityPath('old')}/chat/completions`,
      body({ max_tokens: 400, messages: [{ role: 'user', content: 'Hi' }] }),
    );
    expect(whole.status).toBe(200);
    expect(whole.body.choices[0].message.content).toMatch(/\.$/);
    expect(whole.body.choices[0].finish_reason).toBe('stop');
  });
});
