import type {
  KubeCondition,
  KubeEvent,
  KubePod,
  NodeClaim,
} from '../../types/kube';
import type {
  KaitoMessage,
  ReadinessOutcome,
  ReadinessStep,
  ReadinessTiming,
} from '../types';

/** Where a RAGEngine is in its life, in one word. */
export type RagEnginePhase =
  | 'Pending'
  | 'ProvisioningNodes'
  | 'StartingService'
  | 'Ready'
  | 'Failed'
  | 'Deleting';

/** What a RAGEngine's failure is about. */
export type RagEngineFailureKind =
  | 'quota'
  | 'provisioning'
  | 'resource'
  | 'service'
  | 'imagePull'
  | 'crashLoop'
  | 'unschedulable'
  | 'other';

export interface RagEngineReadiness {
  phase: RagEnginePhase;
  /** One plain sentence; includes the fix when one is known. */
  reason: string;
  outcome: ReadinessOutcome;
  cause?: RagEngineFailureKind;
  steps: ReadinessStep[];
  conditions: KubeCondition[];
  /** KAITO's own words behind the verdict, verbatim, capped, tokens redacted. */
  kaitoMessage?: KaitoMessage;
  fix?: string;
  timing?: ReadinessTiming;
  /** False in retrieve-only mode (no `spec.inferenceService`): chat is unavailable, retrieval works. */
  canChat: boolean;
  instanceType?: string;
  /** Container restarts so far, when a crash loop is the cause. */
  attempts?: number;
}

export interface RagEngineReadinessContext {
  /** Pods labelled `kaito.sh/ragengine=<name>`. */
  pods?: KubePod[];
  /** Events of the RAGEngine and its objects. */
  events?: KubeEvent[];
  /** NodeClaims labelled `kaito.sh/ragengine=<name>` (quota and launch errors live there). */
  nodeClaims?: NodeClaim[];
  now?: Date | number;
}
