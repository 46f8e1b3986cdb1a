import { timingAgainst } from '../timing';
import type { ReadinessTiming } from '../types';
import type { RagEnginePhase } from './types';

/**
 * What each RAGEngine phase usually takes, in seconds: a GPU node as for a
 * Workspace (5–15 minutes on AKS); the service within KAITO's 10-minute wait
 * for the Deployment (image pull and, for a local embedding model, its
 * download); deletion as long as the finalizer's garbage collection.
 */
export const RAG_TYPICAL_SECONDS: Partial<
  Record<RagEnginePhase, { min: number; max: number }>
> = {
  Pending: { min: 0, max: 120 },
  ProvisioningNodes: { min: 300, max: 900 },
  StartingService: { min: 30, max: 600 },
  Deleting: { min: 5, max: 300 },
};

/** Time in the phase since `since`, against the typical span (none for Ready and Failed). */
export function ragPhaseTiming(
  phase: RagEnginePhase,
  since: string | undefined,
  nowMs: number,
): ReadinessTiming {
  return timingAgainst(RAG_TYPICAL_SECONDS[phase], since, nowMs);
}
