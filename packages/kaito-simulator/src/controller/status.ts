import type { WorkspaceState } from '@kaito-backstage/plugin-kaito-common';
import { WORKSPACES } from '../kube/resources';
import type { ObjectStore } from '../kube/store';
import { isRecord, KubeObject, nowIso } from '../kube/types';
import { ControllerVersion } from './version';

export interface ConditionInput {
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
}

/** `metav1.Condition` list update: lastTransitionTime moves only when the status flips. */
export function upsertCondition(
  list: Array<Record<string, unknown>>,
  type: string,
  c: ConditionInput,
  generation: number | undefined,
): Array<Record<string, unknown>> {
  const existing = list.find(x => x.type === type);
  const next = {
    type,
    status: c.status,
    reason: c.reason,
    message: c.message,
    lastTransitionTime:
      existing && existing.status === c.status
        ? existing.lastTransitionTime
        : nowIso(),
    observedGeneration: generation ?? 1,
  };
  return existing
    ? list.map(x => (x === existing ? next : x))
    : [...list, next];
}

export interface StatusUpdate {
  /** Keyed by the v0.3.1+ names; `WorkspaceSucceeded` is renamed for older controllers. */
  conditions?: Record<string, ConditionInput>;
  state?: WorkspaceState;
  targetNodeCount?: number;
  workerNodes?: string[];
  performance?: Record<string, unknown>;
  /** Condition types to drop (v0.10+ clear BenchmarkCompleted when inference goes down). */
  removeConditions?: string[];
}

/** Writes a Workspace's status as the given controller version would. */
export class WorkspaceStatusWriter {
  constructor(
    private readonly store: ObjectStore,
    private readonly version: ControllerVersion,
    private readonly namespace: string,
    private readonly name: string,
  ) {}

  update(u: StatusUpdate): KubeObject | undefined {
    return this.store.mutate(WORKSPACES, this.namespace, this.name, ws => {
      const status = isRecord(ws.status) ? { ...ws.status } : {};
      let conditions = Array.isArray(status.conditions)
        ? (status.conditions as Array<Record<string, unknown>>)
        : [];
      for (const [type, c] of Object.entries(u.conditions ?? {})) {
        const t =
          type === 'WorkspaceSucceeded' ? this.version.summaryCondition : type;
        conditions = upsertCondition(conditions, t, c, ws.metadata.generation);
      }
      if (u.removeConditions?.length)
        conditions = conditions.filter(
          c => !u.removeConditions!.includes(String(c.type)),
        );
      status.conditions = conditions;
      if (u.targetNodeCount !== undefined)
        status.targetNodeCount = u.targetNodeCount;
      if (u.workerNodes !== undefined) status.workerNodes = u.workerNodes;
      if (u.performance !== undefined) status.performance = u.performance;
      if (u.state !== undefined && this.version.hasState) {
        // "Pending until first Ready; NotReady if it later regresses."
        status.state = u.state;
      }
      ws.status = status;
    });
  }

  /** The current `status.state`, if any. */
  state(): string | undefined {
    const ws = this.store.peek(WORKSPACES, this.namespace, this.name);
    return isRecord(ws?.status)
      ? ((ws!.status as Record<string, unknown>).state as string | undefined)
      : undefined;
  }
}
