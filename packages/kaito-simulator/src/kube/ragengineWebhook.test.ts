import { startSimulator, RunningSimulator } from '../simulator';
import { kube } from '../__testUtils__/http';
import { ragEngine } from '../__testUtils__/ragengine';

/**
 * RAGEngine admission in a real cluster's two shapes: the CRD schema's
 * required fields answer 422 Invalid with causes; KAITO's webhook
 * `validation.ragengine.kaito.sh` answers 400 BadRequest as the API server
 * relays a knative denial, for writes and dry runs alike.
 */
describe('RAGEngine admission', () => {
  let sim: RunningSimulator;
  const path = '/apis/kaito.sh/v1beta1/namespaces/default/ragengines';
  beforeAll(async () => {
    sim = await startSimulator({ log: () => {} });
  });
  afterAll(() => sim.stop());

  it('answers a missing required field 422 Invalid naming it, before the webhook', async () => {
    const bad = ragEngine('no-embedding', 'default') as any;
    delete bad.spec.embedding;
    const res = await kube(sim, 'POST', path, bad);
    expect(res.status).toBe(422);
    expect(res.json).toMatchObject({
      reason: 'Invalid',
      details: { kind: 'RAGEngine', group: 'kaito.sh' },
    });
    expect(res.json.details.causes).toEqual([
      {
        reason: 'FieldValueRequired',
        message: 'Required value',
        field: 'spec.embedding',
      },
    ]);
    const noWindow = ragEngine('no-window', 'default', {
      workspace: 'phi',
    }) as any;
    delete noWindow.spec.inferenceService.contextWindowSize;
    const res2 = await kube(sim, 'POST', path, noWindow);
    expect(res2.status).toBe(422);
    expect(res2.json.details.causes[0].field).toBe(
      'spec.inferenceService.contextWindowSize',
    );
  });

  it("answers KAITO's webhook rules 400 with the webhook's denial, on writes and dry runs", async () => {
    const bad = ragEngine('t4', 'default', {
      workspace: 'phi',
      instanceType: 'Standard_NC4as_T4_v3',
    }) as any;
    bad.spec.inferenceService.contextWindowSize = 0;
    for (const query of ['', '?dryRun=All']) {
      const res = await kube(sim, 'POST', `${path}${query}`, bad);
      expect(res.status).toBe(400);
      expect(res.json).toMatchObject({
        kind: 'Status',
        status: 'Failure',
        reason: 'BadRequest',
        code: 400,
      });
      expect(res.json.details).toBeUndefined();
      const lines: string[] = res.json.message.split('\n');
      expect(lines[0]).toMatch(
        /^admission webhook "validation\.ragengine\.kaito\.sh" denied the request: validation failed: .+: spec\.(compute\.instanceType|inferenceService\.contextWindowSize)$/,
      );
      expect(res.json.message).toContain(
        'Unsupported instance type Standard_NC4as_T4_v3',
      );
      expect(res.json.message).toMatch(
        /: spec\.inferenceService\.contextWindowSize$/m,
      );
    }
    expect((await kube(sim, 'GET', `${path}/t4`)).status).toBe(404);
  });

  it('admits a valid RAGEngine', async () => {
    const res = await kube(
      sim,
      'POST',
      path,
      ragEngine('fine', 'default', { workspace: 'phi' }),
    );
    expect(res.status).toBe(201);
  });
});
