import {
  startSimulator,
  RunningSimulator,
} from '@kaito-backstage/kaito-simulator';
import type { KaitoClusters } from '@kaito-backstage/plugin-kaito-node';
import { parse } from 'yaml';
import {
  actionContext,
  clustersFor,
  kube,
  simConfig,
  useCountingCluster,
} from '../__testUtils__/kit';
import { createWorkspaceApplyAction } from './workspaceApply';

const base = {
  cluster: 'sim',
  namespace: 'default',
  name: 'phi',
  model: 'phi-4-mini-instruct',
  instanceType: 'Standard_NC24ads_A100_v4',
};

describe('kaito:workspace:apply input validation (fails before any call)', () => {
  const c = useCountingCluster();

  it.each([
    [
      { model: 'no-such-model' },
      /^model \(inference\.preset\.name\): "no-such-model" is neither a catalog model/,
    ],
    [
      { instanceType: 'Standard_NC12s_v3' },
      /^instanceType \(resource\.instanceType\): Unsupported instance type Standard_NC12s_v3\. NVIDIA V100 sizes were removed/,
    ],
    [
      { instanceType: 'Standard_Foo' },
      /^instanceType \(resource\.instanceType\): Unsupported instance type "Standard_Foo"/,
    ],
    [
      { instanceType: 'Standard_NG32ads_V620_v1' },
      /^instanceType: Cannot run .*AMD Radeon PRO V620/,
    ],
    [
      { name: 'Bad_Name' },
      /^name: 'Bad_Name' "Bad_Name" is not a valid DNS-1123 label/,
    ],
    [{ namespace: 'Team A' }, /^namespace: /],
    [
      { cluster: 'nope' },
      /^cluster: Cluster 'nope' is not configured; configured clusters: sim/,
    ],
    [
      { model: 'meta-llama/Llama-3.1-8B-Instruct' },
      /^hfTokenSecret \(modelAccessSecret\): meta-llama\/Llama-3\.1-8B-Instruct is gated/,
    ],
    [
      { apiVersion: 'kaito.sh/v1alpha1', hfTokenSecret: 'hf' },
      /^hfTokenSecret: kaito\.sh\/v1alpha1 has no/,
    ],
    [
      {
        apiVersion: 'kaito.sh/v1alpha1',
        model: 'meta-llama/Llama-3.1-8B-Instruct',
      },
      /^hfTokenSecret \(modelAccessSecret\): meta-llama\/Llama-3\.1-8B-Instruct is gated on Hugging Face, and kaito\.sh\/v1alpha1 has no .* use apiVersion kaito\.sh\/v1beta1/,
    ],
    [{ entityName: 'not a label!' }, /^entityName/],
    [
      {
        tuning: { method: 'lora', outputImage: 'x/y:1', outputPushSecret: 's' },
      },
      /^tuning: give exactly one training-data source/,
    ],
  ])('rejects %j naming the field', async (override, message) => {
    const { ctx } = actionContext({ ...base, ...override });
    const before = c.counter.count;
    await expect(
      createWorkspaceApplyAction({ clusters: c.clusters }).handler(ctx as any),
    ).rejects.toThrow(message);
    expect(c.counter.count).toBe(before);
  });
});

jest.setTimeout(30_000);

describe('kaito:workspace:apply on the simulator', () => {
  let sim: RunningSimulator;
  let clusters: KaitoClusters;

  beforeAll(async () => {
    sim = await startSimulator({ log: () => {} });
    clusters = clustersFor(simConfig(sim));
  });
  afterAll(async () => {
    await clusters?.stop();
    await sim?.stop();
  });

  it('applies server-side with the Backstage label and annotations, creating the namespace', async () => {
    const action = createWorkspaceApplyAction({ clusters });
    const { ctx, outputs } = actionContext({
      ...base,
      namespace: 'team-llm',
      entityName: 'phi-chat',
      owner: 'group:default/ml',
      system: 'llm',
      title: 'Phi chat',
      description: 'Phi-4 mini for support',
    });
    await action.handler(ctx as any);
    expect(outputs).toMatchObject({
      workspace: 'team-llm/phi',
      cluster: 'sim',
      apiVersion: 'kaito.sh/v1beta1',
      entityRef: 'resource:default/phi-chat',
      annotations: {
        'kaito.sh/workspace': 'team-llm/phi',
        'kaito.sh/cluster': 'sim',
        'backstage.io/kubernetes-id': 'phi-chat',
      },
    });
    const ws = (
      await kube(
        sim,
        '/apis/kaito.sh/v1beta1/namespaces/team-llm/workspaces/phi',
      )
    ).body;
    expect(ws.metadata.labels['backstage.io/kubernetes-id']).toBe('phi-chat');
    expect(ws.metadata.annotations).toMatchObject({
      'backstage.io/owner': 'group:default/ml',
      'backstage.io/system': 'llm',
      'backstage.io/title': 'Phi chat',
      'backstage.io/description': 'Phi-4 mini for support',
    });
    expect(ws.metadata.managedFields.map((f: any) => f.manager)).toContain(
      'backstage-kaito',
    );
    expect(parse(outputs.manifest as string).inference.preset.name).toBe(
      'phi-4-mini-instruct',
    );

    // Re-running (a retried step without a checkpoint) changes nothing.
    const again = actionContext({
      ...base,
      namespace: 'team-llm',
      entityName: 'phi-chat',
      owner: 'group:default/ml',
      system: 'llm',
      title: 'Phi chat',
      description: 'Phi-4 mini for support',
    });
    await action.handler(again.ctx as any);
    const after = (
      await kube(
        sim,
        '/apis/kaito.sh/v1beta1/namespaces/team-llm/workspaces/phi',
      )
    ).body;
    expect(after.metadata.generation).toBe(ws.metadata.generation);
    expect(after.metadata.uid).toBe(ws.metadata.uid);
  });

  it('refuses to change an immutable field, naming it', async () => {
    const action = createWorkspaceApplyAction({ clusters });
    await action.handler(actionContext({ ...base, name: 'imm' }).ctx as any);
    const { ctx } = actionContext({
      ...base,
      name: 'imm',
      instanceType: 'Standard_NC48ads_A100_v4',
    });
    await expect(action.handler(ctx as any)).rejects.toThrow(
      /^instanceType: Workspace default\/imm already exists on 'sim' and resource\.instanceType: .*cannot be changed/,
    );
  });

  it('works the same with kaito.sh/v1alpha1', async () => {
    const action = createWorkspaceApplyAction({ clusters });
    const { ctx, outputs } = actionContext({
      ...base,
      name: 'old',
      apiVersion: 'kaito.sh/v1alpha1',
    });
    await action.handler(ctx as any);
    expect(outputs.apiVersion).toBe('kaito.sh/v1alpha1');
    expect(
      (
        await kube(
          sim,
          '/apis/kaito.sh/v1alpha1/namespaces/default/workspaces/old',
        )
      ).status,
    ).toBe(200);
  });

  it('logs the builder warnings: a model id one typo off the catalog, and the nodes and cost of a multi-node size', async () => {
    const action = createWorkspaceApplyAction({ clusters });
    const typo = actionContext({
      ...base,
      name: 'typo',
      model: 'microsoft/Phi-4-mini-instrct',
    });
    await action.handler(typo.ctx as any);
    expect(typo.lines).toContainEqual(
      expect.stringMatching(
        /^warn: model \(inference\.preset\.name\): microsoft\/Phi-4-mini-instrct is not in KAITO's model catalog.*did you mean microsoft\/Phi-4-mini-instruct\?$/,
      ),
    );
    const big = actionContext({
      ...base,
      name: 'big',
      model: 'gpt-oss-120b',
      instanceType: 'Standard_NV36ads_A10_v5',
    });
    await action.handler(big.ctx as any);
    expect(big.lines).toContainEqual(
      expect.stringMatching(
        /^warn: instanceType \(resource\.instanceType\): openai\/gpt-oss-120b needs 8 × Standard_NV36ads_A10_v5 .*KAITO will provision 8 nodes .*USD\/hour/,
      ),
    );
  });

  it('builds a tuning Workspace', async () => {
    const action = createWorkspaceApplyAction({ clusters });
    const { ctx } = actionContext({
      ...base,
      name: 'tune',
      tuning: {
        method: 'qlora',
        inputUrls: ['https://example.com/data.parquet'],
        outputImage: 'example.azurecr.io/adapters/phi:1',
        outputPushSecret: 'acr-push',
      },
    });
    await action.handler(ctx as any);
    const ws = (
      await kube(
        sim,
        '/apis/kaito.sh/v1beta1/namespaces/default/workspaces/tune',
      )
    ).body;
    expect(ws.tuning).toMatchObject({
      method: 'qlora',
      input: { urls: ['https://example.com/data.parquet'] },
    });
  });

  it('dry run validates on the server and writes nothing', async () => {
    const action = createWorkspaceApplyAction({ clusters });
    const { ctx, outputs, lines } = actionContext(
      { ...base, name: 'dry' },
      { isDryRun: true },
    );
    await action.handler(ctx as any);
    expect(lines).toContain(
      'info: Dry run: the cluster accepted default/dry in a server-side dry run (nothing was written)',
    );
    expect(parse(outputs.manifest as string).metadata.name).toBe('dry');
    expect(
      (
        await kube(
          sim,
          '/apis/kaito.sh/v1beta1/namespaces/default/workspaces/dry',
        )
      ).status,
    ).toBe(404);
  });
});

describe("kaito:workspace:apply asks the cluster's admission first (dryRun=All)", () => {
  // A cluster whose KAITO runs without node auto-provisioning: its webhook
  // refuses an instanceType, which no client-side table knows about.
  let sim: RunningSimulator;
  let clusters: KaitoClusters;
  const denied =
    /^manifest: the cluster rejected Workspace default\/byo in a server-side dry run, before anything was created: instanceType: must be empty when node auto-provisioning is disabled/;

  beforeAll(async () => {
    sim = await startSimulator({
      log: () => {},
      admission: { featureGates: { disableNodeAutoProvisioning: true } },
    });
    clusters = clustersFor(simConfig(sim));
  });
  afterAll(async () => {
    await clusters?.stop();
    await sim?.stop();
  });

  it('a real run stops at the dry run: the denial names the input and nothing is created', async () => {
    const { ctx, outputs } = actionContext({ ...base, name: 'byo' });
    await expect(
      createWorkspaceApplyAction({ clusters }).handler(ctx as any),
    ).rejects.toThrow(denied);
    expect(outputs).toEqual({});
    expect(
      (
        await kube(
          sim,
          '/apis/kaito.sh/v1beta1/namespaces/default/workspaces/byo',
        )
      ).status,
    ).toBe(404);
  });

  it("the scaffolder's dry-run mode reports the same denial", async () => {
    const { ctx } = actionContext({ ...base, name: 'byo' }, { isDryRun: true });
    await expect(
      createWorkspaceApplyAction({ clusters }).handler(ctx as any),
    ).rejects.toThrow(denied);
  });

  it('a namespace that does not exist yet is dry-run itself, and the Workspace judged when applied', async () => {
    const { ctx, lines } = actionContext(
      { ...base, namespace: 'team-new', name: 'byo' },
      { isDryRun: true },
    );
    await createWorkspaceApplyAction({ clusters }).handler(ctx as any);
    expect(lines).toContain(
      "info: Dry run: namespace 'team-new' would be created; the cluster judges the Workspace once it exists",
    );
    expect((await kube(sim, '/api/v1/namespaces/team-new')).status).toBe(404);
  });
});
