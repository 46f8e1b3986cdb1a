import {
  KubeCondition,
  RAGEngine,
  RagEngineReadiness,
} from '@kaito-backstage/plugin-kaito-common';

/**
 * Until kaito-common's `ragEngineReadiness` lands: the verdict from the
 * controller's conditions alone (RAGEngineSucceeded, RAGEngineDeleting,
 * and the service condition under both its upstream types).
 */
export function interimRagEngineReadiness(rag: RAGEngine): RagEngineReadiness {
  const conditions: KubeCondition[] = rag.status?.conditions ?? [];
  const get = (...types: string[]) =>
    conditions.find(c => types.includes(c.type));
  const base = {
    steps: [],
    conditions,
    canChat: !!rag.spec?.inferenceService?.url,
    instanceType: rag.spec?.compute?.instanceType,
  };
  const deleting = get('RAGEngineDeleting');
  if (rag.metadata.deletionTimestamp || deleting?.status === 'True') {
    return {
      ...base,
      phase: 'Deleting',
      outcome: 'progress',
      reason: 'The RAGEngine is being deleted',
    };
  }
  const failed = [
    get('RAGEngineSucceeded'),
    get('ServiceReady', 'RAGEngineServiceReady'),
    get('ResourceReady'),
  ].find(c => c?.status === 'False');
  if (failed) {
    return {
      ...base,
      phase: 'Failed',
      outcome: 'terminal',
      cause: 'other',
      reason: `${failed.type}: ${failed.message ?? failed.reason ?? 'failed'}`,
    };
  }
  if (get('RAGEngineSucceeded')?.status === 'True') {
    return {
      ...base,
      phase: 'Ready',
      outcome: 'ready',
      reason: 'The RAGEngine is ready',
    };
  }
  if (get('ServiceReady', 'RAGEngineServiceReady')?.status === 'True') {
    return {
      ...base,
      phase: 'StartingService',
      outcome: 'progress',
      reason: 'The RAG service is starting',
    };
  }
  return {
    ...base,
    phase:
      get('ResourceReady')?.status === 'True' ? 'StartingService' : 'Pending',
    outcome: 'progress',
    reason: 'Waiting for the KAITO controller',
  };
}
