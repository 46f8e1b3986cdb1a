import { serviceUnavailable } from '../kube/errors';
import { PODS } from '../kube/resources';
import type { ObjectStore } from '../kube/store';
import type { RagBackend } from './server';
import type { RagRegistry } from './registry';

/** The label KAITO puts on a RAGEngine's Deployment, pods and Service selector. */
export const RAGENGINE_LABEL = 'kaito.sh/ragengine';

/**
 * The service proxy's view of a RAGEngine Service: its pod (label
 * `kaito.sh/ragengine=<name>`) answers once running and ready, on 5000.
 */
export function ragEndpoint(
  store: ObjectStore,
  rag: RagRegistry,
  namespace: string,
  engine: string,
  targetPort: number,
  shown: string,
): RagBackend {
  const pod = store
    .list(PODS, namespace)
    .find(p => p.metadata.labels?.[RAGENGINE_LABEL] === engine);
  const backend = rag.get(namespace, engine);
  const status = (pod?.status ?? {}) as {
    podIP?: string;
    conditions?: Array<{ type?: string; status?: string }>;
  };
  const ready = status.conditions?.some(
    c => c.type === 'Ready' && c.status === 'True',
  );
  if (!pod || !backend || !ready)
    throw serviceUnavailable(`no endpoints available for service "${shown}"`);
  if (backend.phase !== 'ready' || targetPort !== 5000) {
    throw serviceUnavailable(
      `error trying to reach service: dial tcp ${
        status.podIP ?? '10.244.0.1'
      }:${targetPort}: connect: connection refused`,
    );
  }
  return backend;
}
