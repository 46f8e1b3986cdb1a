import * as k8s from '@kubernetes/client-node';
import type { SimulatorFault } from '../controller/faults';
import { startSimulator, RunningSimulator } from '../simulator';
import { kube, waitFor, workspace, WS_PATH } from './http';

/** A RAGEngine manifest in front of workspace `ws` (v1beta1 unless told). */
export function ragEngine(
  name: string,
  namespace: string,
  opts: {
    workspace?: string;
    instanceType?: string;
    fault?: string;
    apiVersion?: string;
  } = {},
) {
  return {
    apiVersion: opts.apiVersion ?? 'kaito.sh/v1beta1',
    kind: 'RAGEngine',
    metadata: {
      name,
      namespace,
      ...(opts.fault
        ? { annotations: { 'kaito.simulator/fault': opts.fault } }
        : {}),
    },
    spec: {
      compute: {
        ...(opts.instanceType ? { instanceType: opts.instanceType } : {}),
        labelSelector: { matchLabels: { apps: name } },
      },
      embedding: { local: { modelID: 'BAAI/bge-small-en-v1.5' } },
      ...(opts.workspace
        ? {
            inferenceService: {
              url: `http://${opts.workspace}/v1/chat/completions`,
              contextWindowSize: 4096,
            },
          }
        : {}),
    },
  };
}

export const RAG_GVR = {
  group: 'kaito.sh',
  version: 'v1beta1',
  plural: 'ragengines',
};

export async function getRag(
  kc: k8s.KubeConfig,
  namespace: string,
  name: string,
  version = 'v1beta1',
): Promise<any> {
  return kc
    .makeApiClient(k8s.CustomObjectsApi)
    .getNamespacedCustomObject({ ...RAG_GVR, version, namespace, name });
}

export function ragCondition(obj: any, type: string): any {
  return (obj?.status?.conditions ?? []).find((c: any) => c.type === type);
}

/** Waits until a condition has the given status (and reason, when given). */
export function waitForRagCondition(
  kc: k8s.KubeConfig,
  namespace: string,
  name: string,
  type: string,
  status: string,
  reason?: string,
): Promise<any> {
  return waitFor(async () => {
    const obj = await getRag(kc, namespace, name);
    const c = ragCondition(obj, type);
    return c?.status === status && (!reason || c.reason === reason)
      ? obj
      : undefined;
  }, `${namespace}/${name} ${type}=${status}`);
}

/** What {@link useRagController} gives a test file; filled in by its `beforeAll`. */
export interface RagControllerSuite {
  sim: RunningSimulator;
  kc: k8s.KubeConfig;
  custom: k8s.CustomObjectsApi;
  /** Creates a RAGEngine in `default` through the real client. */
  create(body: object): Promise<unknown>;
}

/**
 * Registers `beforeAll`/`afterAll` for a RAGEngine controller test file: a
 * simulator with the given faults and workspace `phi` serving in `default`,
 * reached through the real @kubernetes/client-node.
 */
export function useRagController(
  faults: Record<string, SimulatorFault>,
): RagControllerSuite {
  const s = {
    create: (body: object) =>
      s.custom.createNamespacedCustomObject({
        ...RAG_GVR,
        namespace: 'default',
        body,
      }),
  } as RagControllerSuite;
  beforeAll(async () => {
    s.sim = await startSimulator({ log: () => {}, faults });
    s.kc = new k8s.KubeConfig();
    s.kc.loadFromString(s.sim.kubeconfig);
    s.custom = s.kc.makeApiClient(k8s.CustomObjectsApi);
    await kube(s.sim, 'POST', WS_PATH('default'), workspace('phi', 'default'));
    await waitFor(() => s.sim.inferenceUrl('default', 'phi'), 'phi inference');
  });
  afterAll(() => s.sim.stop());
  return s;
}
