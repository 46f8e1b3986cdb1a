import { LoggerService } from '@backstage/backend-plugin-api';
import { TokenCredential } from '@azure/identity';
import { ClusterRegistry } from '../clusters/ClusterRegistry';
import { ClusterConnectionDetails } from '../clusters/types';
import {
  ClusterTokenSource,
  createAzureTokenSource,
  createTokenSource,
} from './clusterAuth';
import { KubernetesClient } from './KubernetesClient';

export interface KubernetesClientFactoryOptions {
  registry: ClusterRegistry;
  logger: LoggerService;
  /** Credential for `azure` clusters; DefaultAzureCredential by default. */
  azureCredential?: TokenCredential;
}

/** Hands out one KubernetesClient per cluster, rebuilt when its config changes. */
export class KubernetesClientFactory {
  readonly #registry: ClusterRegistry;
  readonly #logger: LoggerService;
  readonly #azureCredential?: TokenCredential;
  #azure?: ClusterTokenSource;
  readonly #clients = new Map<
    string,
    {
      fingerprint: string;
      details: ClusterConnectionDetails;
      client: KubernetesClient;
    }
  >();

  constructor(options: KubernetesClientFactoryOptions) {
    this.#registry = options.registry;
    this.#logger = options.logger;
    this.#azureCredential = options.azureCredential;
  }

  /** The client for a cluster name (or the only cluster when omitted). */
  async forCluster(name?: string): Promise<KubernetesClient> {
    return this.forDetails(await this.#registry.getConnectionDetails(name));
  }

  forDetails(details: ClusterConnectionDetails): KubernetesClient {
    const cached = this.#clients.get(details.name);
    // Config clusters are the same object every time; catalog ones are
    // rebuilt on refresh and compared by content.
    if (cached?.details === details) return cached.client;
    const fingerprint = JSON.stringify(details);
    if (cached?.fingerprint === fingerprint) {
      cached.details = details;
      return cached.client;
    }
    const client = new KubernetesClient(
      details,
      createTokenSource(details, {
        azure: () => {
          this.#azure ??= createAzureTokenSource(
            this.#logger,
            this.#azureCredential,
          );
          return this.#azure;
        },
      }),
    );
    this.#clients.set(details.name, { fingerprint, details, client });
    return client;
  }
}
