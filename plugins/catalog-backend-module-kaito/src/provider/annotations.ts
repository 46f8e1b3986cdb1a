/**
 * Annotation and tag names the provider reads from its sources and writes on
 * the entities. The Workspace-side names are the contract with the
 * `kaito:workspace:apply` action; the Azure tag names with `kaito:aks:create`.
 */

/** Workspace annotations written by `kaito:workspace:apply`. */
export const WS_OWNER = 'backstage.io/owner';
export const WS_SYSTEM = 'backstage.io/system';
export const WS_TITLE = 'backstage.io/title';
export const WS_DESCRIPTION = 'backstage.io/description';

/** Azure tags written by `kaito:aks:create`. */
export const TAG_OWNER = 'backstage-owner';
export const TAG_SYSTEM = 'backstage-system';

/** Entity annotations for clusters (the Kubernetes plugin's catalog locator reads these). */
export const K8S_API_SERVER = 'kubernetes.io/api-server';
export const K8S_API_SERVER_CA =
  'kubernetes.io/api-server-certificate-authority';
export const K8S_AUTH_PROVIDER = 'kubernetes.io/auth-provider';
export const K8S_SKIP_METRICS = 'kubernetes.io/skip-metrics-lookup';

/** Where an AKS cluster lives in Azure (for the templates' quota check). */
export const AZURE_RESOURCE_ID = 'kaito.sh/azure-resource-id';
export const AZURE_LOCATION = 'kaito.sh/azure-location';
export const AZURE_SUBSCRIPTION = 'kaito.sh/azure-subscription';

/** Location annotations: the entities are owned by this provider. */
export const MANAGED_BY_LOCATION = 'backstage.io/managed-by-location';
export const MANAGED_BY_ORIGIN_LOCATION =
  'backstage.io/managed-by-origin-location';

/**
 * RAGEngine annotation written by `kaito:ragengine:apply`: the catalog
 * entities the RAG entity depends on (comma-separated refs; the inference
 * workspace's entity), emitted as `spec.dependsOn`.
 */
export const RAG_DEPENDS_ON = 'kaito.sh/depends-on';
