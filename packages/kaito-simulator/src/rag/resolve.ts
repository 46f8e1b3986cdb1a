import { WORKSPACE_LABEL } from '../controller/objects';
import type { InferenceRegistry } from '../inference/registry';
import { SERVICES } from '../kube/resources';
import type { ObjectStore } from '../kube/store';
import { isRecord } from '../kube/types';
import type { WorkspaceResolver } from './llm';

/**
 * Cluster DNS for the engine's LLM_INFERENCE_URL: the Service of that name
 * in that namespace, then the workspace pod behind its selector (its
 * inference server, opened on loopback as a port-forward would).
 */
export function workspaceResolver(
  store: ObjectStore,
  inference: InferenceRegistry,
): WorkspaceResolver {
  return async (namespace, name) => {
    const svc = store.peek(SERVICES, namespace, name);
    if (!svc) return { error: 'unknownHost' };
    const selector =
      isRecord(svc.spec) && isRecord(svc.spec.selector)
        ? svc.spec.selector
        : {};
    const workspace = selector[WORKSPACE_LABEL];
    const backend =
      typeof workspace === 'string'
        ? inference.get(namespace, workspace)
        : undefined;
    if (!backend || backend.phase !== 'ready') return { error: 'refused' };
    const url = await inference.listen(namespace, String(workspace));
    return url ? { url } : { error: 'refused' };
  };
}
