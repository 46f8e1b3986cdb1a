import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  findModel,
  validateRagEngine,
} from '@kaito-backstage/plugin-kaito-common';
import {
  RunningSimulator,
  startSimulator,
  testing,
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
import { createRagEngineApplyAction } from './ragengineApply';
import { examples } from './ragengineApply.examples';

jest.setTimeout(30_000);

function workspaceEntity(
  name: string,
  annotations: Record<string, string>,
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'kaito-workspace', owner: 'group:default/ml-platform' },
  };
}

const ENTITIES = [
  workspaceEntity('phi-4-mini', {
    'kaito.sh/workspace': 'default/phi',
    'kaito.sh/cluster': 'sim',
  }),
  workspaceEntity('plain', {}),
  workspaceEntity('no-cluster', { 'kaito.sh/workspace': 'default/phi' }),
  workspaceEntity('gone', {
    'kaito.sh/workspace': 'default/gone',
    'kaito.sh/cluster': 'sim',
  }),
  workspaceEntity('tuner', {
    'kaito.sh/workspace': 'default/tuner',
    'kaito.sh/cluster': 'sim',
  }),
];

const base = { workspace: 'resource:default/phi-4-mini', name: 'docs' };

describe('kaito:ragengine:apply input validation (fails before any cluster call)', () => {
  const c = useCountingCluster();
  const catalog = catalogServiceMock({ entities: ENTITIES });

  it.each([
    [
      { name: 'Bad_Name' },
      /^name: 'Bad_Name' "Bad_Name" is not a valid DNS-1123 label/,
    ],
    [{ namespace: 'Team A' }, /^namespace: /],
    [
      { index: 'no spaces please' },
      /^index: 'no spaces please' must be 1-63 letters/,
    ],
    [
      { workspace: 'resource:default/plain' },
      /^workspace: resource:default\/plain has no kaito\.sh\/workspace annotation, so it is not a KAITO workspace; pick an entity of type kaito-workspace/,
    ],
    [
      { workspace: 'resource:default/nope' },
      /^workspace: resource:default\/nope is not in the catalog or you cannot see it/,
    ],
    [
      { workspace: 'resource:default/no-cluster' },
      /^workspace: resource:default\/no-cluster has no kaito\.sh\/cluster annotation/,
    ],
    [
      {
        embeddingUrl: 'https://e.example.com/v1/embeddings',
        embeddingModelID: 'BAAI/bge-small-en-v1.5',
      },
      /^embeddingUrl: give either a remote embedding URL or a local embeddingModelID, not both/,
    ],
    [
      { embeddingUrl: 'ftp://e.example.com' },
      /^embeddingUrl \(spec\.embedding\.remote\.url\): URL scheme "ftp:" is not supported/,
    ],
    [
      { vectorDbUrl: 'not a url' },
      /^vectorDbUrl \(spec\.storage\.vectorDB\.url\): "not a url" is not a valid URL/,
    ],
    [
      { vectorDbAccessSecret: 'qdrant-key' },
      /^vectorDbAccessSecret: is only used with a Qdrant vector database/,
    ],
    [
      { persistentVolumeClaim: 'Bad PVC' },
      /^persistentVolumeClaim \(spec\.storage\.persistentVolume\.persistentVolumeClaim\): /,
    ],
    [
      { instanceType: 'Standard_NC12s_v3' },
      /^instanceType \(spec\.compute\.instanceType\): Unsupported instance type Standard_NC12s_v3/,
    ],
  ])('rejects %j naming the field', async (override, message) => {
    const { ctx, outputs } = actionContext({ ...base, ...override });
    const before = c.counter.count;
    await expect(
      createRagEngineApplyAction({ clusters: c.clusters, catalog }).handler(
        ctx as any,
      ),
    ).rejects.toThrow(message);
    expect(c.counter.count).toBe(before);
    expect(outputs).toEqual({});
  });
});

describe('kaito:ragengine:apply on the simulator', () => {
  let sim: RunningSimulator;
  let clusters: KaitoClusters;
  const catalog = catalogServiceMock({ entities: ENTITIES });
  const phiContext = findModel('phi-4-mini-instruct')!.contextLength;
  const ragengines = async () =>
    (await kube(sim, '/apis/kaito.sh/v1beta1/ragengines')).body?.items ?? [];

  beforeAll(async () => {
    sim = await startSimulator({ log: () => {} });
    clusters = clustersFor(simConfig(sim));
    await testing.seedWorkspace(sim, testing.workspaceManifest('phi'));
    const tuner = await testing.kubeRequest(
      sim,
      'POST',
      '/apis/kaito.sh/v1beta1/namespaces/default/workspaces',
      {
        apiVersion: 'kaito.sh/v1beta1',
        kind: 'Workspace',
        metadata: { name: 'tuner', namespace: 'default' },
        resource: {
          instanceType: 'Standard_NC24ads_A100_v4',
          labelSelector: { matchLabels: { apps: 'tuner' } },
        },
        tuning: {
          preset: { name: 'phi-4-mini-instruct' },
          method: 'qlora',
          input: { urls: ['https://example.com/d.parquet'] },
          output: { image: 'example.azurecr.io/a:1', imagePushSecret: 'p' },
        },
      },
    );
    if (tuner.status !== 201) throw new Error(JSON.stringify(tuner.body));
  });
  afterAll(async () => {
    await clusters?.stop();
    await sim?.stop();
  });

  it.each(examples.map(e => [e.description, e] as const))(
    'example "%s" passes a dry run with the URL and context window derived, writing nothing',
    async (_d, example) => {
      const input = parse(example.example).steps[0].input;
      const { ctx, outputs, lines } = actionContext(input, { isDryRun: true });
      const run = createRagEngineApplyAction({ clusters, catalog }).handler(
        ctx as any,
      );
      await run;
      const manifest = parse(outputs.manifest as string);
      expect(validateRagEngine(manifest)).toEqual([]);
      expect(manifest.spec.inferenceService).toEqual({
        url: 'http://phi.default.svc.cluster.local/v1/chat/completions',
        contextWindowSize: phiContext,
      });
      expect(outputs).toMatchObject({
        cluster: 'sim',
        ragengine: `${input.namespace ?? 'default'}/${input.name}`,
        index: input.index ?? input.name,
        workspaceEntityRef: 'resource:default/phi-4-mini',
        entityRef: `resource:default/${input.name}`,
      });
      expect(lines.join('\n')).toMatch(
        /^info: Dry run: (the cluster|namespace)/m,
      );
      expect(await ragengines()).toEqual([]);
      expect((await kube(sim, '/api/v1/namespaces/team-docs')).status).toBe(
        404,
      );
    },
  );

  it('applies server-side with the Backstage label and annotations; a re-run changes nothing', async () => {
    const action = createRagEngineApplyAction({ clusters, catalog });
    const input = {
      ...base,
      owner: 'group:default/ml-platform',
      guardrails: true,
      persistentVolumeClaim: 'docs-index',
    };
    const { ctx, outputs } = actionContext(input);
    const run = action.handler(ctx as any);
    await run;
    expect(outputs.annotations).toEqual({
      'kaito.sh/ragengine': 'default/docs',
      'kaito.sh/cluster': 'sim',
      'kaito.sh/rag-index': 'docs',
      'backstage.io/kubernetes-id': 'docs',
    });
    const path = '/apis/kaito.sh/v1beta1/namespaces/default/ragengines/docs';
    const rag = (await kube(sim, path)).body;
    expect(rag.spec).toMatchObject({
      embedding: { local: { modelID: 'BAAI/bge-small-en-v1.5' } },
      compute: {
        labelSelector: { matchLabels: { 'kubernetes.io/os': 'linux' } },
      },
      inferenceService: {
        url: 'http://phi.default.svc.cluster.local/v1/chat/completions',
        contextWindowSize: phiContext,
      },
      storage: { persistentVolume: { persistentVolumeClaim: 'docs-index' } },
      guardrails: { enabled: true },
    });
    expect(rag.metadata.labels['backstage.io/kubernetes-id']).toBe('docs');
    expect(rag.metadata.annotations).toMatchObject({
      'backstage.io/owner': 'group:default/ml-platform',
      'kaito.sh/rag-index': 'docs',
      'kaito.sh/depends-on': 'resource:default/phi-4-mini',
    });
    expect(rag.metadata.managedFields.map((f: any) => f.manager)).toContain(
      'backstage-kaito',
    );

    await action.handler(actionContext(input).ctx as any);
    const after = (await kube(sim, path)).body;
    expect(after.metadata.generation).toBe(rag.metadata.generation);
    expect(after.metadata.uid).toBe(rag.metadata.uid);
  });

  it('a workspace entity whose Workspace is not on the cluster fails naming the field; nothing applied', async () => {
    const before = await ragengines();
    const { ctx } = actionContext({
      ...base,
      workspace: 'resource:default/gone',
      name: 'x',
    });
    await expect(
      createRagEngineApplyAction({ clusters, catalog }).handler(ctx as any),
    ).rejects.toThrow(
      /^workspace: Workspace default\/gone \(resource:default\/gone\) is not on cluster 'sim'; deploy it first/,
    );
    expect(await ragengines()).toEqual(before);
  });

  it('a tuning workspace is refused', async () => {
    const { ctx } = actionContext({
      ...base,
      workspace: 'resource:default/tuner',
      name: 'y',
    });
    await expect(
      createRagEngineApplyAction({ clusters, catalog }).handler(ctx as any),
    ).rejects.toThrow(
      /^workspace: resource:default\/tuner is a tuning Workspace/,
    );
  });

  it('contextWindowSize overrides the catalog value', async () => {
    const { ctx, outputs } = actionContext(
      { ...base, name: 'small', contextWindowSize: 2048 },
      { isDryRun: true },
    );
    const run = createRagEngineApplyAction({ clusters, catalog }).handler(
      ctx as any,
    );
    await run;
    expect(outputs.contextWindowSize).toBe(2048);
    expect(
      parse(outputs.manifest as string).spec.inferenceService.contextWindowSize,
    ).toBe(2048);
  });
});
