import { mockCredentials } from '@backstage/backend-test-utils';
import {
  findModel,
  validateRagEngine,
} from '@kaito-backstage/plugin-kaito-common';
import { RunningSimulator, testing } from '@kaito-backstage/kaito-simulator';
import request from 'supertest';
import { parse } from 'yaml';
import { dryRun } from './__testUtils__/portal';
import {
  entityProblems,
  hasShared,
  loadTemplate,
  ragEngineSchemaErrors,
  renderedFiles,
  templateProblems,
} from './__testUtils__/templates';
import { useDryRunPortal } from './__testUtils__/suites';

jest.setTimeout(120_000);

/** What a dry run must leave untouched: RAGEngines and namespaces. */
async function simulatorState(sim: RunningSimulator) {
  const names = async (path: string) =>
    ((await testing.kubeRequest(sim, 'GET', path)).body?.items ?? []).map(
      (i: { metadata: { name: string } }) => i.metadata.name,
    );
  return {
    ragengines: await names('/apis/kaito.sh/v1beta1/ragengines'),
    namespaces: await names('/api/v1/namespaces'),
  };
}

describe('kaito-rag: dry runs through the real scaffolder backend', () => {
  const suite = useDryRunPortal({
    simulator: { log: () => {} },
    seed: async sim => {
      await testing.kubeRequest(sim, 'POST', '/api/v1/namespaces', {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'team-a' },
      });
      await testing.seedWorkspace(
        sim,
        testing.workspaceManifest('phi-mini', 'team-a', {
          preset: 'microsoft/Phi-4-mini-instruct',
        }),
      );
    },
    entities: [
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Resource',
        metadata: {
          name: 'phi-mini',
          namespace: 'default',
          annotations: {
            'kaito.sh/workspace': 'team-a/phi-mini',
            'kaito.sh/cluster': 'sim',
          },
        },
        spec: { type: 'kaito-workspace', owner: 'group:default/ml-platform' },
      },
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Resource',
        metadata: { name: 'plain-db', namespace: 'default' },
        spec: { type: 'database', owner: 'group:default/ml-platform' },
      },
    ],
    state: simulatorState,
  });

  const values = {
    workspace: 'resource:default/phi-mini',
    name: 'team-docs',
    embedding: 'local',
    embeddingModelID: 'BAAI/bge-small-en-v1.5',
    guardrails: false,
    owner: 'group:default/ml-platform',
    system: 'system:default/llm-platform',
    waitForReady: true,
    timeoutMinutes: 5,
  };

  it('local embedding: apply, render, register; the RAGEngine is valid against the KAITO CRD and the entity depends on the workspace', async () => {
    const r = await dryRun(suite.server, 'kaito-rag', values);
    expect(r.body.error ?? r.body.errors).toBeUndefined();
    expect(r.status).toBe(200);
    expect(r.ran).toEqual(['apply', 'wait', 'build', 'register']);
    expect(
      r.body.output.links.map((l: { entityRef: string }) => l.entityRef),
    ).toEqual(['resource:default/team-docs', 'resource:default/phi-mini']);

    const files = renderedFiles(r.body);
    expect(Object.keys(files).sort()).toEqual([
      'team-docs/catalog-info.yaml',
      'team-docs/ragengine.yaml',
    ]);
    const rag = parse(files['team-docs/ragengine.yaml']);
    expect(hasShared ? ragEngineSchemaErrors(rag) : []).toEqual([]);
    expect(validateRagEngine(rag)).toEqual([]);
    expect(rag.metadata).toMatchObject({
      name: 'team-docs',
      namespace: 'team-a',
      labels: { 'backstage.io/kubernetes-id': 'team-docs' },
      annotations: {
        'backstage.io/owner': 'group:default/ml-platform',
        'backstage.io/system': 'system:default/llm-platform',
        'kaito.sh/rag-index': 'team-docs',
        'kaito.sh/depends-on': 'resource:default/phi-mini',
      },
    });
    expect(rag.spec).toEqual({
      compute: {
        labelSelector: { matchLabels: { 'kubernetes.io/os': 'linux' } },
      },
      embedding: { local: { modelID: 'BAAI/bge-small-en-v1.5' } },
      inferenceService: {
        url: 'http://phi-mini.team-a.svc.cluster.local/v1/chat/completions',
        contextWindowSize: findModel('microsoft/Phi-4-mini-instruct')!
          .contextLength,
      },
      guardrails: { enabled: false },
    });

    const entity = parse(files['team-docs/catalog-info.yaml']);
    expect(await entityProblems(entity)).toEqual([]);
    expect(entity.spec).toEqual({
      type: 'rag-engine',
      owner: 'group:default/ml-platform',
      system: 'system:default/llm-platform',
      dependsOn: ['resource:default/phi-mini'],
    });
    expect(entity.metadata.annotations).toEqual({
      'kaito.sh/ragengine': 'team-a/team-docs',
      'kaito.sh/cluster': 'sim',
      'kaito.sh/rag-index': 'team-docs',
      'backstage.io/kubernetes-id': 'team-docs',
    });
    const text = r.body.output.text
      .map((t: { content: string }) => t.content)
      .join('\n');
    expect(text).toContain(
      '/api/kaito/entity/resource/default/team-docs/chat/completions',
    );
    expect(text).toContain(
      'http://phi-mini.team-a.svc.cluster.local/v1/chat/completions',
    );
  });

  it('remote embedding, a GPU-less engine with Qdrant and a PVC, its own index and namespace', async () => {
    const r = await dryRun(suite.server, 'kaito-rag', {
      ...values,
      embedding: 'remote',
      embeddingUrl: 'https://embeddings.example.com/v1/embeddings',
      embeddingAccessSecret: 'embedding-key',
      vectorDbUrl: 'http://qdrant.vector.svc.cluster.local:6333',
      persistentVolumeClaim: 'docs-index',
      guardrails: true,
      index: 'handbook',
      namespace: 'rag-new',
      waitForReady: false,
    });
    // A namespace still to be created is dry-run itself; the RAGEngine is judged once it exists.
    expect(r.body.error ?? r.body.errors).toBeUndefined();
    expect(r.status).toBe(200);
    expect(r.log.join('\n')).toMatch(
      /Dry run: namespace 'rag-new' would be created/,
    );
    expect(r.skipped).toEqual(['wait']);
    const files = renderedFiles(r.body);
    const rag = parse(files['team-docs/ragengine.yaml']);
    expect(hasShared ? ragEngineSchemaErrors(rag) : []).toEqual([]);
    expect(validateRagEngine(rag)).toEqual([]);
    expect(rag.metadata.namespace).toBe('rag-new');
    expect(rag.spec.compute).toBeUndefined();
    expect(rag.spec.embedding).toEqual({
      remote: {
        url: 'https://embeddings.example.com/v1/embeddings',
        accessSecret: 'embedding-key',
      },
    });
    expect(rag.spec.storage).toEqual({
      persistentVolume: { persistentVolumeClaim: 'docs-index' },
      vectorDB: {
        engine: 'qdrant',
        url: 'http://qdrant.vector.svc.cluster.local:6333',
      },
    });
    expect(rag.spec.guardrails).toEqual({ enabled: true });
    const entity = parse(files['team-docs/catalog-info.yaml']);
    expect(entity.metadata.annotations['kaito.sh/rag-index']).toBe('handbook');
    expect(entity.metadata.annotations['kaito.sh/ragengine']).toBe(
      'rag-new/team-docs',
    );
  });

  it('a catalog entity without kaito.sh/workspace: 400 naming the field, nothing applied', async () => {
    const r = await dryRun(suite.server, 'kaito-rag', {
      ...values,
      workspace: 'resource:default/plain-db',
    });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({
      name: 'InputError',
      message: expect.stringMatching(
        /^workspace: resource:default\/plain-db has no kaito\.sh\/workspace annotation, so it is not a KAITO workspace/,
      ),
    });
  });

  it('a bad name: the form schema refuses it, naming the field', async () => {
    const r = await dryRun(suite.server, 'kaito-rag', {
      ...values,
      name: 'Bad_Name',
    });
    expect(r.status).toBe(400);
    const errors = JSON.stringify(r.body.errors ?? r.body.error);
    expect(errors).toMatch(/name/);
    expect(errors).toMatch(/does not match pattern/);
  });

  it('a remote embedding without its URL: the form schema refuses it', async () => {
    const r = await dryRun(suite.server, 'kaito-rag', {
      ...values,
      embedding: 'remote',
    });
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.body.errors ?? r.body.error)).toMatch(
      /embeddingUrl/,
    );
  });

  it('left nothing in the simulator', async () => {
    expect(await simulatorState(suite.sim)).toEqual(suite.before);
    expect(suite.before.ragengines).toEqual([]);
  });

  it('is a valid Template whose steps use installed actions with declared inputs', async () => {
    const template = loadTemplate('kaito-rag') as any;
    expect(await templateProblems(template)).toEqual([]);
    const res = await request(suite.server)
      .get('/api/scaffolder/v2/actions')
      .set('Authorization', mockCredentials.user.header());
    const actions = new Map<string, any>(
      res.body.map((a: { id: string; schema?: any }) => [a.id, a.schema]),
    );
    const problems: string[] = [];
    for (const step of template.spec.steps) {
      const schema = actions.get(step.action);
      if (!schema) {
        problems.push(`${step.id}: ${step.action} is not installed`);
        continue;
      }
      const declared = Object.keys(schema.input?.properties ?? {});
      for (const key of Object.keys(step.input ?? {})) {
        if (!declared.includes(key))
          problems.push(`${step.id}: ${step.action} has no input ${key}`);
      }
    }
    expect(problems).toEqual([]);
    // The workspace picker lists only entities with the kaito.sh/workspace annotation.
    expect(
      template.spec.parameters[0].properties.workspace['ui:options'],
    ).toEqual({
      defaultKind: 'Resource',
      catalogFilter: [
        {
          kind: 'Resource',
          'metadata.annotations.kaito.sh/workspace': { exists: true },
        },
      ],
    });
  });
});
