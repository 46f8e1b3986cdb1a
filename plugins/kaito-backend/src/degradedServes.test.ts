import {
  startSimulator,
  RunningSimulator,
} from '@kaito-backstage/kaito-simulator';
import {
  entityPath,
  KaitoTestBackend,
  startKaitoTestBackend,
  waitForPhase,
} from './__testUtils__/backend';
import { workspaceEntity, workspaceManifest } from './__testUtils__/entities';
import { clusterConfig } from './__testUtils__/simulator';

// A failed post-load benchmark (KAITO v0.10+) leaves the model serving
// (InferenceReady=True, the pod ready) while KAITO marks the Workspace
// NotReady: the card says "chat works meanwhile", so chat and the load panel
// must answer. A Workspace that regressed after Ready must still get 409.
describe('a Workspace Degraded only by its benchmark still serves', () => {
  jest.setTimeout(120_000);
  let sim: RunningSimulator;
  let kb: KaitoTestBackend;

  beforeAll(async () => {
    sim = await startSimulator({
      log: () => {},
      seed: [
        workspaceManifest('bench', {
          annotations: { 'kaito.simulator/fault': 'benchmarkFailed' },
        }),
        workspaceManifest('crashing', {
          annotations: { 'kaito.simulator/fault': 'crashLoopWhileReady' },
        }),
      ],
    });
    kb = await startKaitoTestBackend({
      config: clusterConfig([{ name: 'sim', url: sim.url, token: sim.token }]),
      entities: [
        workspaceEntity('bench', 'default/bench', 'sim'),
        workspaceEntity('crashing', 'default/crashing', 'sim'),
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await kb?.stop();
    await sim?.stop();
  });

  it('answers chat and load for the failed benchmark, and 409 for a regression', async () => {
    await waitForPhase(kb, 'bench', 'Degraded');
    const chat = await kb.post(`${entityPath('bench')}/chat/completions`, {
      messages: [{ role: 'user', content: 'Hello' }],
    });
    expect(chat.status).toBe(200);
    expect(chat.body.choices[0].message.content).toEqual(expect.any(String));
    expect((await kb.get(`${entityPath('bench')}/load`)).status).toBe(200);

    await waitForPhase(kb, 'crashing', 'Degraded');
    const refused = await kb.post(
      `${entityPath('crashing')}/chat/completions`,
      { messages: [{ role: 'user', content: 'Hello' }] },
    );
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('workspace_not_ready');
  });
});
