import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  actionsRegistryServiceRef,
  metricsServiceRef,
} from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  kaitoPermissions,
  PriceTable,
} from '@kaito-backstage/plugin-kaito-common';
import {
  kaitoClustersServiceRef,
  RagEngines,
  readRagSettings,
} from '@kaito-backstage/plugin-kaito-node';
import { registerKaitoActions } from './actions';
import { createConversations } from './conversations';
import { readCatalogSettings } from './catalog/settings';
import { createRouter } from './router';
import { readRagLimits } from './rag/settings';
import { KAITO_AUTH_POLICIES } from './service/authBoundary';
import { EntityResolver } from './service/EntityResolver';
import { readLimits } from './service/limits';
import { KaitoMetrics } from './service/metrics';
import { ReadinessStreams } from './service/ReadinessStream';

/**
 * The KAITO backend plugin, mounted at `/api/kaito`: live Workspace readiness
 * and an OpenAI-compatible chat relay, behind catalog-entity permissions.
 *
 * @public
 */
export const kaitoPlugin = createBackendPlugin({
  pluginId: 'kaito',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        lifecycle: coreServices.lifecycle,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        catalog: catalogServiceRef,
        metricsService: metricsServiceRef,
        kaito: kaitoClustersServiceRef,
        actionsRegistry: actionsRegistryServiceRef,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
      },
      async init({
        config,
        logger,
        httpRouter,
        httpAuth,
        permissions,
        permissionsRegistry,
        auditor,
        lifecycle,
        database,
        scheduler,
        catalog,
        metricsService,
        kaito,
        actionsRegistry,
        auth,
        discovery,
      }) {
        // One cluster registry and watcher per backend, shared with the
        // scaffolder module and catalog modules (see kaitoClustersServiceRef).
        const limits = readLimits(config);
        const metrics = new KaitoMetrics(metricsService);
        const readiness = new ReadinessStreams(
          kaito.watcher,
          limits,
          metrics,
          logger,
        );
        // RAGEngines: polled readiness, engine clients (access as kaito.inference).
        const ragEngines = new RagEngines(
          readRagSettings(config, kaito.upstreams.settings),
          kaito.clients,
        );
        permissionsRegistry.addPermissions(kaitoPermissions);
        httpRouter.use(
          await createRouter({
            logger,
            httpAuth,
            permissions,
            auditor,
            catalog,
            kaito,
            limits,
            metrics,
            readiness,
            rag: { engines: ragEngines, limits: readRagLimits(config) },
            auth,
            discovery,
            pricing: readCatalogSettings(config),
            includePrompts:
              config.getOptionalBoolean('kaito.audit.includePrompts') ?? false,
            allowedNamespaces: config.getOptionalStringArray(
              'kaito.allowedNamespaces',
            ),
            entityCacheTtlMs: config.getOptionalNumber(
              'kaito.cache.entityTtlMs',
            ),
            conversations: await createConversations({
              config,
              database,
              scheduler,
              logger,
            }),
          }),
        );
        // The kaito router authenticates its own routes (so its 401s have
        // the kaito error shape); see KAITO_AUTH_POLICIES.
        for (const policy of KAITO_AUTH_POLICIES)
          httpRouter.addAuthPolicy(policy);
        // Actions for agents (MCP tools); see src/actions and the README.
        registerKaitoActions({
          actionsRegistry,
          catalog,
          permissions,
          kaito,
          auth,
          discovery,
          logger,
          prices: PriceTable.withOverrides(
            config.getOptional('kaito.prices') as any,
          ),
          resolver: new EntityResolver({
            catalog,
            permissions,
            httpAuth,
            registry: kaito.registry,
            externalTargetNames: () =>
              kaito.upstreams.settings.externalTargets.map(t => t.name),
            allowedNamespaces: config.getOptionalStringArray(
              'kaito.allowedNamespaces',
            ),
            cacheTtlMs: config.getOptionalNumber('kaito.cache.entityTtlMs'),
          }),
        });
        lifecycle.addShutdownHook(async () => {
          readiness.closeAll();
          ragEngines.stop();
        });
      },
    });
  },
});
