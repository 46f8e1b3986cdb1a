import * as k8s from '@kubernetes/client-node';
import { waitFor } from './http';

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
