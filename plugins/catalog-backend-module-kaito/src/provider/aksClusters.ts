import type {
  ContainerServiceClient,
  ManagedCluster,
} from '@azure/arm-containerservice';
import { LoggerService } from '@backstage/backend-plugin-api';
import {
  ManagedClusterAccess,
  readManagedClusterAccess,
} from '@kaito-backstage/plugin-kaito-node';
import { TAG_OWNER } from './annotations';
import { AksClusterInfo } from './clusterEntity';

/** Lists the AKS clusters the provider turns into catalog Resources. */
export interface AksClusterSource {
  /** Throws when a subscription cannot be read (the provider keeps the last good list). */
  listClusters(signal?: AbortSignal): Promise<AksClusterInfo[]>;
}

function resourceGroupOf(id: string): string {
  return /\/resourceGroups\/([^/]+)\//i.exec(id)?.[1] ?? '';
}

/**
 * Reads managed clusters tagged `backstage-owner` in the given subscriptions
 * through `@azure/arm-containerservice`, and their API server and CA from the
 * cluster user kubeconfig (cached per cluster and FQDN: the CA does not
 * change while the API server stays the same).
 */
export class ArmAksClusterSource implements AksClusterSource {
  readonly #cache = new Map<string, ManagedClusterAccess>();

  constructor(
    private readonly options: {
      subscriptions: string[];
      clientFor: (subscriptionId: string) => ContainerServiceClient;
      logger: LoggerService;
    },
  ) {}

  async listClusters(signal?: AbortSignal): Promise<AksClusterInfo[]> {
    const out: AksClusterInfo[] = [];
    for (const subscriptionId of this.options.subscriptions) {
      const client = this.options.clientFor(subscriptionId);
      for await (const mc of client.managedClusters.list({
        abortSignal: signal,
      })) {
        const info = await this.#info(client, subscriptionId, mc, signal);
        if (info) out.push(info);
      }
    }
    return out;
  }

  async #info(
    client: ContainerServiceClient,
    subscriptionId: string,
    mc: ManagedCluster,
    signal?: AbortSignal,
  ): Promise<AksClusterInfo | undefined> {
    const tags = mc.tags ?? {};
    if (!mc.id || !mc.name || !tags[TAG_OWNER]?.trim()) return undefined;
    // A cluster still being created has no credentials yet; it appears on a
    // later refresh.
    if (mc.provisioningState !== 'Succeeded') return undefined;
    const resourceGroup = resourceGroupOf(mc.id);
    const key = `${mc.id.toLowerCase()}|${mc.fqdn ?? mc.privateFqdn ?? ''}`;
    let access = this.#cache.get(key);
    if (!access) {
      try {
        access = await readManagedClusterAccess(
          client,
          resourceGroup,
          mc.name,
          {
            abortSignal: signal,
          },
        );
      } catch (error) {
        this.options.logger.warn(
          `AKS cluster ${mc.name} is left out of the catalog: ${
            (error as Error).message
          }`,
        );
        return undefined;
      }
      this.#cache.set(key, access);
    }
    return {
      id: mc.id,
      name: mc.name,
      subscriptionId,
      resourceGroup,
      location: mc.location,
      tags,
      kubernetesVersion: mc.currentKubernetesVersion ?? mc.kubernetesVersion,
      kaitoEnabled: mc.aiToolchainOperatorProfile?.enabled === true,
      server: access.apiServerUrl,
      ...(access.caData ? { caData: access.caData } : {}),
    };
  }
}
