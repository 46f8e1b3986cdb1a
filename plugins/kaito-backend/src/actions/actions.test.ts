import { actionsRegistryServiceFactory } from '@backstage/backend-defaults/alpha';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { PermissionPolicy } from '@backstage/plugin-permission-node';
import {
  RunningSimulator,
  startSimulator,
} from '@kaito-backstage/kaito-simulator';
import { kaitoWorkspaceReadPermission } from '@kaito-backstage/plugin-kaito-common';
import {
  entityPath,
  KaitoTestBackend,
  startKaitoTestBackend,
  waitForPhase,
} from '../__testUtils__/backend';
import { workspaceEntity, workspaceManifest } from '../__testUtils__/entities';
import { clusterConfig } from '../__testUtils__/simulator';

const MALLORY = 'user:default/mallory';
const READER = 'user:default/reader';
const BLIND = 'user:default/blind';
const ACTIONS = '/api/kaito/.backstage/actions/v1/actions';

/**
 * mallory may do nothing with KAITO; reader may read but not chat; blind may
 * list but read no entity's Workspace; everyone else may do anything.
 * (Per-entity conditional decisions: entityAccess.test.ts.)
 */
const policy: PermissionPolicy = {
  async handle(req, user) {
    const who = user?.info.userEntityRef;
    const name = req.permission.name;
    if (name.startsWith('kaito.') && who === MALLORY)
      return { result: AuthorizeResult.DENY };
    if (who === READER && name === 'kaito.workspace.chat')
      return { result: AuthorizeResult.DENY };
    if (who === BLIND && name === kaitoWorkspaceReadPermission.name)
      return { result: AuthorizeResult.DENY };
    return { result: AuthorizeResult.ALLOW };
  },
};

describe('KAITO actions through the actions registry', () => {
  let sim: RunningSimulator;
  let kb: KaitoTestBackend;

  beforeAll(async () => {
    sim = await startSimulator({
      log: () => {},
      seed: [workspaceManifest('phi'), workspaceManifest('llama')],
    });
    kb = await startKaitoTestBackend({
      config: {
        ...clusterConfig([{ name: 'sim', url: sim.url, token: sim.token }]),
        backend: { actions: { pluginSources: ['kaito'] } },
      },
      entities: [workspaceEntity('phi'), workspaceEntity('llama')],
      policy,
      extraFeatures: [actionsRegistryServiceFactory],
    });
    await waitForPhase(kb, 'phi');
    await waitForPhase(kb, 'llama');
  }, 180_000);

  afterAll(async () => {
    await kb?.stop();
    await sim?.stop();
  });

  const invoke = (id: string, input: unknown, user?: string) =>
    kb.post(`${ACTIONS}/kaito:${id}/invoke`, input, user);

  it('lists the six actions with honest attributes and JSON schemas', async () => {
    const res = await kb.get(ACTIONS);
    expect(res.status).toBe(200);
    const byId = Object.fromEntries(
      res.body.actions.map((a: any) => [a.id, a]),
    );
    expect(Object.keys(byId).sort()).toEqual([
      'kaito:chat',
      'kaito:get-workspace-status',
      'kaito:index-techdocs',
      'kaito:list-models',
      'kaito:list-workspaces',
      'kaito:recommend-instance-types',
    ]);
    // Only index-techdocs changes the environment (adds documents; a repeat
    // adds nothing more); every read repeats without effect; chat's answer
    // (and GPU time) differs per call.
    const attributes = Object.fromEntries(
      Object.entries(byId).map(([id, a]: [string, any]) => [id, a.attributes]),
    );
    const reads = { destructive: false, idempotent: true, readOnly: true };
    expect(attributes).toEqual({
      'kaito:chat': { destructive: false, idempotent: false, readOnly: true },
      'kaito:get-workspace-status': reads,
      'kaito:index-techdocs': {
        destructive: false,
        idempotent: true,
        readOnly: false,
      },
      'kaito:list-models': reads,
      'kaito:list-workspaces': reads,
      'kaito:recommend-instance-types': reads,
    });
    expect(byId['kaito:get-workspace-status'].schema.input.required).toEqual([
      'entityRef',
    ]);
  });

  it('hides list-workspaces from a user without kaito.workspace.list', async () => {
    const res = await kb.get(ACTIONS, MALLORY);
    const ids = res.body.actions.map((a: any) => a.id);
    expect(ids).not.toContain('kaito:list-workspaces');
    expect(ids).toContain('kaito:get-workspace-status');
    expect((await invoke('list-workspaces', {}, MALLORY)).status).toBe(404);
  });

  it('list-workspaces returns the workspaces the caller may read', async () => {
    const all = await invoke('list-workspaces', {});
    expect(all.status).toBe(200);
    expect(all.body.output.items).toEqual([
      expect.objectContaining({
        entityRef: 'component:default/llama',
        cluster: 'sim',
        name: 'llama',
        phase: 'Ready',
        status: 'found',
        model: 'phi-4-mini-instruct',
        instanceType: 'Standard_NC24ads_A100_v4',
      }),
      expect.objectContaining({
        entityRef: 'component:default/phi',
        phase: 'Ready',
      }),
    ]);
    const reader = await invoke('list-workspaces', {}, READER);
    expect(reader.body.output.items).toHaveLength(2);
    const blind = await invoke('list-workspaces', {}, BLIND);
    expect(blind.status).toBe(200);
    expect(blind.body.output.items).toEqual([]);
    const filtered = await invoke('list-workspaces', { phase: 'Failed' });
    expect(filtered.body.output.items).toEqual([]);
  });

  it('get-workspace-status returns the snapshot route verdict', async () => {
    const res = await invoke('get-workspace-status', {
      entityRef: 'component:default/phi',
    });
    expect(res.status).toBe(200);
    const snapshot = (await kb.get(`${entityPath('phi')}/workspace`)).body;
    const out = res.body.output;
    expect(out).toMatchObject({
      entityRef: 'component:default/phi',
      cluster: 'sim',
      namespace: 'default',
      name: 'phi',
      status: 'found',
      phase: snapshot.readiness.phase,
      reason: snapshot.readiness.reason,
      outcome: snapshot.readiness.outcome,
    });
    expect(out.phase).toBe('Ready');
    expect(out.steps.map((s: any) => s.id)).toEqual(
      snapshot.readiness.steps.map((s: any) => s.id),
    );
    expect(out.conditions.length).toBeGreaterThan(0);
    // Short refs default to component:default.
    const short = await invoke('get-workspace-status', { entityRef: 'phi' });
    expect(short.body.output.entityRef).toBe('component:default/phi');
  });

  it('refuses a caller without permission with a clear error', async () => {
    const res = await invoke(
      'get-workspace-status',
      { entityRef: 'component:default/phi' },
      MALLORY,
    );
    expect(res.status).toBe(403);
    expect(res.body.error.message).toBe(
      'You are not allowed kaito.workspace.read on component:default/phi; ask an owner of the entity or your Backstage administrator for this permission',
    );
    const llama = await invoke(
      'get-workspace-status',
      { entityRef: 'component:default/llama' },
      BLIND,
    );
    expect(llama.status).toBe(403);
    expect(llama.body.error.message).toContain('kaito.workspace.read');
    const chat = await invoke(
      'chat',
      {
        entityRef: 'component:default/phi',
        messages: [{ role: 'user', content: 'hi' }],
      },
      READER,
    );
    expect(chat.status).toBe(403);
    expect(chat.body.error.message).toContain('kaito.workspace.chat');
  });

  it('chat answers from the simulated model and is audited without the prompt', async () => {
    const before = kb.audits.length;
    const prompt = 'What is the capital of the secret-prompt-marker?';
    const res = await invoke('chat', {
      entityRef: 'component:default/phi',
      messages: [{ role: 'user', content: prompt }],
      maxTokens: 16,
    });
    expect(res.status).toBe(200);
    expect(res.body.output.entityRef).toBe('component:default/phi');
    expect(res.body.output.content.length).toBeGreaterThan(0);
    expect(res.body.output.model).toBeTruthy();
    const audit = kb.audits
      .slice(before)
      .find(a => a.options.eventId === 'chat-completion');
    expect(audit?.options.meta).toEqual({
      entityRef: 'component:default/phi',
      target: 'sim/default/phi',
    });
    expect(audit?.outcome?.status).toBe('succeeded');
    expect(audit?.outcome?.meta).toMatchObject({
      stream: false,
      messageCount: 1,
      outcome: 'completed',
    });
    expect(
      JSON.stringify(
        kb.audits.map(a => [a.options.meta, a.outcome?.meta, a.outcome?.error]),
      ),
    ).not.toContain('secret-prompt-marker');
  });

  it('recommend-instance-types lists sizes that fit, cheapest first', async () => {
    const res = await invoke('recommend-instance-types', {
      model: 'phi-4-mini-instruct',
      region: 'eastus',
    });
    expect(res.status).toBe(200);
    const { options, cheapest, model } = res.body.output;
    expect(model).toBe('microsoft/Phi-4-mini-instruct');
    expect(options.length).toBeGreaterThan(1);
    expect(options.every((o: any) => o.usable)).toBe(true);
    const prices = options
      .filter((o: any) => o.perHour !== undefined)
      .map((o: any) => o.perHour);
    expect(prices).toEqual([...prices].sort((a, b) => a - b));
    expect(cheapest).toBe(options[0].instanceType);
    expect(options[0].nodes).toBe(1);
  });

  it('list-models filters the catalog', async () => {
    const res = await invoke('list-models', { search: 'phi-4' });
    expect(res.status).toBe(200);
    const names = res.body.output.models.map((m: any) => m.name);
    expect(names).toContain('microsoft/Phi-4-mini-instruct');
    expect(names.every((n: string) => /phi-4/i.test(n))).toBe(true);
    const small = await invoke('list-models', { maxWeightGiB: 10 });
    expect(
      small.body.output.models.every((m: any) => m.weightSizeGiB <= 10),
    ).toBe(true);
  });

  it('bad input gets a 400 that names the field', async () => {
    const cases: Array<[string, unknown, string]> = [
      ['get-workspace-status', {}, 'entityRef'],
      ['get-workspace-status', { entityRef: 'a:b:c/d/e' }, 'entityRef'],
      ['chat', { entityRef: 'phi', messages: [] }, 'messages'],
      ['recommend-instance-types', { model: 'no-such-model' }, 'model'],
      ['recommend-instance-types', { model: 'phi-4', replicas: 0 }, 'replicas'],
      ['list-models', { maxWeightGiB: 'big' }, 'maxWeightGiB'],
    ];
    for (const [id, input, field] of cases) {
      const res = await invoke(id, input);
      expect({ id, status: res.status }).toEqual({ id, status: 400 });
      expect(JSON.stringify(res.body.error)).toContain(field);
      expect(res.body.error.stack).toBeUndefined();
    }
  });
});
