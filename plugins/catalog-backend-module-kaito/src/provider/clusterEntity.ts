import { Entity } from '@backstage/catalog-model';
import {
  AZURE_LOCATION,
  AZURE_RESOURCE_ID,
  AZURE_SUBSCRIPTION,
  K8S_API_SERVER,
  K8S_API_SERVER_CA,
  K8S_AUTH_PROVIDER,
  K8S_SKIP_METRICS,
  MANAGED_BY_LOCATION,
  MANAGED_BY_ORIGIN_LOCATION,
  TAG_OWNER,
  TAG_SYSTEM,
} from './annotations';

/** What the provider knows about one tagged AKS cluster. */
export interface AksClusterInfo {
  /** ARM resource id. */
  id: string;
  name: string;
  subscriptionId: string;
  resourceGroup: string;
  location: string;
  tags: Record<string, string>;
  kubernetesVersion?: string;
  kaitoEnabled: boolean;
  /** API server URL from the cluster's user kubeconfig. */
  server: string;
  /** Base64 PEM of the cluster CA from the kubeconfig. */
  caData?: string;
}

/**
 * A `kubernetes-cluster` Resource that the Kubernetes plugin's `catalog`
 * cluster locator and kaito-node's registry read (API server, CA and the
 * server-side `azure` auth provider). The entity name is the AKS cluster
 * name, which is the cluster name `kaito.sh/cluster` annotations use.
 */
export function clusterEntity(c: AksClusterInfo): Entity {
  const location = `azure-aks:${c.id}`;
  const system = c.tags[TAG_SYSTEM]?.trim();
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: c.name,
      namespace: 'default',
      title: c.tags['backstage-title']?.trim() || c.name,
      description: `AKS cluster ${c.name} in ${c.location} (resource group ${
        c.resourceGroup
      })${c.kaitoEnabled ? ' with the KAITO add-on' : ''}${
        c.kubernetesVersion ? `, Kubernetes ${c.kubernetesVersion}` : ''
      }.`,
      tags: c.kaitoEnabled
        ? ['kubernetes', 'aks', 'kaito']
        : ['kubernetes', 'aks'],
      annotations: {
        [MANAGED_BY_LOCATION]: location,
        [MANAGED_BY_ORIGIN_LOCATION]: location,
        [K8S_API_SERVER]: c.server,
        ...(c.caData ? { [K8S_API_SERVER_CA]: c.caData } : {}),
        [K8S_AUTH_PROVIDER]: 'azure',
        [K8S_SKIP_METRICS]: 'true',
        [AZURE_RESOURCE_ID]: c.id,
        [AZURE_LOCATION]: c.location,
        [AZURE_SUBSCRIPTION]: c.subscriptionId,
      },
    },
    spec: {
      type: 'kubernetes-cluster',
      owner: c.tags[TAG_OWNER].trim(),
      ...(system ? { system } : {}),
    },
  };
}
