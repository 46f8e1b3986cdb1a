import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  ANNOTATION_API_SERVER,
  ANNOTATION_API_SERVER_CA,
  ANNOTATION_AUTH_PROVIDER,
  ANNOTATION_SKIP_TLS_VERIFY,
  ClusterCatalogReader,
} from './catalogClusters';
import {
  ClusterLocatorMethod,
  readClusterLocators,
} from './readClusterLocators';
import { ClusterConnectionDetails, KaitoCluster } from './types';
import {
  checkClusterUrl,
  isAksApiServerHost,
  isAllowlistedHost,
} from './validateClusterUrl';

export interface ClusterRegistryOptions {
  logger: LoggerService;
  /** Needed only when a `catalog` locator is configured. */
  catalog?: ClusterCatalogReader;
  /** How long catalog-located clusters are cached (default 30 s). */
  catalogRefreshMs?: number;
  /** Host name resolution for the SSRF guard (tests inject one). */
  resolveHost?: (host: string) => Promise<string[]>;
  /** Addresses the SSRF guard refuses; default non-public ones (tests allow loopback). */
  isForbiddenAddress?: (address: string) => boolean;
}

const KUBECTL_PROXY_URL = 'http://127.0.0.1:8001';

/**
 * The clusters Backstage knows about, from `kubernetes.clusterLocatorMethods`
 * (types `config`, `catalog` and `localKubectlProxy`).
 */
export class ClusterRegistry {
  readonly #methods: ClusterLocatorMethod[];
  readonly #logger: LoggerService;
  readonly #catalog?: ClusterCatalogReader;
  readonly #catalogRefreshMs: number;
  readonly #resolveHost?: (host: string) => Promise<string[]>;
  readonly #isForbiddenAddress?: (address: string) => boolean;
  #catalogClusters: ClusterConnectionDetails[] = [];
  #catalogFetchedAt = 0;
  #catalogLoading?: Promise<void>;
  readonly #runtime = new Map<string, ClusterConnectionDetails>();

  static fromConfig(config: Config, options: ClusterRegistryOptions) {
    return new ClusterRegistry(readClusterLocators(config), options);
  }

  constructor(
    methods: ClusterLocatorMethod[],
    options: ClusterRegistryOptions,
  ) {
    this.#methods = methods;
    this.#logger = options.logger;
    this.#catalog = options.catalog;
    this.#catalogRefreshMs = options.catalogRefreshMs ?? 30_000;
    this.#resolveHost = options.resolveHost;
    this.#isForbiddenAddress = options.isForbiddenAddress;
    for (const m of methods) {
      if (m.type === 'unsupported') {
        this.#logger.warn(
          `kubernetes.clusterLocatorMethods type '${m.name}' is not supported by KAITO; its clusters are ignored (supported: config, catalog, localKubectlProxy)`,
        );
      }
      if (m.type === 'catalog' && !this.#catalog) {
        this.#logger.warn(
          'kubernetes.clusterLocatorMethods has type catalog but no catalog reader was given; catalog clusters are ignored',
        );
      }
    }
  }

  /** Every known cluster, without secrets. */
  async listClusters(): Promise<KaitoCluster[]> {
    return (await this.#all()).map(publicCluster);
  }

  /**
   * Picks a cluster by name, or the only one when no name is given.
   * Throws NotFoundError / InputError with a message that says what to fix.
   */
  async getCluster(name?: string): Promise<KaitoCluster> {
    return publicCluster(await this.getConnectionDetails(name));
  }

  /** Like getCluster, including connection secrets. Never log the result. */
  async getConnectionDetails(name?: string): Promise<ClusterConnectionDetails> {
    let clusters = await this.#all();
    if (name === undefined) {
      if (clusters.length === 1) return clusters[0];
      if (clusters.length === 0) {
        throw new NotFoundError(
          'No Kubernetes clusters are configured; add one under kubernetes.clusterLocatorMethods',
        );
      }
      throw new InputError(
        `${
          clusters.length
        } clusters are configured; add the kaito.sh/cluster annotation to choose one of: ${clusters
          .map(c => c.name)
          .join(', ')}`,
      );
    }
    let found = clusters.find(c => c.name === name);
    if (!found && this.#catalog && this.#hasCatalogLocator()) {
      // A cluster registered moments ago should not wait for the refresh.
      clusters = await this.#all(true);
      found = clusters.find(c => c.name === name);
    }
    if (!found) {
      throw new NotFoundError(
        `Cluster '${name}' is not configured; configured clusters: ${
          clusters.map(c => c.name).join(', ') || '(none)'
        }`,
      );
    }
    return found;
  }

  /**
   * Adds (or replaces) a cluster known only at run time, such as one that
   * `kaito:aks:create` has just created, so the next steps of a task and the
   * readiness routes reach it before the catalog lists it. Configured
   * clusters keep precedence over a runtime one of the same name. The URL
   * comes from ARM (trusted config), never from a user request.
   */
  registerCluster(
    details: Omit<ClusterConnectionDetails, 'source'>,
  ): KaitoCluster {
    if (
      !details.name ||
      !/^[A-Za-z0-9][-_.A-Za-z0-9]{0,252}$/.test(details.name)
    ) {
      throw new InputError(
        `Cluster name '${details.name}' is invalid: use letters, digits, '-', '_' and '.'`,
      );
    }
    let url: URL;
    try {
      url = new URL(details.url);
    } catch {
      throw new InputError(`Cluster '${details.name}' has an invalid URL`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new InputError(`Cluster '${details.name}' URL must be http(s)`);
    }
    const cluster: ClusterConnectionDetails = {
      ...details,
      url: details.url.replace(/\/+$/, ''),
      source: 'runtime',
    };
    this.#runtime.set(cluster.name, cluster);
    this.#logger.info(
      `Registered cluster '${cluster.name}' at ${cluster.url} (auth ${cluster.authProvider})`,
    );
    return publicCluster(cluster);
  }

  /** Forgets a runtime-registered cluster; true when there was one. */
  unregisterCluster(name: string): boolean {
    return this.#runtime.delete(name);
  }

  #hasCatalogLocator() {
    return this.#methods.some(m => m.type === 'catalog');
  }

  async #all(forceCatalog = false): Promise<ClusterConnectionDetails[]> {
    const result: ClusterConnectionDetails[] = [];
    const seen = new Set<string>();
    const add = (c: ClusterConnectionDetails) => {
      if (seen.has(c.name)) return;
      seen.add(c.name);
      result.push(c);
    };
    for (const m of this.#methods) {
      if (m.type === 'config') m.clusters.forEach(add);
      if (m.type === 'localKubectlProxy') {
        add({
          name: 'local',
          url: KUBECTL_PROXY_URL,
          authProvider: 'localKubectlProxy',
          skipTLSVerify: false,
          source: 'localKubectlProxy',
        });
      }
    }
    this.#runtime.forEach(add);
    for (const m of this.#methods) {
      if (m.type === 'catalog' && this.#catalog) {
        await this.#refreshCatalog(m, forceCatalog);
        this.#catalogClusters.forEach(add);
      }
    }
    return result;
  }

  async #refreshCatalog(
    method: Extract<ClusterLocatorMethod, { type: 'catalog' }>,
    force: boolean,
  ) {
    const age = Date.now() - this.#catalogFetchedAt;
    // Even a forced refresh is rate limited, so unknown names cannot be
    // used to hammer the catalog.
    if (age < (force ? 2_000 : this.#catalogRefreshMs)) return;
    if (!this.#catalogLoading) {
      this.#catalogLoading = this.#loadCatalog(method).finally(() => {
        this.#catalogLoading = undefined;
      });
    }
    await this.#catalogLoading;
  }

  async #loadCatalog(
    method: Extract<ClusterLocatorMethod, { type: 'catalog' }>,
  ) {
    try {
      const entities = await this.#catalog!.listClusterEntities();
      const clusters: ClusterConnectionDetails[] = [];
      for (const entity of entities) {
        const cluster = await this.#fromEntity(entity, method);
        if (cluster) clusters.push(cluster);
      }
      this.#catalogClusters = clusters;
      this.#catalogFetchedAt = Date.now();
    } catch (error) {
      // Keep the last good list; a catalog hiccup must not drop clusters.
      this.#logger.warn(
        `Could not read kubernetes-cluster entities from the catalog: ${
          (error as Error).message
        }`,
      );
      this.#catalogFetchedAt = Date.now() - this.#catalogRefreshMs + 5_000;
    }
  }

  async #fromEntity(
    entity: Entity,
    method: Extract<ClusterLocatorMethod, { type: 'catalog' }>,
  ): Promise<ClusterConnectionDetails | undefined> {
    const name = entity.metadata.name;
    const annotations = entity.metadata.annotations ?? {};
    const url = annotations[ANNOTATION_API_SERVER];
    const authProvider = annotations[ANNOTATION_AUTH_PROVIDER];
    if (!url || !authProvider) return undefined;
    if (authProvider === 'serviceAccount') {
      this.#logger.warn(
        `Ignoring kubernetes-cluster Resource "${name}": the catalog locator does not support the serviceAccount auth provider`,
      );
      return undefined;
    }
    let pinnedAddresses: string[] | undefined;
    try {
      const checked = await checkClusterUrl(
        url,
        method,
        this.#resolveHost,
        this.#isForbiddenAddress,
      );
      pinnedAddresses = checked.addresses;
      const { hostname } = checked.url;
      if (
        authProvider === 'azure' &&
        !isAksApiServerHost(hostname) &&
        !isAllowlistedHost(hostname, method)
      ) {
        throw new Error(
          `the azure auth provider sends the portal's AKS token, so the API server must be an AKS host (*.azmk8s.io); list "${hostname}" in dangerouslyAllowClusterUrls to allow it`,
        );
      }
    } catch (error) {
      this.#logger.warn(
        `Ignoring kubernetes-cluster Resource "${name}": ${
          (error as Error).message
        }`,
      );
      return undefined;
    }
    return {
      name,
      title: entity.metadata.title,
      url: url.replace(/\/+$/, ''),
      authProvider,
      skipTLSVerify:
        (method.dangerouslyAllowSkipTLSVerify ?? false) &&
        annotations[ANNOTATION_SKIP_TLS_VERIFY] === 'true',
      source: 'catalog',
      caData: annotations[ANNOTATION_API_SERVER_CA],
      ...(pinnedAddresses ? { pinnedAddresses } : {}),
    };
  }
}

function publicCluster(c: ClusterConnectionDetails): KaitoCluster {
  return {
    name: c.name,
    ...(c.title ? { title: c.title } : {}),
    url: c.url,
    authProvider: c.authProvider,
    skipTLSVerify: c.skipTLSVerify,
    source: c.source,
  };
}
