import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { metricsServiceRef } from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { kaitoPermissions } from '@kaito-backstage/plugin-kaito-common';
import { kaitoClustersServiceRef } from '@kaito-backstage/plugin-kaito-node';
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
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        lifecycle: coreServices.lifecycle,
        catalog: catalogServiceRef,
        metricsService: metricsServiceRef,
        kaito: kaitoClustersServiceRef,
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
        catalog,
        metricsService,
        kaito,
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
        });
      },
    });
  },
});
