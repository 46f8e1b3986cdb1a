/**
 * Catalog entity provider for KAITO: Workspaces and KAITO AKS clusters become
 * catalog Resources, derived from the clusters and Azure (no git host).
 *
 * @packageDocumentation
 */
export { catalogModuleKaito as default } from './module';
export { KaitoEntityProvider } from './provider/KaitoEntityProvider';
export type {
  KaitoEntityProviderOptions,
  RefreshSummary,
} from './provider/KaitoEntityProvider';
export { ArmAksClusterSource } from './provider/aksClusters';
export type { AksClusterSource } from './provider/aksClusters';
export type { AksClusterInfo } from './provider/clusterEntity';
export { workspaceEntity } from './provider/workspaceEntity';
export { clusterEntity } from './provider/clusterEntity';
