/** How kaito-node authenticates to a cluster's API server (server side only). */
export type ClusterAuthProvider =
  | 'serviceAccount'
  | 'azure'
  | 'localKubectlProxy';

/** The auth providers kaito-node implements, in the Kubernetes plugin's spelling. */
export const SUPPORTED_AUTH_PROVIDERS: readonly ClusterAuthProvider[] = [
  'serviceAccount',
  'azure',
  'localKubectlProxy',
];

/** Where a cluster definition came from. */
export type ClusterSource =
  | 'config'
  | 'catalog'
  | 'localKubectlProxy'
  /** Registered by code at run time (e.g. a cluster `kaito:aks:create` just made). */
  | 'runtime';

/**
 * A cluster as kaito-node sees it. Holds no secret: the service account token
 * stays inside the registry and is only handed to the client factory.
 */
export interface KaitoCluster {
  /** Name as configured (`kaito.sh/cluster` annotations refer to it). */
  name: string;
  title?: string;
  /** API server base URL without a trailing slash. */
  url: string;
  /** Raw auth provider name; may be one kaito-node does not support. */
  authProvider: string;
  skipTLSVerify: boolean;
  source: ClusterSource;
}

/** A cluster plus the material needed to connect to it. Never log this. */
export interface ClusterConnectionDetails extends KaitoCluster {
  serviceAccountToken?: string;
  caData?: string;
  caFile?: string;
  /**
   * For catalog clusters: the addresses the SSRF guard checked the URL's
   * host name against. Connections use only these (no second DNS lookup).
   */
  pinnedAddresses?: string[];
}
