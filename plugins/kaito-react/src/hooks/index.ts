export { useKaitoWorkspace, kaitoEntityTarget } from './useKaitoWorkspace';
export type {
  KaitoEntityTarget,
  KaitoWorkspaceState,
} from './useKaitoWorkspace';
export { useKaitoWorkspaces } from './useKaitoWorkspaces';
export type { KaitoWorkspacesState } from './useKaitoWorkspaces';
export { useWorkspaceLoad } from './useWorkspaceLoad';
export type { KaitoWorkspaceLoadState } from './useWorkspaceLoad';
