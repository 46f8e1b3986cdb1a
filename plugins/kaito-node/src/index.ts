/**
 * Backend library for KAITO: cluster registry (from the Kubernetes plugin's
 * config), Kubernetes clients, the shared Workspace watcher and inference
 * upstreams.
 *
 * @packageDocumentation
 */

export * from './clusters/types';
export { ClusterRegistry } from './clusters/ClusterRegistry';
export type { ClusterRegistryOptions } from './clusters/ClusterRegistry';
export {
  catalogServiceClusterReader,
  httpCatalogClusterReader,
} from './clusters/catalogClusters';
export type {
  CatalogEntitiesSource,
  ClusterCatalogReader,
} from './clusters/catalogClusters';
export { readClusterLocators } from './clusters/readClusterLocators';
export type { ClusterLocatorMethod } from './clusters/readClusterLocators';
export {
  validateClusterUrl,
  isNonPublicAddress,
} from './clusters/validateClusterUrl';
export type { ClusterUrlPolicy } from './clusters/validateClusterUrl';
export { AKS_SCOPE } from './kubernetes/clusterAuth';
export type { ClusterTokenSource } from './kubernetes/clusterAuth';
export {
  KubernetesClient,
  KubernetesRequestError,
} from './kubernetes/KubernetesClient';
export type {
  WatchEvent,
  SendOptions,
  Query,
} from './kubernetes/KubernetesClient';
export { KubernetesClientFactory } from './kubernetes/KubernetesClientFactory';
export type { KubernetesClientFactoryOptions } from './kubernetes/KubernetesClientFactory';
export { loadClientNode } from './kubernetes/loadClientNode';
export { Reflector } from './watch/Reflector';
export type {
  ReflectorStats,
  ReflectorOptions,
  ReflectorHandlers,
} from './watch/Reflector';
export { WorkspaceWatcher } from './watch/WorkspaceWatcher';
export type { ContainerLogSettings } from './watch/ContainerLogs';
export type {
  WorkspaceWatcherOptions,
  SnapshotListener,
} from './watch/WorkspaceWatcher';
export * from './watch/types';
export { InferenceUpstream } from './inference/InferenceUpstream';
export { ModelServerLoad } from './inference/ModelServerLoad';
export type { ModelServerLoadOptions } from './inference/ModelServerLoad';
export type {
  InferenceProtocol,
  ModelList,
  UpstreamChat,
  InferenceUpstreamOptions,
} from './inference/InferenceUpstream';
export {
  InferenceUpstreams,
  readInferenceSettings,
} from './inference/InferenceUpstreams';
export type {
  InferenceAccess,
  InferenceSettings,
} from './inference/InferenceUpstreams';
export {
  serviceProxyTarget,
  clusterDnsTarget,
  externalTarget,
} from './inference/targets';
export type {
  InferenceTarget,
  ExternalTargetConfig,
} from './inference/targets';
export { UpstreamError } from './inference/UpstreamError';
export type { UpstreamErrorKind } from './inference/UpstreamError';
export * from './sse';
export {
  createKaitoClusters,
  kaitoClustersServiceRef,
  readWatchSettings,
} from './service';
export type { KaitoClusters, CreateKaitoClustersOptions } from './service';
export { KaitoAzure } from './azure/KaitoAzure';
export { readKaitoAzureSettings } from './azure/config';
export type { KaitoAzureSettings, AzureCredentialKind } from './azure/config';
export { createAzureCredential } from './azure/credential';
export { readManagedClusterAccess } from './azure/clusterAccess';
export type { ManagedClusterAccess } from './azure/clusterAccess';
export {
  createKaitoCatalogSync,
  kaitoCatalogSyncServiceRef,
} from './catalogSync';
export type {
  KaitoCatalogSync,
  KaitoCatalogSyncHandler,
  KaitoCatalogSyncRequest,
} from './catalogSync';
export { RagEngines, readRagSettings } from './rag/RagEngines';
export { RagEngineClient, isNoSuchIndex } from './rag/RagEngineClient';
export type { RagEngineClientOptions } from './rag/RagEngineClient';
export { RagChatUpstream, RAG_MODEL_ID } from './rag/RagChatUpstream';
export { RagEngineWatcher } from './rag/RagEngineWatcher';
export type {
  RagEngineListener,
  RagEngineWatcherOptions,
} from './rag/RagEngineWatcher';
export {
  ragServiceProxyTarget,
  ragClusterDnsTarget,
} from './rag/ragEngineTarget';
export type { RagEngineTarget } from './rag/ragEngineTarget';
export { readRagEngine } from './rag/readRagEngine';
export type { RagEngineRead } from './rag/readRagEngine';
export {
  ragEngineState,
  ragEngineSnapshotFor,
  summarizeRagEngine,
} from './rag/ragEngineSnapshot';
export type {
  RagEngineState,
  RagEngineReadinessFn,
} from './rag/ragEngineSnapshot';
export { ragStatusError, ragErrorDetail } from './rag/ragEngineErrors';
export type { RagEngineKey, RagSettings } from './rag/types';
