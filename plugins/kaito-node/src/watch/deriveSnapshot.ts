import {
  KubeEvent,
  KubePod,
  NodeClaim,
  Workspace,
  WorkspaceSnapshot,
  WorkspaceSummary,
  normalizeWorkspace,
  workspacePresetName,
  workspaceReadiness,
  workspaceRuntime,
} from '@kaito-backstage/plugin-kaito-common';

/** What the cache holds about one Workspace, for one derivation. */
export interface WorkspaceObjects {
  cluster: string;
  namespace: string;
  name: string;
  /** The raw Workspace, when the cluster has it. */
  raw: unknown;
  /** Whether the Workspace list came in (absent then means it does not exist). */
  synced: boolean;
  pods: KubePod[];
  nodeClaims: NodeClaim[];
  /** Events about the Workspace, its pods and NodeClaims. */
  events: KubeEvent[];
  /** The log of a crashed container, when one was read. */
  containerLog?: { pod: string; container: string; text: string };
  /** Why the cluster is not current, if it is not. */
  error?: string;
  /** A watch lost contact after it had synced: the state may be old. */
  stale: boolean;
  now: number;
}

/** A snapshot for one Workspace: readiness from its objects, or why there is none. */
export function deriveSnapshot(o: WorkspaceObjects): WorkspaceSnapshot {
  const key = `${o.namespace}/${o.name}`;
  const base = {
    cluster: o.cluster,
    namespace: o.namespace,
    name: o.name,
    observedAt: new Date(o.now).toISOString(),
  };
  if (!o.raw) {
    if (!o.synced) {
      return {
        ...base,
        status: 'unavailable',
        message: o.error ?? `Cluster '${o.cluster}' has not answered yet`,
      };
    }
    return {
      ...base,
      status: 'notFound',
      message: `Workspace ${key} does not exist on cluster '${o.cluster}'`,
    };
  }
  const ws = normalizeWorkspace(o.raw);
  const summary = summarize(ws);
  const stale = o.stale
    ? `Lost contact with cluster '${o.cluster}' (${
        o.error ?? 'watch failed'
      }); showing the last known state`
    : undefined;
  try {
    const readiness = workspaceReadiness(ws, {
      pods: o.pods,
      nodeClaims: o.nodeClaims,
      events: o.events,
      now: o.now,
      ...(o.containerLog ? { containerLog: o.containerLog } : {}),
    });
    return {
      ...base,
      status: 'found',
      readiness,
      workspace: summary,
      ...(stale ? { message: stale } : {}),
    };
  } catch (error) {
    return {
      ...base,
      status: 'found',
      workspace: summary,
      message: `Could not derive readiness: ${(error as Error).message}`,
    };
  }
}

function summarize(ws: Workspace): WorkspaceSummary {
  const m = ws.metadata;
  return {
    apiVersion: ws.sourceApiVersion,
    resourceVersion:
      typeof m.resourceVersion === 'string' ? m.resourceVersion : undefined,
    generation: typeof m.generation === 'number' ? m.generation : undefined,
    createdAt:
      typeof m.creationTimestamp === 'string' ? m.creationTimestamp : undefined,
    preset: workspacePresetName(ws),
    instanceType: ws.resource.instanceType,
    runtime: workspaceRuntime(ws),
    state: typeof ws.status.state === 'string' ? ws.status.state : undefined,
    targetNodeCount: ws.status.targetNodeCount,
    workerNodes: ws.status.workerNodes,
    deleting: !!m.deletionTimestamp,
    ...(ws.status.performance ? { performance: ws.status.performance } : {}),
  };
}
