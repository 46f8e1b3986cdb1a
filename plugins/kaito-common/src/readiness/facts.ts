import { type ModelInfo } from '../catalog/models';
import type { KubeCondition } from '../types/kube';
import type { Workspace } from '../types/workspace';
import { transientNote, type ConditionLookup } from './conditions';
import type { PodFacts } from './pods';
import { clip } from './text';
import type {
  ContainerLogTail,
  FailureKind,
  KaitoMessage,
  ReadinessOutcome,
  ReadinessPhase,
} from './types';
import type { KaitoProfile } from './version';

/** Everything the verdict reads, gathered once. */
export interface Facts {
  ws: Workspace;
  c: ConditionLookup;
  conds: KubeCondition[];
  state?: string;
  model?: string;
  modelInfo?: ModelInfo;
  instanceType?: string;
  runtime: 'vllm' | 'transformers';
  nowMs: number;
  pods: PodFacts;
  hasPods: boolean;
  hasNodeClaims: boolean;
  profile: KaitoProfile;
  log?: ContainerLogTail;
}

export interface Verdict {
  phase: ReadinessPhase;
  reason: string;
  outcome: ReadinessOutcome;
  /** The step id where a failure sits, for the timeline. */
  failed?: string;
  cause?: FailureKind;
  attempts?: number;
  kaitoMessage?: KaitoMessage;
  fix?: string;
  /** When the current phase began, for the timing. */
  since?: string;
}

export function nodesText(f: Facts): string {
  const n = f.ws.status.targetNodeCount ?? 1;
  return f.instanceType
    ? `${n} × ${f.instanceType}`
    : `${n} GPU node${n === 1 ? '' : 's'}`;
}

export function note(f: Facts): string {
  const err = transientNote(f.conds);
  return err
    ? ` (The controller's last attempt hit a transient error and will retry: ${clip(
        err,
        120,
      )}.)`
    : '';
}
