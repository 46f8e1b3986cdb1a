import {
  coreServices,
  createServiceFactory,
  createServiceRef,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { TokenCredential } from '@azure/identity';
import {
  ClusterCatalogReader,
  httpCatalogClusterReader,
} from './clusters/catalogClusters';
import { ClusterRegistry } from './clusters/ClusterRegistry';
import { KaitoAzure } from './azure/KaitoAzure';
import {
  InferenceUpstreams,
  readInferenceSettings,
} from './inference/InferenceUpstreams';
import { KubernetesClientFactory } from './kubernetes/KubernetesClientFactory';
import {
  ContainerLogSettings,
  DEFAULT_CONTAINER_LOG_SETTINGS,
} from './watch/ContainerLogs';
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
  /** Azure access from `kaito.azure`; undefined when that section is absent. */
  azure?: KaitoAzure;
  /** Stops watches; call on shutdown. */
  stop(): Promise<void>;
}

export interface CreateKaitoClustersOptions {
  config: Config;
  logger: LoggerService;
  /** Source of `kubernetes-cluster` Resources for the `catalog` locator. */
  catalog?: ClusterCatalogReader;
  /**
   * Credential for `azure` clusters. Default: the `kaito.azure` credential
   * when configured, else DefaultAzureCredential.
   */
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
    containerLogs: readContainerLogSettings(
      w?.getOptionalConfig('containerLogs'),
    ),
  };
}

/** Reads `kaito.watch.containerLogs.*` over the defaults; refuses values that would not bound a read. */
function readContainerLogSettings(c: Config | undefined): ContainerLogSettings {
  const d = DEFAULT_CONTAINER_LOG_SETTINGS;
  const positive = (key: keyof ContainerLogSettings, max: number) => {
    const v = c?.getOptionalNumber(key) ?? (d[key] as number);
    if (!Number.isInteger(v) || v < 1 || v > max) {
      throw new Error(
        `kaito.watch.containerLogs.${key} must be a whole number from 1 to ${max}; got ${v}`,
      );
    }
    return v;
  };
  return {
    enabled: c?.getOptionalBoolean('enabled') ?? d.enabled,
    tailLines: positive('tailLines', 1000),
    limitBytes: positive('limitBytes', 1024 * 1024),
    refreshMs: positive('refreshMs', 24 * 3600 * 1000),
    timeoutMs: positive('timeoutMs', 300_000),
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
  const azure = KaitoAzure.fromConfig(config, options.azureCredential);
  if (azure?.settings.caFileProblem) logger.warn(azure.settings.caFileProblem);
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
    azureCredential: options.azureCredential ?? azure?.credential,
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
  return {
    registry,
    clients,
    watcher,
    upstreams,
    azure,
    stop: () => watcher.stop(),
  };
}

/**
 * KAITO clusters for every backend feature (kaito-backend, the scaffolder
 * module, catalog modules).
 *
 * Plugin-scoped ref with a root context: the registry, clients and watcher
 * are built ONCE per backend process and shared by every plugin, so a
 * cluster has one watch per process however many plugins read it, a cluster
 * registered at run time (`registry.registerCluster`, e.g. by
 * `kaito:aks:create`) is visible to the readiness routes at once, and one
 * Azure token cache serves them all. Only the `catalog` locator's reader is
 * per plugin (it needs a plugin's service credentials): the first plugin
 * that resolves the service lends its reader.
 */
export const kaitoClustersServiceRef = createServiceRef<KaitoClusters>({
  id: 'kaito.clusters',
  scope: 'plugin',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      initialization: 'lazy',
      deps: {
        rootConfig: coreServices.rootConfig,
        rootLogger: coreServices.rootLogger,
        rootLifecycle: coreServices.rootLifecycle,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
      },
      createRootContext({ rootConfig, rootLogger, rootLifecycle }) {
        const readers: ClusterCatalogReader[] = [];
        const clusters = createKaitoClusters({
          config: rootConfig,
          logger: rootLogger.child({ service: 'kaito-clusters' }),
          catalog: {
            listClusterEntities() {
              if (!readers[0]) {
                return Promise.reject(
                  new Error(
                    'no plugin has resolved the KAITO cluster service yet',
                  ),
                );
              }
              return readers[0].listClusterEntities();
            },
          },
        });
        rootLifecycle.addShutdownHook(() => clusters.stop());
        return { clusters, readers };
      },
      factory({ discovery, auth }, { clusters, readers }) {
        if (readers.length === 0) {
          readers.push(httpCatalogClusterReader({ discovery, auth }));
        }
        return clusters;
      },
    }),
});
