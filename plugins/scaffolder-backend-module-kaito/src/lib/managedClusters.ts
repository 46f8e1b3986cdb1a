import type { KaitoClusters } from '@kaito-backstage/plugin-kaito-node';
import { readManagedClusterAccess } from '@kaito-backstage/plugin-kaito-node';
import { azureErrorText } from './errors';

/**
 * Registers an AKS cluster in the shared registry under its name, with the
 * API server and CA from its user credential and the portal's Entra token
 * (auth provider `azure`).
 */
export async function registerManagedCluster(
  clusters: KaitoClusters,
  subscriptionId: string,
  resourceGroup: string,
  name: string,
  signal?: AbortSignal,
) {
  const aks = clusters.azure!.containerService(subscriptionId);
  const access = await readManagedClusterAccess(aks, resourceGroup, name, {
    abortSignal: signal,
  }).catch(error => {
    throw new Error(
      `Could not read the API server of cluster '${name}': ${azureErrorText(
        error,
      )}`,
    );
  });
  clusters.registry.registerCluster({
    name,
    url: access.apiServerUrl,
    authProvider: 'azure',
    skipTLSVerify: false,
    ...(access.caData ? { caData: access.caData } : {}),
  });
  return access;
}

/**
 * For a cluster name the registry does not know: the AKS cluster of that
 * name in the configured default subscription (`kaito.azure.subscriptionId`),
 * registered so the step can use it. This is how a task recovered after a
 * backend restart reaches the cluster an earlier step created, before the
 * catalog lists it. Returns false when there is no single such cluster.
 */
export async function registerByName(
  clusters: KaitoClusters,
  name: string,
  signal?: AbortSignal,
): Promise<boolean> {
  const subscriptionId = clusters.azure?.settings.subscriptionId;
  if (!subscriptionId) return false;
  const aks = clusters.azure!.containerService(subscriptionId);
  const matches: string[] = [];
  try {
    for await (const mc of aks.managedClusters.list({ abortSignal: signal })) {
      if (mc.name === name && mc.id) matches.push(mc.id);
    }
  } catch {
    return false;
  }
  if (matches.length !== 1) return false;
  const resourceGroup = /\/resourcegroups\/([^/]+)\//i.exec(matches[0])?.[1];
  if (!resourceGroup) return false;
  await registerManagedCluster(
    clusters,
    subscriptionId,
    resourceGroup,
    name,
    signal,
  );
  return true;
}
