import type { WorkspaceReadiness } from '@kaito-backstage/plugin-kaito-common';

/** Identifies one Workspace on one configured cluster. */
export interface WorkspaceKey {
  cluster: string;
  namespace: string;
  name: string;
}

/** What kaito-backend sends for a Workspace (snapshot route and SSE events). */
export interface WorkspaceSnapshot {
  cluster: string;
  namespace: string;
  name: string;
  /**
   * `found`: the Workspace exists and `readiness` describes it.
   * `notFound`: the cluster answered and has no such Workspace.
   * `unavailable`: the cluster could not be read; `message` says why.
   */
  status: 'found' | 'notFound' | 'unavailable';
  readiness?: WorkspaceReadiness;
  workspace?: WorkspaceSummary;
  message?: string;
  /** When this snapshot was computed, ISO 8601. */
  observedAt: string;
}

/** The non-status facts about a Workspace a UI shows next to readiness. */
export interface WorkspaceSummary {
  apiVersion: string;
  resourceVersion?: string;
  generation?: number;
  createdAt?: string;
  preset?: string;
  instanceType?: string;
  runtime: 'vllm' | 'transformers';
  state?: string;
  targetNodeCount?: number;
  workerNodes?: string[];
  /** True once `metadata.deletionTimestamp` is set. */
  deleting: boolean;
}

/** The Workspaces of one cluster, for the overview page. */
export interface ClusterWorkspaces {
  cluster: string;
  status: 'ok' | 'unavailable';
  message?: string;
  workspaces: WorkspaceSnapshot[];
}

export function workspaceKeyString(k: { namespace: string; name: string }) {
  return `${k.namespace}/${k.name}`;
}
