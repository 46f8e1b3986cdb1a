import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { metricsServiceRef } from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { kaitoPermissions } from '@kaito-backstage/plugin-kaito-common';
import {
  catalogServiceClusterReader,
  createKaitoClusters,
} from '@kaito-backstage/plugin-kaito-node';
import { createRouter, READINESS_EVENTS_PATH } from './router';
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
        auth: coreServices.auth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        lifecycle: coreServices.lifecycle,
        catalog: catalogServiceRef,
        metricsService: metricsServiceRef,
      },
      async init({
        config,
        logger,
        httpRouter,
        httpAuth,
        auth,
        permissions,
        permissionsRegistry,
        auditor,
        lifecycle,
        catalog,
        metricsService,
      }) {
        const kaito = createKaitoClusters({
          config,
          logger,
          catalog: catalogServiceClusterReader(catalog, auth),
        });
        const limits = readLimits(config);
        const metrics = new KaitoMetrics(metricsService);
        const readiness = new ReadinessStreams(
          kaito.watcher,
          limits,
          metrics,
          logger,
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
            includePrompts:
              config.getOptionalBoolean('kaito.audit.includePrompts') ?? false,
            allowedNamespaces: config.getOptionalStringArray(
              'kaito.allowedNamespaces',
            ),
            entityCacheTtlMs: config.getOptionalNumber(
              'kaito.cache.entityTtlMs',
            ),
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
        // Lets a browser EventSource (which cannot send headers) use the
        // Backstage user cookie for the readiness stream.
        httpRouter.addAuthPolicy({
          path: READINESS_EVENTS_PATH,
          allow: 'user-cookie',
        });
        lifecycle.addShutdownHook(async () => {
          readiness.closeAll();
          await kaito.stop();
        });
      },
    });
  },
});
