import * as k8s from '@kubernetes/client-node';
import { ragEngineReadiness } from '@kaito-backstage/plugin-kaito-common';
import { startSimulator, RunningSimulator } from '../simulator';
import { kube, workspace, WS_PATH } from '../__testUtils__/http';
import {
  RAG_GVR,
  ragEngine,
  waitForRagCondition,
} from '../__testUtils__/ragengine';

/**
 * The simulated RAGEngines read by kaito-common's ragEngineReadiness (what
 * the portal shows), with their pods, NodeClaims and events as a reader
 * lists them: each scenario lands on the phase and cause a user should see.
 */
describe('simulated RAGEngines through ragEngineReadiness', () => {
  let sim: RunningSimulator;
  let kc: k8s.KubeConfig;

  async function read(name: string, engine: any) {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const custom = kc.makeApiClient(k8s.CustomObjectsApi);
    const pods = await core.listNamespacedPod({
      namespace: 'default',
      labelSelector: `kaito.sh/ragengine=${name}`,
    });
    const claims: any = await custom.listClusterCustomObject({
      group: 'karpenter.sh',
      version: 'v1',
      plural: 'nodeclaims',
      labelSelector: `kaito.sh/ragengine=${name}`,
    });
    const events = await core.listNamespacedEvent({ namespace: 'default' });
    return ragEngineReadiness(engine, {
      pods: pods.items as any,
      nodeClaims: claims.items,
      events: events.items as any,
    });
  }

  beforeAll(async () => {
    sim = await startSimulator({
      log: () => {},
      faults: { 'default/quota': 'quotaExceeded' },
    });
    kc = new k8s.KubeConfig();
    kc.loadFromString(sim.kubeconfig);
    await kube(sim, 'POST', WS_PATH('default'), workspace('phi', 'default'));
  });
  afterAll(() => sim.stop());

  it.each([
    [
      'ready',
      { workspace: 'phi', instanceType: 'Standard_NC24ads_A100_v4' },
      'True',
      { phase: 'Ready', canChat: true },
    ],
    ['retrieve', {}, 'True', { phase: 'Ready', canChat: false }],
    [
      'pull',
      { workspace: 'phi', fault: 'imagePullError' },
      'False',
      { phase: 'Failed', cause: 'imagePull' },
    ],
    [
      'crash',
      { workspace: 'phi', fault: 'crashLoop' },
      'False',
      { phase: 'Failed', cause: 'crashLoop' },
    ],
    [
      'quota',
      { instanceType: 'Standard_NC24ads_A100_v4' },
      'False',
      { phase: 'Failed', cause: 'quota' },
    ],
  ] as const)(
    '%s engine reads as its phase and cause',
    async (name, opts, succeeded, expected) => {
      await kc
        .makeApiClient(k8s.CustomObjectsApi)
        .createNamespacedCustomObject({
          ...RAG_GVR,
          namespace: 'default',
          body: ragEngine(name, 'default', opts),
        });
      const engine = await waitForRagCondition(
        kc,
        'default',
        name,
        'RAGEngineSucceeded',
        succeeded,
      );
      const readiness = await read(name, engine);
      expect(readiness).toMatchObject(expected);
      expect(readiness.reason).toBeTruthy();
    },
  );

  it('reads a deleting engine as Deleting', async () => {
    const custom = kc.makeApiClient(k8s.CustomObjectsApi);
    await custom.patchNamespacedCustomObject({
      ...RAG_GVR,
      namespace: 'default',
      name: 'retrieve',
      body: [{ op: 'add', path: '/metadata/finalizers/-', value: 'test/hold' }],
    });
    await custom.deleteNamespacedCustomObject({
      ...RAG_GVR,
      namespace: 'default',
      name: 'retrieve',
    });
    const engine = await waitForRagCondition(
      kc,
      'default',
      'retrieve',
      'RAGEngineDeleting',
      'True',
    );
    expect((await read('retrieve', engine)).phase).toBe('Deleting');
  });
});
