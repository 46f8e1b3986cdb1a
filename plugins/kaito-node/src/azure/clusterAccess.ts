import type { ContainerServiceClient } from '@azure/arm-containerservice';
import { loadClientNode } from '../kubernetes/loadClientNode';

/** Where a managed cluster's API server is and which CA it presents. */
export interface ManagedClusterAccess {
  /** API server URL from the user kubeconfig (https://<fqdn>:443 on AKS). */
  apiServerUrl: string;
  /** Base64 PEM of the API server's CA, '' when the kubeconfig has none. */
  caData: string;
}

/**
 * Reads the API server URL and CA from the cluster's user credential
 * (listClusterUserCredential). The kubeconfig's user part (tokens, exec
 * plugin) is discarded: the portal authenticates with its own Entra token.
 */
export async function readManagedClusterAccess(
  client: ContainerServiceClient,
  resourceGroup: string,
  name: string,
  options: { abortSignal?: AbortSignal } = {},
): Promise<ManagedClusterAccess> {
  const creds = await client.managedClusters.listClusterUserCredentials(
    resourceGroup,
    name,
    { abortSignal: options.abortSignal },
  );
  const raw = creds.kubeconfigs?.[0]?.value;
  if (!raw) {
    throw new Error(
      `Managed cluster '${name}' returned no user kubeconfig; check that it finished provisioning`,
    );
  }
  const text = Buffer.from(raw as Uint8Array).toString('utf8');
  const { KubeConfig } = await loadClientNode();
  const kc = new KubeConfig();
  kc.loadFromString(text);
  const cluster = kc.getCurrentCluster() ?? kc.getClusters()[0];
  if (!cluster?.server) {
    throw new Error(`Managed cluster '${name}' kubeconfig has no API server`);
  }
  return {
    apiServerUrl: cluster.server.replace(/\/+$/, ''),
    caData: cluster.caData ?? '',
  };
}
