import { ComputeManagementClient } from '@azure/arm-compute';
import { ContainerServiceClient } from '@azure/arm-containerservice';
import { ResourceManagementClient } from '@azure/arm-resources';
import type { TokenCredential } from '@azure/identity';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { KaitoAzureSettings, readKaitoAzureSettings } from './config';
import { createAzureCredential } from './credential';

const GUID = /^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;

/**
 * Azure Resource Manager access for KAITO features, from `kaito.azure`: one
 * credential, and SDK clients per subscription that share the endpoint,
 * retry and TLS settings. Targets come from config, never from a request.
 */
export class KaitoAzure {
  readonly settings: KaitoAzureSettings;
  readonly credential: TokenCredential;
  readonly #clients = new Map<string, unknown>();

  /** Undefined when `kaito.azure` is not configured. */
  static fromConfig(
    config: Config,
    credential?: TokenCredential,
  ): KaitoAzure | undefined {
    const settings = readKaitoAzureSettings(config);
    return settings ? new KaitoAzure(settings, credential) : undefined;
  }

  constructor(settings: KaitoAzureSettings, credential?: TokenCredential) {
    this.settings = settings;
    this.credential = credential ?? createAzureCredential(settings);
  }

  /**
   * The subscription to use: the given one, else `kaito.azure.subscriptionId`.
   * Throws InputError naming `field` when neither is a GUID.
   */
  subscription(given?: string, field = 'subscriptionId'): string {
    const id = given?.trim() || this.settings.subscriptionId;
    if (!id) {
      throw new InputError(
        `${field} is required: pass a subscription GUID or set kaito.azure.subscriptionId in app-config`,
      );
    }
    if (!GUID.test(id)) {
      throw new InputError(
        `${field} must be a subscription GUID such as 00000000-0000-0000-0000-000000000000, got '${id}'`,
      );
    }
    return id;
  }

  /** SDK client options: endpoint, retry and TLS trust. */
  clientOptions() {
    const s = this.settings;
    return {
      ...(s.armEndpoint ? { endpoint: s.armEndpoint } : {}),
      ...(s.caPem ? { tlsOptions: { ca: s.caPem } } : {}),
      retryOptions: Object.fromEntries(
        Object.entries(s.retry).filter(([, v]) => v !== undefined),
      ),
      userAgentOptions: { userAgentPrefix: 'kaito-backstage' },
    };
  }

  #client<T>(kind: string, subscriptionId: string, make: () => T): T {
    const key = `${kind}/${subscriptionId.toLowerCase()}`;
    let client = this.#clients.get(key) as T | undefined;
    if (!client) {
      client = make();
      this.#clients.set(key, client);
    }
    return client;
  }

  containerService(subscriptionId: string): ContainerServiceClient {
    return this.#client(
      'aks',
      subscriptionId,
      () =>
        new ContainerServiceClient(
          this.credential,
          subscriptionId,
          this.clientOptions(),
        ),
    );
  }

  compute(subscriptionId: string): ComputeManagementClient {
    return this.#client(
      'compute',
      subscriptionId,
      () =>
        new ComputeManagementClient(
          this.credential,
          subscriptionId,
          this.clientOptions(),
        ),
    );
  }

  resources(subscriptionId: string): ResourceManagementClient {
    return this.#client(
      'resources',
      subscriptionId,
      () =>
        new ResourceManagementClient(
          this.credential,
          subscriptionId,
          this.clientOptions(),
        ),
    );
  }
}
