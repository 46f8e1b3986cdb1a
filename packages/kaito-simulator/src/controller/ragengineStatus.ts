import { RAGENGINES } from '../kube/resources';
import type { ObjectStore } from '../kube/store';
import { isRecord } from '../kube/types';
import { ConditionInput, upsertCondition } from './status';

/**
 * The RAGEngine controller's condition types and reasons
 * (`api/v1beta1/condition_types.go`, `ragengine_controller.go`). Success
 * writes `ServiceReady`; a service failure writes a different type,
 * `RAGEngineServiceReady` (upstream's inconsistency, kept on purpose).
 */
export const RAG_CONDITIONS = {
  resource: 'ResourceReady',
  nodeClaim: 'NodeClaimReady',
  serviceOk: 'ServiceReady',
  serviceFailed: 'RAGEngineServiceReady',
  succeeded: 'RAGEngineSucceeded',
  deleting: 'RAGEngineDeleting',
} as const;

export const RAG_STATUS = {
  resourceReady: {
    status: 'True',
    reason: 'ragengineResourceStatusSuccess',
    message: 'ragengine resource is ready',
  },
  resourceFailed: (m: string) => ({
    status: 'False',
    reason: 'ragengineResourceStatusFailed',
    message: m,
  }),
  nodeClaimPending: {
    status: 'Unknown',
    reason: 'CreateNodeClaimPending',
    message: 'creating 1 nodeClaim',
  },
  nodeClaimReady: {
    status: 'True',
    reason: 'installNodePluginsSuccess',
    message: 'nodeClaim plugins have been installed successfully',
  },
  nodeClaimCheckFailed: (m: string) => ({
    status: 'False',
    reason: 'checkNodeClaimStatusFailed',
    message: m,
  }),
  serviceReady: {
    status: 'True',
    reason: 'RAGEngineServiceSuccess',
    message: 'Inference has been deployed successfully',
  },
  serviceFailed: (m: string) => ({
    status: 'False',
    reason: 'RAGEngineServiceStatusFailed',
    message: m,
  }),
  succeeded: {
    status: 'True',
    reason: 'ragengineSucceeded',
    message: 'ragengine succeeds',
  },
  failed: (m: string) => ({
    status: 'False',
    reason: 'ragengineFailed',
    message: m,
  }),
  deleting: {
    status: 'True',
    reason: 'ragengineDeleted',
    message: 'ragengine is being deleted',
  },
} satisfies Record<string, ConditionInput | ((m: string) => ConditionInput)>;

export class RagEngineStatusWriter {
  constructor(
    private readonly store: ObjectStore,
    private readonly namespace: string,
    private readonly name: string,
  ) {}

  /** Sets conditions in the order given (each as one status write, like the controller's calls). */
  set(
    conditions: Array<[string, ConditionInput]>,
    workerNodes?: string[],
  ): void {
    this.store.mutate(RAGENGINES, this.namespace, this.name, rag => {
      const status = isRecord(rag.status) ? { ...rag.status } : {};
      let list = Array.isArray(status.conditions)
        ? (status.conditions as Array<Record<string, unknown>>)
        : [];
      for (const [type, c] of conditions)
        list = upsertCondition(list, type, c, rag.metadata.generation);
      status.conditions = list;
      if (workerNodes) status.workerNodes = workerNodes;
      rag.status = status;
    });
  }
}
