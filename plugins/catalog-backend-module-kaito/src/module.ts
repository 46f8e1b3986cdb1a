import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import {
  kaitoCatalogSyncServiceRef,
  kaitoClustersServiceRef,
} from '@kaito-backstage/plugin-kaito-node';
import { createAksClusterSource } from './azure';
import { readProviderSettings } from './config';
import { KaitoEntityProvider } from './provider/KaitoEntityProvider';

/**
 * Catalog module that registers KAITO Workspaces and KAITO AKS clusters as
 * Resources, refreshed on a schedule and at once when the shared
 * `kaitoCatalogSyncServiceRef` signal is raised (by the `kaito:catalog:sync`
 * scaffolder action).
 *
 * @public
 */
export const catalogModuleKaito = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'kaito',
  register(reg) {
    reg.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        sync: kaitoCatalogSyncServiceRef,
        lifecycle: coreServices.lifecycle,
        kaito: kaitoClustersServiceRef,
      },
      async init({
        catalog,
        config,
        logger,
        scheduler,
        sync,
        lifecycle,
        kaito,
      }) {
        const settings = readProviderSettings(config);
        const provider = new KaitoEntityProvider({
          logger,
          kaito: settings.workspaces ? kaito : undefined,
          aks: settings.aksClusters
            ? createAksClusterSource(kaito, settings.subscriptions, logger)
            : undefined,
        });
        catalog.addEntityProvider(provider);

        await scheduler.scheduleTask({
          id: 'kaito-entity-provider:refresh',
          frequency: { seconds: settings.refreshIntervalSeconds },
          timeout: { minutes: 2 },
          // Every instance refreshes: the sync signal is in-process, and a
          // full mutation from two instances is the same mutation.
          scope: 'local',
          fn: async () => {
            const s = await provider.refresh();
            logger.debug(
              `KAITO provider: ${s.workspaces} workspaces, ${
                s.clusters
              } clusters${
                s.failed.length ? `, unreadable: ${s.failed.join(', ')}` : ''
              }`,
            );
          },
        });

        const off = sync.onRequest(async ({ cluster }) => {
          await provider.refresh({ cluster });
        });
        lifecycle.addShutdownHook(off);
      },
    });
  },
});
