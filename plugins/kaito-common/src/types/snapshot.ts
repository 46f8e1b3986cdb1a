import type { WorkspaceReadiness } from '../readiness/types';
import type { WorkspaceStatus } from './workspace';

/**
 * What kaito-backend sends for a Workspace (the snapshot route and each SSE
 * `snapshot` event), so a frontend can type the response.
 */
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
  /** KAITO's post-load benchmark (`status.performance`), when the controller recorded one. */
  performance?: WorkspaceStatus['performance'];
}
