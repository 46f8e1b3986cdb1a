export { useKaitoWorkspace, kaitoEntityTarget } from './useKaitoWorkspace';
export type {
  KaitoEntityTarget,
  KaitoWorkspaceState,
} from './useKaitoWorkspace';
export { useKaitoWorkspaces } from './useKaitoWorkspaces';
export type { KaitoWorkspacesState } from './useKaitoWorkspaces';
export { useWorkspaceLoad } from './useWorkspaceLoad';
export type { KaitoWorkspaceLoadState } from './useWorkspaceLoad';
export { useKaitoRagEngine, kaitoRagEngineTarget } from './useKaitoRagEngine';
export type {
  KaitoRagEngineState,
  KaitoRagEngineTarget,
} from './useKaitoRagEngine';
export { useRagDocuments } from './useRagDocuments';
export type { KaitoRagDocumentsState } from './useRagDocuments';
