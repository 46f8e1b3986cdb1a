import {
  RAGEngine,
  RagEngineReadiness,
  RagEngineReadinessContext,
  RagEngineSnapshot,
  RagEngineSummary,
} from '@kaito-backstage/plugin-kaito-common';
import { RagEngineRead } from './readRagEngine';
import { RagEngineKey } from './types';

/** A RAGEngine's snapshot before it is told for one entity (which adds its `entityRef` and index). */
export type RagEngineState = Omit<
  RagEngineSnapshot,
  'entityRef' | 'ragengine'
> & {
  ragengine?: Omit<RagEngineSummary, 'index'>;
};

/** The readiness classifier (kaito-common's `ragEngineReadiness`). */
export type RagEngineReadinessFn = (
  ragengine: RAGEngine,
  context: RagEngineReadinessContext,
) => RagEngineReadiness;

/** The facts a UI shows next to readiness. */
export function summarizeRagEngine(
  rag: RAGEngine,
): Omit<RagEngineSummary, 'index'> {
  const spec = rag.spec ?? ({} as RAGEngine['spec']);
  return {
    apiVersion: rag.apiVersion,
    createdAt: rag.metadata.creationTimestamp,
    embedding: spec.embedding?.remote
      ? { kind: 'remote' }
      : { kind: 'local', modelID: spec.embedding?.local?.modelID },
    vectorDB: spec.storage?.vectorDB?.engine ?? 'faiss',
    inferenceUrl: spec.inferenceService?.url,
    contextWindowSize: spec.inferenceService?.contextWindowSize,
    instanceType: spec.compute?.instanceType,
    guardrails: spec.guardrails?.enabled === true,
    persistent: !!spec.storage?.persistentVolume,
    deleting: !!rag.metadata.deletionTimestamp,
  };
}

/** The state of one RAGEngine from what was read. */
export function ragEngineState(
  key: RagEngineKey,
  read: RagEngineRead,
  readiness: RagEngineReadinessFn,
  now = new Date(),
): RagEngineState {
  const base = {
    cluster: key.cluster,
    namespace: key.namespace,
    name: key.name,
    observedAt: now.toISOString(),
  };
  if (read.status !== 'found') {
    return { ...base, status: read.status, message: read.message };
  }
  return {
    ...base,
    status: 'found',
    readiness: readiness(read.ragengine, {
      pods: read.pods,
      events: read.events,
      now,
    }),
    ragengine: summarizeRagEngine(read.ragengine),
  };
}

/** The state told for one entity: its ref and index added. */
export function ragEngineSnapshotFor(
  state: RagEngineState,
  entityRef: string,
  index: string,
): RagEngineSnapshot {
  return {
    ...state,
    entityRef,
    ragengine: state.ragengine ? { ...state.ragengine, index } : undefined,
  };
}
