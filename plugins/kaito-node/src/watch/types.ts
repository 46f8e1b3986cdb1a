import type { WorkspaceSnapshot } from '@kaito-backstage/plugin-kaito-common';

/** Identifies one Workspace on one configured cluster. */
export interface WorkspaceKey {
  cluster: string;
  namespace: string;
  name: string;
}

/** The Workspaces of one cluster, for the overview page. */
export interface ClusterWorkspaces {
  cluster: string;
  status: 'ok' | 'unavailable';
  message?: string;
  workspaces: WorkspaceSnapshot[];
}
