import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
// Test-only: the portal relay the app is tested against.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import kaitoPlugin from '@kaito-backstage/plugin-kaito-backend';
import { once } from 'events';
import type { AddressInfo } from 'net';

/** Feeds entities to the real catalog backend through an entity provider. */
function entitiesModule(entities: Entity[]) {
  return createBackendModule({
    pluginId: 'catalog',
    moduleId: 'chat-app-test-entities',
    register(reg) {
      reg.registerInit({
        deps: { catalog: catalogProcessingExtensionPoint },
        async init({ catalog }) {
          catalog.addEntityProvider({
            getProviderName: () => 'chat-app-test-entities',
            connect: conn =>
              conn.applyMutation({
                type: 'full',
                entities: entities.map(entity => ({
                  locationKey: 'chat-app-test',
                  entity: {
                    ...entity,
                    metadata: {
                      ...entity.metadata,
                      annotations: {
                        'backstage.io/managed-by-location':
                          'url:https://example.com/x.yaml',
                        'backstage.io/managed-by-origin-location':
                          'url:https://example.com/x.yaml',
                        ...entity.metadata.annotations,
                      },
                    },
                  },
                })),
              }),
          });
        },
      });
    },
  });
}

/** SQLite clients stay open after stop (and keep Jest alive); this hands them to `closers`. */
function databaseCloser(pluginId: string, closers: Array<() => Promise<void>>) {
  return createBackendModule({
    pluginId,
    moduleId: 'chat-app-test-database-closer',
    register(reg) {
      reg.registerInit({
        deps: { database: coreServices.database },
        async init({ database }) {
          const client = database.getClient();
          closers.push(async () => (await client).destroy());
        },
      });
    },
  });
}

/**
 * A portal backend with the real catalog and KAITO plugins, the cluster being the simulator;
 * resolves once `entity` is visible to the KAITO plugin.
 */
export async function startPortal(options: {
  entity: Entity;
  cluster: { url: string; token: string };
}) {
  const closers: Array<() => Promise<void>> = [];
  const backend = await startTestBackend({
    features: [
      kaitoPlugin,
      catalogPlugin,
      entitiesModule([options.entity]),
      databaseCloser('kaito', closers),
      databaseCloser('catalog', closers),
      mockServices.rootLogger.factory({ level: 'error' }),
      // Requests without a valid token are anonymous (401), as in production.
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
      mockServices.rootConfig.factory({
        data: {
          kubernetes: {
            clusterLocatorMethods: [
              {
                type: 'config',
                clusters: [
                  {
                    name: 'kaito-simulator',
                    url: options.cluster.url,
                    authProvider: 'serviceAccount',
                    serviceAccountToken: options.cluster.token,
                    skipTLSVerify: true,
                  },
                ],
              },
            ],
          },
        },
      }),
    ],
  });
  if (!backend.server.listening) await once(backend.server, 'listening');
  const { port } = backend.server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  /** A user's bearer token the mock auth service accepts (what a static token is in production). */
  const token = mockCredentials.user.token('user:default/mock');
  const { kind, metadata } = options.entity;
  const entityPath = `/api/kaito/entity/${kind.toLowerCase()}/${
    metadata.namespace ?? 'default'
  }/${metadata.name}`;

  // The catalog ingests provider entities asynchronously (no hook to wait on): retry until the
  // entity exists, then follow its readiness stream until the plugin reports it Ready.
  const deadline = Date.now() + 30_000;
  for (;;) {
    const res = await fetch(`${url}${entityPath}/workspace/events`, {
      headers: { authorization: `Bearer ${token}` },
    });
    if (res.ok && res.body) {
      const reader = res.body.getReader();
      const decoder = new TextDecoder();
      let text = '';
      while (!/"phase":"Ready"/.test(text)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`readiness stream of ${entityPath} ended`);
        text += decoder.decode(value, { stream: true });
      }
      await reader.cancel();
      break;
    }
    await res.body?.cancel();
    if (Date.now() > deadline)
      throw new Error(`${entityPath} never became visible: ${res.status}`);
    await new Promise(resolve => setTimeout(resolve, 50));
  }

  return {
    url,
    token,
    /** The OpenAI-compatible base URL of the entity's relay. */
    relayBaseUrl: `${url}${entityPath}`,
    stop: async () => {
      await backend.stop();
      await Promise.all(closers.map(close => close()));
    },
  };
}
