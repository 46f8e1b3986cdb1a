import * as k8s from '@kubernetes/client-node';
import { startSimulator, RunningSimulator } from '../simulator';
import { kube, workspace, WS_PATH } from '../__testUtils__/http';
import { crdDocument, crdValidators, schemaErrors } from '../__testUtils__/crd';
import { ragConditionFacts } from '../__testUtils__/ragFacts';
import {
  getRag,
  RAG_GVR,
  ragEngine,
  waitForRagCondition,
} from '../__testUtils__/ragengine';

/**
 * Contract: what the simulator stores and returns for RAGEngines against
 * facts from KAITO's own sources in ../shared — the CRD's openAPIV3Schema
 * (both versions), its printer columns, and the condition types and reasons
 * the research notes took from the controller.
 */
const CRD = 'kaito.sh_ragengines.yaml';
const validators = crdValidators(CRD);
const facts = ragConditionFacts();
const describeShared = validators && facts ? describe : describe.skip;
if (!validators || !facts) {
  // eslint-disable-next-line no-console
  console.warn('RAGEngine contract test skipped: no ../shared');
}

describeShared(
  'contract: simulated RAGEngines against the KAITO CRD and controller facts',
  () => {
    let sim: RunningSimulator;
    let kc: k8s.KubeConfig;
    const objects: Record<string, any> = {};

    beforeAll(async () => {
      sim = await startSimulator({
        log: () => {},
        faults: { 'default/quota': 'quotaExceeded' },
      });
      kc = new k8s.KubeConfig();
      kc.loadFromString(sim.kubeconfig);
      await kube(sim, 'POST', WS_PATH('default'), workspace('phi', 'default'));
      const custom = kc.makeApiClient(k8s.CustomObjectsApi);
      const cases: Array<
        [string, Parameters<typeof ragEngine>[2], string, string]
      > = [
        [
          'ready',
          { workspace: 'phi', instanceType: 'Standard_NC24ads_A100_v4' },
          'RAGEngineSucceeded',
          'True',
        ],
        ['retrieve', {}, 'RAGEngineSucceeded', 'True'],
        [
          'alpha',
          { apiVersion: 'kaito.sh/v1alpha1' },
          'RAGEngineSucceeded',
          'True',
        ],
        [
          'pull',
          { workspace: 'phi', fault: 'imagePullError' },
          'RAGEngineSucceeded',
          'False',
        ],
        ['crash', { fault: 'crashLoop' }, 'RAGEngineSucceeded', 'False'],
        [
          'quota',
          { instanceType: 'Standard_NC24ads_A100_v4' },
          'RAGEngineSucceeded',
          'False',
        ],
      ];
      for (const [name, opts] of cases)
        await custom.createNamespacedCustomObject({
          ...RAG_GVR,
          namespace: 'default',
          body: ragEngine(name, 'default', opts),
        });
      for (const [name, , type, status] of cases)
        objects[name] = await waitForRagCondition(
          kc,
          'default',
          name,
          type,
          status,
        );
      // A deleting one, held by a foreign finalizer so its status can be read.
      await custom.createNamespacedCustomObject({
        ...RAG_GVR,
        namespace: 'default',
        body: ragEngine('gone', 'default'),
      });
      await waitForRagCondition(
        kc,
        'default',
        'gone',
        'RAGEngineSucceeded',
        'True',
      );
      await custom.patchNamespacedCustomObject({
        ...RAG_GVR,
        namespace: 'default',
        name: 'gone',
        body: [
          { op: 'add', path: '/metadata/finalizers/-', value: 'test/hold' },
        ],
      });
      await custom.deleteNamespacedCustomObject({
        ...RAG_GVR,
        namespace: 'default',
        name: 'gone',
      });
      objects.gone = await waitForRagCondition(
        kc,
        'default',
        'gone',
        'RAGEngineDeleting',
        'True',
      );
    });
    afterAll(() => sim?.stop());

    it('stores objects that validate against the CRD schema of each served version', async () => {
      for (const [name, obj] of Object.entries(objects)) {
        expect([name, schemaErrors(validators!.v1beta1, obj)]).toEqual([
          name,
          [],
        ]);
        const alpha = await getRag(kc, 'default', name, 'v1alpha1');
        expect(alpha.apiVersion).toBe('kaito.sh/v1alpha1');
        expect([name, schemaErrors(validators!.v1alpha1, alpha)]).toEqual([
          name,
          [],
        ]);
      }
    });

    it('writes only condition types and reasons the KAITO controller writes', () => {
      expect(facts!.names.size).toBeGreaterThan(8);
      for (const [name, obj] of Object.entries(objects)) {
        for (const c of obj.status.conditions) {
          expect([name, c.type, facts!.names.has(c.type)]).toEqual([
            name,
            c.type,
            true,
          ]);
          expect([
            name,
            c.reason,
            facts!.names.has(c.reason) || facts!.reasonless.has(c.type),
          ]).toEqual([name, c.reason, true]);
        }
      }
      // The upstream inconsistency: ServiceReady on success, RAGEngineServiceReady on failure.
      const types = (name: string) =>
        objects[name].status.conditions.map((c: any) => c.type);
      expect(types('ready')).toContain('ServiceReady');
      expect(types('pull')).toContain('RAGEngineServiceReady');
      expect(types('pull')).not.toContain('ServiceReady');
      expect(types('crash')).toContain('RAGEngineServiceReady');
    });

    it('fills the CRD printer columns (ResourceReady, ServiceReady) on a Ready engine', () => {
      const crd = crdDocument(CRD);
      const columns = crd.spec.versions.find(
        (v: any) => v.name === 'v1beta1',
      ).additionalPrinterColumns;
      const conditionColumns = columns
        .map((c: any) => /@\.type=="(\w+)"/.exec(c.jsonPath)?.[1])
        .filter(Boolean);
      expect(conditionColumns.length).toBeGreaterThan(0);
      for (const type of conditionColumns) {
        const c = objects.ready.status.conditions.find(
          (x: any) => x.type === type,
        );
        expect([type, c?.status]).toEqual([type, 'True']);
      }
    });

    it('proxies to none of the failed engines', async () => {
      for (const name of ['pull', 'crash', 'quota']) {
        const r = await kube(
          sim,
          'GET',
          `/api/v1/namespaces/default/services/${name}:http/proxy/health`,
        );
        expect([name, r.status]).toEqual([name, name === 'quota' ? 404 : 503]);
      }
    });
  },
);
