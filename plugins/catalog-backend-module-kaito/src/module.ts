import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import {
  KAITO_CATALOG_SYNC_TOPIC,
  KaitoCatalogSyncEvent,
} from '@kaito-backstage/plugin-kaito-common';
import { kaitoClustersServiceRef } from '@kaito-backstage/plugin-kaito-node';
import { createAksClusterSource } from './azure';
import { readProviderSettings } from './config';
import { KaitoEntityProvider } from './provider/KaitoEntityProvider';

/**
 * Catalog module that registers KAITO Workspaces and KAITO AKS clusters as
 * Resources, refreshed on a schedule and at once on a `kaito.catalog.sync`
 * event (which the `kaito:catalog:sync` scaffolder action publishes).
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
        events: eventsServiceRef,
        kaito: kaitoClustersServiceRef,
      },
      async init({ catalog, config, logger, scheduler, events, kaito }) {
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
          // Every instance refreshes: the sync event is delivered locally,
          // and a full mutation from two instances is the same mutation.
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

        await events.subscribe({
          id: 'kaito-entity-provider',
          topics: [KAITO_CATALOG_SYNC_TOPIC],
          onEvent: async ({ eventPayload }) => {
            const { cluster } = (eventPayload ?? {}) as KaitoCatalogSyncEvent;
            await provider.refresh({
              cluster: typeof cluster === 'string' ? cluster : undefined,
            });
          },
        });
      },
    });
  },
});
