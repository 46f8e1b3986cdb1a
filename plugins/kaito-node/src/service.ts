import {
  AuthService,
  coreServices,
  createServiceFactory,
  createServiceRef,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { TokenCredential } from '@azure/identity';
import {
  ClusterCatalogReader,
  httpCatalogClusterReader,
} from './clusters/catalogClusters';
import { ClusterRegistry } from './clusters/ClusterRegistry';
import {
  InferenceUpstreams,
  readInferenceSettings,
} from './inference/InferenceUpstreams';
import { KubernetesClientFactory } from './kubernetes/KubernetesClientFactory';
import {
  WorkspaceWatcher,
  WorkspaceWatcherOptions,
} from './watch/WorkspaceWatcher';

/** Everything a KAITO backend feature needs to reach clusters and models. */
export interface KaitoClusters {
  registry: ClusterRegistry;
  clients: KubernetesClientFactory;
  watcher: WorkspaceWatcher;
  upstreams: InferenceUpstreams;
  /** Stops watches; call on shutdown. */
  stop(): Promise<void>;
}

export interface CreateKaitoClustersOptions {
  config: Config;
  logger: LoggerService;
  /** Source of `kubernetes-cluster` Resources for the `catalog` locator. */
  catalog?: ClusterCatalogReader;
  /** Credential for `azure` clusters (default DefaultAzureCredential). */
  azureCredential?: TokenCredential;
  /** Host resolution for the catalog SSRF guard (tests). */
  resolveHost?: (host: string) => Promise<string[]>;
}

/** Reads `kaito.watch.*` into watcher options. */
export function readWatchSettings(
  config: Config,
): Partial<WorkspaceWatcherOptions> {
  const w = config.getOptionalConfig('kaito.watch');
  const events = w?.getOptionalString('events') ?? 'warnings';
  if (!['warnings', 'all', 'none'].includes(events)) {
    throw new Error(
      `kaito.watch.events must be warnings, all or none; got '${events}'`,
    );
  }
  return {
    watchTimeoutSeconds: w?.getOptionalNumber('timeoutSeconds'),
    pods: w?.getOptionalBoolean('pods'),
    nodeClaims: w?.getOptionalBoolean('nodeClaims'),
    events: events as 'warnings' | 'all' | 'none',
    syncTimeoutMs: w?.getOptionalNumber('syncTimeoutMs'),
    idleStopMs: w?.getOptionalNumber('idleStopMs'),
    recomputeIntervalMs: w?.getOptionalNumber('recomputeIntervalMs'),
    backoffMs: {
      min: w?.getOptionalNumber('backoff.minMs') ?? 500,
      max: w?.getOptionalNumber('backoff.maxMs') ?? 30_000,
    },
  };
}

/**
 * Builds the cluster registry, Kubernetes clients, the shared workspace
 * watcher and inference upstreams from app-config (`kubernetes.*`, `kaito.*`).
 */
export function createKaitoClusters(
  options: CreateKaitoClustersOptions,
): KaitoClusters {
  const { config, logger } = options;
  const registry = ClusterRegistry.fromConfig(config, {
    logger,
    catalog: options.catalog,
    resolveHost: options.resolveHost,
    catalogRefreshMs: config.getOptionalNumber(
      'kaito.clusters.catalogRefreshMs',
    ),
  });
  const clients = new KubernetesClientFactory({
    registry,
    logger,
    azureCredential: options.azureCredential,
  });
  const watcher = new WorkspaceWatcher({
    ...readWatchSettings(config),
    registry,
    clients,
    logger,
  });
  const upstreams = new InferenceUpstreams(
    readInferenceSettings(config),
    clients,
  );
  return { registry, clients, watcher, upstreams, stop: () => watcher.stop() };
}

/**
 * KAITO clusters as a plugin-scoped service, for backend features that only
 * have core services (e.g. a scaffolder module). The `catalog` locator reads
 * the catalog over HTTP with the plugin's own service credentials.
 */
export const kaitoClustersServiceRef = createServiceRef<KaitoClusters>({
  id: 'kaito.clusters',
  scope: 'plugin',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        lifecycle: coreServices.lifecycle,
      },
      factory({ config, logger, discovery, auth, lifecycle }) {
        const clusters = createKaitoClusters({
          config,
          logger,
          catalog: catalogReaderFor(discovery, auth),
        });
        lifecycle.addShutdownHook(() => clusters.stop());
        return clusters;
      },
    }),
});

function catalogReaderFor(discovery: DiscoveryService, auth: AuthService) {
  return httpCatalogClusterReader({ discovery, auth });
}
