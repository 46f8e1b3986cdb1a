import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  RunningSimulator,
  startSimulator,
  testing,
} from '@kaito-backstage/kaito-simulator';
import { clustersFor, kube } from '../__testUtils__/sim';
import { KaitoEntityProvider } from './KaitoEntityProvider';

jest.setTimeout(60_000);

const RAG = '/apis/kaito.sh/v1beta1/namespaces/default/ragengines';

function ragEngine(name: string, annotations: Record<string, string> = {}) {
  return {
    apiVersion: 'kaito.sh/v1beta1',
    kind: 'RAGEngine',
    metadata: { name, namespace: 'default', annotations },
    spec: {
      compute: {
        labelSelector: { matchLabels: { 'kubernetes.io/os': 'linux' } },
      },
      embedding: { local: { modelID: 'BAAI/bge-small-en-v1.5' } },
      inferenceService: {
        url: 'http://phi.default.svc.cluster.local/v1/chat/completions',
        contextWindowSize: 4096,
      },
    },
  };
}

describe('KaitoEntityProvider: RAGEngines on the simulator', () => {
  let sim: RunningSimulator;

  beforeAll(async () => {
    sim = await startSimulator({ log: () => {} });
    await testing.seedWorkspace(sim, testing.workspaceManifest('phi'));
  });
  afterAll(() => sim?.stop());

  it('registers RAGEngines that carry backstage.io/owner as rag-engine Resources, and drops them when deleted', async () => {
    const created = await kube(
      sim,
      'POST',
      RAG,
      ragEngine('docs', {
        'backstage.io/owner': 'group:default/ml-platform',
        'kaito.sh/rag-index': 'handbook',
        'kaito.sh/depends-on': 'resource:default/phi',
      }),
    );
    expect(created.status).toBe(201);
    expect((await kube(sim, 'POST', RAG, ragEngine('by-hand'))).status).toBe(
      201,
    );

    const mutations: Entity[][] = [];
    const provider = new KaitoEntityProvider({
      logger: mockServices.logger.mock(),
      kaito: clustersFor(sim),
    });
    await provider.connect({
      applyMutation: async (m: any) => {
        mutations.push(m.entities.map((d: { entity: Entity }) => d.entity));
      },
      refresh: async () => {},
    });
    expect(await provider.refresh()).toEqual({
      workspaces: 0,
      clusters: 0,
      ragengines: 1,
      failed: [],
    });
    const [entity] = mutations[mutations.length - 1];
    expect(entity.metadata.name).toBe('docs');
    expect(entity.metadata.annotations).toMatchObject({
      'kaito.sh/ragengine': 'default/docs',
      'kaito.sh/cluster': 'sim',
      'kaito.sh/rag-index': 'handbook',
    });
    expect(entity.spec).toEqual({
      type: 'rag-engine',
      owner: 'group:default/ml-platform',
      dependsOn: ['resource:default/phi'],
    });

    expect((await kube(sim, 'DELETE', `${RAG}/docs`)).status).toBeLessThan(300);
    await provider.refresh();
    expect(mutations[mutations.length - 1]).toEqual([]);
  });
});
