import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  RunningSimulator,
  startSimulator,
  testing,
} from '@kaito-backstage/kaito-simulator';
import type { KaitoClusters } from '@kaito-backstage/plugin-kaito-node';
import { parse } from 'yaml';
import { actionContext, clustersFor, simConfig } from '../__testUtils__/kit';
import { createRagEngineApplyAction } from './ragengineApply';
import { createRagEngineWaitAction } from './ragengineWait';
import { examples } from './ragengineWait.examples';

jest.setTimeout(60_000);

describe('kaito:ragengine:wait on the simulator', () => {
  let sim: RunningSimulator;
  let clusters: KaitoClusters;
  const catalog = catalogServiceMock({
    entities: [
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Resource',
        metadata: {
          name: 'phi',
          namespace: 'default',
          annotations: {
            'kaito.sh/workspace': 'default/phi',
            'kaito.sh/cluster': 'sim',
          },
        },
        spec: { type: 'kaito-workspace', owner: 'group:default/ml' },
      },
    ],
  });
  const apply = async (name: string) => {
    const { ctx, outputs } = actionContext({
      workspace: 'resource:default/phi',
      name,
    });
    await createRagEngineApplyAction({ clusters, catalog }).handler(ctx as any);
    return outputs;
  };

  beforeAll(async () => {
    sim = await startSimulator({
      log: () => {},
      faults: { 'default/rag-pull': 'imagePullError' },
    });
    clusters = clustersFor(simConfig(sim));
    await testing.seedWorkspace(sim, testing.workspaceManifest('phi'));
  });
  afterAll(async () => {
    await clusters?.stop();
    await sim?.stop();
  });

  it('the example waits for the applied RAGEngine until Ready, logging its phases', async () => {
    const applied = await apply('docs');
    const input = parse(examples[0].example).steps[0].input;
    const { ctx, outputs, lines } = actionContext({
      ...input,
      cluster: applied.cluster,
      ragengine: applied.ragengine,
    });
    await createRagEngineWaitAction({ clusters }).handler(ctx as any);
    expect(outputs).toMatchObject({ phase: 'Ready', ready: true });
    expect(lines.join('\n')).toMatch(
      /^info: RAGEngine default\/docs: Ready: /m,
    );
  });

  it('fails with the reason when the RAG service cannot start', async () => {
    const applied = await apply('rag-pull');
    const { ctx } = actionContext({
      cluster: applied.cluster,
      ragengine: applied.ragengine,
      timeoutMinutes: 1,
    });
    await expect(
      createRagEngineWaitAction({ clusters }).handler(ctx as any),
    ).rejects.toThrow(/^RAGEngine default\/rag-pull failed \(Failed/);
  });

  it('a RAGEngine that does not exist fails at once', async () => {
    const { ctx } = actionContext({
      cluster: 'sim',
      ragengine: 'default/nope',
    });
    await expect(
      createRagEngineWaitAction({ clusters }).handler(ctx as any),
    ).rejects.toThrow(
      /^RAGEngine default\/nope does not exist on cluster 'sim'; apply it first/,
    );
  });

  it('a malformed ref names the field', async () => {
    const { ctx } = actionContext({ cluster: 'sim', ragengine: 'just-a-name' });
    await expect(
      createRagEngineWaitAction({ clusters }).handler(ctx as any),
    ).rejects.toThrow(
      /^ragengine: 'just-a-name' must be "<namespace>\/<name>"/,
    );
  });

  it('a dry run does not wait', async () => {
    const { ctx, outputs } = actionContext(
      { cluster: 'sim', ragengine: 'default/docs' },
      { isDryRun: true },
    );
    await createRagEngineWaitAction({ clusters }).handler(ctx as any);
    expect(outputs).toMatchObject({ phase: 'Pending', ready: false });
  });
});
