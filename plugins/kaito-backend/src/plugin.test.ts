import {
  startSimulator,
  RunningSimulator,
} from '@kaito-backstage/kaito-simulator';
import request from 'supertest';
import {
  component,
  workspaceEntity,
  workspaceManifest,
} from './__testUtils__/entities';
import {
  entityPath,
  KaitoTestBackend,
  startKaitoTestBackend,
  waitForPhase,
} from './__testUtils__/backend';
import { clusterConfig, createWorkspace } from './__testUtils__/simulator';
import { StreamClient } from './__testUtils__/sseClient';
import { mockCredentials } from '@backstage/backend-test-utils';

/** Every scripted simulator fault, the phase it must show, and words its reason must contain. */
const SIMULATED_FAULTS: Array<[string, string, RegExp]> = [
  ['quotaExceeded', 'Failed', /quota/i],
  ['oomKilled', 'Failed', /out of memory/i],
  ['imagePullError', 'Failed', /image/i],
  ['crashLoopWhileReady', 'Degraded', /crash/i],
  // Since KAITO 0.11 the 401 is only in the container log: without it, the verdict names the crash loop.
  ['gatedModelWithoutToken', 'Failed', /gated|crash/i],
];

describe('kaito-backend with the catalog and the simulator', () => {
  // Readiness waits are on events (waitForPhase reads the readiness stream);
  // the timeout is a safety net for the first one, which also loads the
  // Kubernetes client: seconds on a busy machine.
  jest.setTimeout(60_000);

  let sim: RunningSimulator;
  let legacy: RunningSimulator;
  let kb: KaitoTestBackend;
  let base: string;

  beforeAll(async () => {
    sim = await startSimulator({
      log: () => {},
      seed: [
        workspaceManifest('phi'),
        workspaceManifest('quotaexceeded', {
          annotations: { 'kaito.simulator/fault': 'quotaExceeded' },
        }),
      ],
    });
    legacy = await startSimulator({
      log: () => {},
      controllerVersion: '0.8.0',
      seed: [
        workspaceManifest('old', {
          preset: 'phi-4',
          annotations: { 'kaito.sh/runtime': 'transformers' },
        }),
      ],
    });
    kb = await startKaitoTestBackend({
      config: clusterConfig([
        { name: 'sim', url: sim.url, token: sim.token },
        { name: 'legacy', url: legacy.url, token: legacy.token },
      ]),
      entities: [
        workspaceEntity('phi', 'default/phi', 'sim'),
        workspaceEntity('quotaexceeded', 'default/quotaexceeded', 'sim'),
        ...SIMULATED_FAULTS.map(([fault]) =>
          workspaceEntity(
            `f-${fault.toLowerCase()}`,
            `default/f-${fault.toLowerCase()}`,
            'sim',
          ),
        ),
        workspaceEntity('late', 'default/late', 'sim'),
        workspaceEntity('old', 'default/old', 'legacy'),
        workspaceEntity('nocluster', 'default/phi'),
        component('plain', {}),
        component('bad', { 'kaito.sh/workspace': 'no-slash' }),
      ],
    });
    const address = kb.server.address() as { port: number };
    base = `http://127.0.0.1:${address.port}`;
  }, 30_000);

  afterAll(async () => {
    await kb?.stop();
    await sim?.stop();
    await legacy?.stop();
  });

  const ready = (name: string) => waitForPhase(kb, name);

  it('answers /health without credentials and refuses everything else without them', async () => {
    const health = await request(kb.server).get('/api/kaito/health');
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: 'ok' });
    for (const path of [
      '/api/kaito/workspaces',
      `${entityPath('phi')}/workspace`,
      `${entityPath('phi')}/models`,
    ]) {
      const res = await request(kb.server).get(path);
      expect(res.status).toBe(401);
    }
    const chat = await request(kb.server)
      .post(`${entityPath('phi')}/chat/completions`)
      .send({ messages: [{ role: 'user', content: 'hi' }] });
    expect(chat.status).toBe(401);
  });

  it('reports readiness for an entity, from its annotations', async () => {
    const body = await ready('phi');
    expect(body).toMatchObject({
      entityRef: 'component:default/phi',
      cluster: 'sim',
      namespace: 'default',
      name: 'phi',
      status: 'found',
      workspace: { preset: 'phi-4-mini-instruct', runtime: 'vllm' },
      readiness: { phase: 'Ready', mode: 'inference' },
    });
  });

  it('explains a missing entity, a missing or malformed annotation, and an ambiguous cluster', async () => {
    const missing = await kb.get(`${entityPath('nope')}/workspace`);
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toBe(
      'Entity component:default/nope was not found in the catalog; check the kind, namespace and name in the path',
    );
    const plain = await kb.get(`${entityPath('plain')}/workspace`);
    expect(plain.status).toBe(404);
    expect(plain.body.error.message).toContain(
      'has no kaito.sh/workspace annotation',
    );
    const bad = await kb.get(`${entityPath('bad')}/workspace`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('must contain exactly one');
    const ambiguous = await kb.get(`${entityPath('nocluster')}/workspace`);
    expect(ambiguous.status).toBe(400);
    expect(ambiguous.body.error.message).toContain(
      'add the kaito.sh/cluster annotation to choose one of: sim, legacy',
    );
    expect(JSON.stringify([missing.body, plain.body, bad.body])).not.toMatch(
      /\bat \w+ \(/,
    );
  });

  it('streams readiness as SSE: a snapshot now and an event on every change', async () => {
    const events = new StreamClient(
      `${base}${entityPath('late')}/workspace/events`,
      {
        headers: { authorization: mockCredentials.user.header() },
      },
    );
    await events.until(c => c.events.length >= 1, 'first snapshot');
    expect(events.status).toBe(200);
    expect(events.headers?.['content-type']).toContain('text/event-stream');
    expect(events.headers?.['cache-control']).toContain('no-transform');
    expect(events.headers?.['x-accel-buffering']).toBe('no');
    expect(JSON.parse(events.events[0].data)).toMatchObject({
      status: 'notFound',
      name: 'late',
    });

    await createWorkspace(sim, workspaceManifest('late'));
    await events.until(
      c => c.json().some(s => s.readiness?.phase === 'Ready'),
      'Ready over SSE',
    );
    const phases = events.json().map(s => s.readiness?.phase ?? s.status);
    expect(phases[0]).toBe('notFound');
    expect(phases).toContain('ProvisioningNodes');
    expect(phases.at(-1)).toBe('Ready');
    expect(events.events.every(e => e.event === 'snapshot')).toBe(true);
    expect(events.events.map(e => Number(e.id))).toEqual(
      events.events.map((_, i) => i + 1),
    );
    events.abort();
    await events.done;
  });

  it.each(SIMULATED_FAULTS)(
    'follows a Workspace with the simulated fault %s over SSE to the truthful phase, and in the snapshot',
    async (fault, phase, reason) => {
      const name = `f-${fault.toLowerCase()}`;
      const events = new StreamClient(
        `${base}${entityPath(name)}/workspace/events`,
        {
          headers: { authorization: mockCredentials.user.header() },
        },
      );
      await events.until(c => c.events.length > 0, 'first snapshot');
      await createWorkspace(
        sim,
        workspaceManifest(name, {
          annotations: { 'kaito.simulator/fault': fault },
        }),
      );
      await events.until(
        c => c.json().some(s => s.readiness?.phase === phase),
        `${fault} -> ${phase}`,
      );
      const phases = events.json().map(s => s.readiness?.phase ?? s.status);
      expect(phases[0]).toBe('notFound');
      expect(phases).toContain('ProvisioningNodes');
      expect(phases.at(-1)).toBe(phase);
      const last = events.json().at(-1);
      expect(last.readiness.reason).toMatch(reason);
      events.abort();
      const snapshot = await kb.get(`${entityPath(name)}/workspace`);
      expect(snapshot.body.readiness).toMatchObject({ phase });
      expect(snapshot.body.readiness.reason).toMatch(reason);
    },
  );

  it('lists every Workspace on every cluster', async () => {
    const res = await kb.get('/api/kaito/workspaces');
    expect(res.status).toBe(200);
    expect(res.body.clusters).toEqual([
      { cluster: 'sim', status: 'ok', count: expect.any(Number) },
      { cluster: 'legacy', status: 'ok', count: 1 },
    ]);
    const names = res.body.items.map((w: any) => `${w.cluster}/${w.name}`);
    expect(names).toEqual(
      expect.arrayContaining(['sim/phi', 'sim/quotaexceeded', 'legacy/old']),
    );
  });

  it('relays /v1/models', async () => {
    await ready('phi');
    const res = await kb.get(`${entityPath('phi')}/models`);
    expect(res.status).toBe(200);
    expect(res.body.data.map((m: any) => m.id)).toEqual([
      'phi-4-mini-instruct',
    ]);
  });

  it('streams a chat answer as OpenAI SSE, chunk by chunk, ending in [DONE]', async () => {
    await ready('phi');
    const chat = new StreamClient(
      `${base}${entityPath('phi')}/chat/completions`,
      {
        method: 'POST',
        headers: {
          authorization: mockCredentials.user.header(),
          'content-type': 'application/json',
        },
        body: JSON.stringify({
          messages: [{ role: 'user', content: 'Tell me about KAITO' }],
          stream: true,
          max_tokens: 64,
        }),
      },
    );
    await chat.done;
    expect(chat.status).toBe(200);
    expect(chat.headers?.['content-type']).toContain('text/event-stream');
    expect(chat.events.at(-1)?.data).toBe('[DONE]');
    const chunks = chat.json();
    expect(chunks.length).toBeGreaterThan(3);
    expect(
      chunks.every(
        c =>
          c.object === 'chat.completion.chunk' &&
          c.model === 'phi-4-mini-instruct',
      ),
    ).toBe(true);
    const text = chunks.map(c => c.choices[0]?.delta?.content ?? '').join('');
    expect(text.length).toBeGreaterThan(0);

    const audit = kb.audits
      .filter(a => a.options.eventId === 'chat-completion')
      .at(-1)!;
    expect(audit.options.meta).toMatchObject({
      entityRef: 'component:default/phi',
      target: 'sim/default/phi',
    });
    expect(audit.outcome).toMatchObject({
      status: 'succeeded',
      meta: {
        outcome: 'completed',
        stream: true,
        tokensIn: expect.any(Number),
        tokensOut: expect.any(Number),
        protocol: 'openai',
      },
    });
    expect(JSON.stringify([audit.options.meta, audit.outcome])).not.toContain(
      'Tell me about KAITO',
    );
  });

  it('answers in JSON when the caller did not ask for a stream', async () => {
    await ready('phi');
    const res = await kb.post(`${entityPath('phi')}/chat/completions`, {
      messages: [{ role: 'user', content: 'hi' }],
      max_tokens: 16,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      object: 'chat.completion',
      model: 'phi-4-mini-instruct',
      choices: [{ message: { role: 'assistant' } }],
    });
  });

  it('makes a KAITO 0.8 Transformers Workspace look like OpenAI, streamed and not', async () => {
    await ready('old');
    const models = await kb.get(`${entityPath('old')}/models`);
    expect(models.body.data.map((m: any) => m.id)).toEqual(['phi-4']);
    const json = await kb.post(`${entityPath('old')}/chat/completions`, {
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(json.status).toBe(200);
    expect(json.body).toMatchObject({
      object: 'chat.completion',
      model: 'phi-4',
      choices: [{ message: { role: 'assistant' }, finish_reason: 'stop' }],
    });
    const chat = new StreamClient(
      `${base}${entityPath('old')}/chat/completions`,
      {
        method: 'POST',
        headers: {
          authorization: mockCredentials.user.header(),
          'content-type': 'application/json',
        },
        body: JSON.stringify({
          messages: [{ role: 'user', content: 'hi' }],
          stream: true,
        }),
      },
    );
    await chat.done;
    expect(chat.headers?.['content-type']).toContain('text/event-stream');
    expect(chat.events.at(-1)?.data).toBe('[DONE]');
    const chunks = chat.json();
    expect(chunks[0].choices[0].delta).toMatchObject({
      role: 'assistant',
      content: json.body.choices[0].message.content,
    });
    expect(chunks.at(-1).choices[0].finish_reason).toBe('stop');
  });

  it('refuses to chat with a Workspace that is not Ready, with its readiness reason (409)', async () => {
    await waitForPhase(kb, 'quotaexceeded', 'Failed');
    const res = await kb.post(
      `${entityPath('quotaexceeded')}/chat/completions`,
      { messages: [{ role: 'user', content: 'hi' }] },
    );
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({
      code: 'workspace_not_ready',
      phase: 'Failed',
      type: 'not_ready_error',
    });
    expect(res.body.error.message).toMatch(
      /^Workspace default\/quotaexceeded is not ready \(Failed\): .*quota/i,
    );
  });
});
