import type { Signal } from '../signal';
import type { FailureKind } from '../types';
import type { RagEngineFailureKind } from './types';

/** One piece of evidence that a RAGEngine failed, from a condition, a NodeClaim, a pod or an event. */
export interface RagSignal extends Omit<Signal, 'kind'> {
  kind: RagEngineFailureKind;
  /** The Workspace reader's finer kind (oom, gatedModel, startError…), for the wording. */
  origin?: FailureKind;
  /** The condition type it was read from, when KAITO wrote it. */
  conditionType?: string;
  /** The condition's observedGeneration, when KAITO wrote it. */
  generation?: number;
}

/** The Workspace readers' kinds as RAGEngine kinds (a RAG pod has no model weights of its own). */
const FROM_WORKSPACE: Partial<Record<FailureKind, RagEngineFailureKind>> = {
  quota: 'quota',
  provisioning: 'provisioning',
  imagePull: 'imagePull',
  crashLoop: 'crashLoop',
  oom: 'crashLoop',
  gatedModel: 'crashLoop',
  startError: 'service',
  unschedulable: 'unschedulable',
  evicted: 'other',
  nodePressure: 'other',
};

/** A NodeClaim, pod or event signal from the shared readers, as a RAGEngine signal. */
export function fromWorkspaceSignal(s: Signal): RagSignal | undefined {
  const kind = FROM_WORKSPACE[s.kind];
  if (!kind) return undefined;
  return { ...s, kind, ...(kind !== s.kind ? { origin: s.kind } : {}) };
}

/** The most specific evidence wins: quota beats a provisioning timeout, a pod's crash beats KAITO's wait timing out. */
export const RAG_PRIORITY: RagEngineFailureKind[] = [
  'quota',
  'imagePull',
  'crashLoop',
  'provisioning',
  'resource',
  'unschedulable',
  'service',
  'other',
];

export const RAG_NODE_KINDS: RagEngineFailureKind[] = ['quota', 'provisioning'];

export function pickRag(
  signals: RagSignal[],
  kinds: RagEngineFailureKind[] = RAG_PRIORITY,
): RagSignal | undefined {
  for (const k of kinds) {
    const s = signals.find(x => x.kind === k);
    if (s) return s;
  }
  return undefined;
}
