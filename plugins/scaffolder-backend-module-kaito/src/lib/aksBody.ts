import type { ManagedCluster } from '@azure/arm-containerservice';
import { fieldError } from './errors';

/** Azure tags a catalog provider uses to discover clusters made here. */
export const OWNER_TAG = 'backstage-owner';
export const SYSTEM_TAG = 'backstage-system';

export interface AksInput {
  resourceGroup: string;
  location: string;
  name: string;
  kubernetesVersion?: string;
  systemPoolVmSize?: string;
  systemPoolCount?: number;
  networkPlugin?: 'azure' | 'kubenet' | 'none';
  networkPluginMode?: 'overlay';
  networkPolicy?: 'azure' | 'calico' | 'cilium' | 'none';
  tags?: Record<string, string>;
  owner?: string;
  system?: string;
  selfInstalledKaito?: boolean;
}

export const DEFAULT_SYSTEM_POOL_VM_SIZE = 'Standard_D4ds_v5';

/** Checks names and tags the way ARM does, naming the field. */
export function checkAksInput(i: AksInput) {
  if (
    !/^[-\w._()]{1,90}$/.test(i.resourceGroup) ||
    i.resourceGroup.endsWith('.')
  ) {
    throw fieldError(
      'resourceGroup',
      `'${i.resourceGroup}' is not a valid resource group name: use 1-90 letters, digits, '-', '_', '.', '(' and ')', not ending in '.'`,
    );
  }
  if (
    !/^[a-zA-Z0-9]$|^[a-zA-Z0-9][-_a-zA-Z0-9]{0,61}[a-zA-Z0-9]$/.test(i.name)
  ) {
    throw fieldError(
      'name',
      `'${i.name}' is not a valid AKS cluster name: use 1-63 letters, digits, '-' and '_', starting and ending with a letter or digit`,
    );
  }
  if (
    i.kubernetesVersion !== undefined &&
    !/^\d+\.\d+(\.\d+)?$/.test(i.kubernetesVersion)
  ) {
    throw fieldError(
      'kubernetesVersion',
      `'${i.kubernetesVersion}' must look like 1.33 or 1.33.3`,
    );
  }
  if (
    i.systemPoolVmSize !== undefined &&
    !/^Standard_[A-Za-z0-9_]+$/.test(i.systemPoolVmSize)
  ) {
    throw fieldError(
      'systemPoolVmSize',
      `'${i.systemPoolVmSize}' is not an Azure VM size such as ${DEFAULT_SYSTEM_POOL_VM_SIZE}`,
    );
  }
  const count = i.systemPoolCount;
  if (
    count !== undefined &&
    !(Number.isInteger(count) && count >= 1 && count <= 1000)
  ) {
    throw fieldError(
      'systemPoolCount',
      `must be a whole number from 1 to 1000, got ${count}`,
    );
  }
  if (i.tags !== undefined) {
    if (
      typeof i.tags !== 'object' ||
      i.tags === null ||
      Array.isArray(i.tags)
    ) {
      throw fieldError(
        'tags',
        'must be a map of tag names to string values, e.g. {"env": "dev"}',
      );
    }
    const entries = Object.entries(i.tags);
    if (entries.length > 48)
      throw fieldError(
        'tags',
        `Azure allows 50 tags per resource; got ${entries.length} plus the backstage tags`,
      );
    for (const [k, v] of entries) {
      if (!k || k.length > 512 || /[<>%&\\?/]/.test(k)) {
        throw fieldError(
          `tags.${k}`,
          'tag names are 1-512 characters without < > % & \\ ? /',
        );
      }
      if (typeof v !== 'string' || v.length > 256) {
        throw fieldError(
          `tags.${k}`,
          'tag values must be strings of at most 256 characters',
        );
      }
    }
  }
  if (
    i.networkPluginMode === 'overlay' &&
    i.networkPlugin &&
    i.networkPlugin !== 'azure'
  ) {
    throw fieldError(
      'networkPluginMode',
      'overlay mode needs networkPlugin azure',
    );
  }
}

/** The ManagedCluster PUT body: KAITO add-on + OIDC issuer + Entra ID with Azure RBAC. */
export function buildManagedCluster(
  i: AksInput,
  location: string,
): ManagedCluster {
  const tags: Record<string, string> = { ...(i.tags ?? {}) };
  if (i.owner) tags[OWNER_TAG] = i.owner;
  if (i.system) tags[SYSTEM_TAG] = i.system;
  const networkProfile = {
    ...(i.networkPlugin ? { networkPlugin: i.networkPlugin } : {}),
    ...(i.networkPluginMode ? { networkPluginMode: i.networkPluginMode } : {}),
    ...(i.networkPolicy ? { networkPolicy: i.networkPolicy } : {}),
  };
  return {
    location,
    ...(Object.keys(tags).length ? { tags } : {}),
    identity: { type: 'SystemAssigned' },
    dnsPrefix: i.name.replace(/_/g, '-'),
    ...(i.kubernetesVersion ? { kubernetesVersion: i.kubernetesVersion } : {}),
    agentPoolProfiles: [
      {
        name: 'system',
        mode: 'System',
        count: i.systemPoolCount ?? 2,
        vmSize: i.systemPoolVmSize ?? DEFAULT_SYSTEM_POOL_VM_SIZE,
        osType: 'Linux',
      },
    ],
    ...(Object.keys(networkProfile).length ? { networkProfile } : {}),
    // Entra ID sign-in with Azure RBAC: the portal reaches the API server
    // with its own Entra token (kubernetes auth provider `azure`).
    aadProfile: { managed: true, enableAzureRbac: true },
    oidcIssuerProfile: { enabled: true },
    securityProfile: { workloadIdentity: { enabled: true } },
    // The self-installed (Helm) KAITO brings its own operator.
    aiToolchainOperatorProfile: { enabled: !i.selfInstalledKaito },
  };
}

/** The ARM resource id of a managed cluster. */
export function managedClusterId(
  subscriptionId: string,
  resourceGroup: string,
  name: string,
) {
  return `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.ContainerService/managedClusters/${name}`;
}
