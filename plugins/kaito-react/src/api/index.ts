export { kaitoApiRef } from './KaitoApi';
export type {
  KaitoApi,
  EntityWorkspaceSnapshot,
  KaitoClusterStatus,
  KaitoWorkspaceList,
  KaitoStreamState,
  KaitoStreamOptions,
} from './KaitoApi';
export { KaitoClient } from './KaitoClient';
export type { KaitoClientOptions } from './KaitoClient';
