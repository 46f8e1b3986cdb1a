export { kaitoApiRef } from './KaitoApi';
export type {
  KaitoApi,
  EntityWorkspaceSnapshot,
  EntityWorkspaceLoad,
  KaitoClusterStatus,
  KaitoWorkspaceList,
  KaitoStreamState,
  KaitoStreamOptions,
} from './KaitoApi';
export { KaitoClient } from './KaitoClient';
export type { KaitoClientOptions } from './KaitoClient';
export * from './rag';
