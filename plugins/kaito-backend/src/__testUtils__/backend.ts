import {
  AuditorService,
  AuditorServiceCreateEventOptions,
  coreServices,
  createBackendModule,
  createServiceFactory,
  LoggerService,
  RootLoggerService,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import permissionPlugin from '@backstage/plugin-permission-backend';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  ServerPermissionClient,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import type { JsonObject } from '@backstage/config';
import { Server } from 'node:http';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import kaitoPlugin from '../index';
import { StreamClient } from './sseClient';

/** Audit events the plugin emitted, with how each ended. */
export interface RecordedAudit {
  options: AuditorServiceCreateEventOptions;
  outcome?: {
    status: 'succeeded' | 'failed';
    meta?: Record<string, unknown>;
    error?: Error;
  };
}

/** One line the backend logged (with `logs` given to startKaitoTestBackend). */
export interface LogRecord {
  level: 'error' | 'warn' | 'info' | 'debug';
  message: string;
  meta: Record<string, unknown>;
}

/** A root logger that keeps every line, for tests that check what is logged and at which level. */
class RecordingLogger implements RootLoggerService {
  constructor(
    private readonly records: LogRecord[],
    private readonly meta: Record<string, unknown> = {},
  ) {}
  #add(level: LogRecord['level'], message: string, meta?: unknown) {
    this.records.push({
      level,
      message,
      meta: { ...this.meta, ...(meta as Record<string, unknown>) },
    });
  }
  error(message: string, meta?: Error | JsonObject) {
    this.#add('error', message, meta);
  }
  warn(message: string, meta?: Error | JsonObject) {
    this.#add('warn', message, meta);
  }
  info(message: string, meta?: Error | JsonObject) {
    this.#add('info', message, meta);
  }
  debug(message: string, meta?: Error | JsonObject) {
    this.#add('debug', message, meta);
  }
  child(meta: JsonObject): LoggerService {
    return new RecordingLogger(this.records, { ...this.meta, ...meta });
  }
}

export interface KaitoTestBackend {
  server: Server;
  audits: RecordedAudit[];
  get(path: string, user?: string): request.Test;
  post(path: string, body: unknown, user?: string): request.Test;
  stop(): Promise<void>;
}

function withLocation(entity: Entity) {
  return {
    locationKey: 'kaito-test',
    entity: {
      ...entity,
      metadata: {
        ...entity.metadata,
        annotations: {
          'backstage.io/managed-by-location':
            'url:https://example.com/catalog-info.yaml',
          'backstage.io/managed-by-origin-location':
            'url:https://example.com/catalog-info.yaml',
          ...entity.metadata.annotations,
        },
      },
    },
  };
}

/** Test entities for the real catalog backend, through an entity provider. */
export function entitiesModule(
  entities: Entity[],
  feed?: { connection?: (e: Entity[]) => Promise<void> },
) {
  return createBackendModule({
    pluginId: 'catalog',
    moduleId: 'kaito-test-entities',
    register(reg) {
      reg.registerInit({
        deps: { catalog: catalogProcessingExtensionPoint },
        async init({ catalog }) {
          catalog.addEntityProvider({
            getProviderName: () => 'kaito-test-entities',
            connect: async conn => {
              if (feed)
                feed.connection = next =>
                  conn.applyMutation({
                    type: 'full',
                    entities: next.map(withLocation),
                  });
              await conn.applyMutation({
                type: 'full',
                entities: entities.map(withLocation),
              });
            },
          });
        },
      });
    },
  });
}

/**
 * Backstage's database manager leaves SQLite connections open at shutdown
 * (they hold in-memory data), and each keeps a pool reaper interval alive,
 * so a Jest worker could not exit. This module hands the plugin's client to
 * `closers`, for the test backend to destroy once it has stopped. Plugins
 * without tables of their own still get one: the auth service keeps their
 * service-token keys in it.
 */
function databaseCloser(pluginId: string, closers: Array<() => Promise<void>>) {
  return createBackendModule({
    pluginId,
    moduleId: 'kaito-test-database-closer',
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

/** A permission policy module for the real permission backend. */
function policyModule(policy: PermissionPolicy) {
  return createBackendModule({
    pluginId: 'permission',
    moduleId: 'kaito-test-policy',
    register(reg) {
      reg.registerInit({
        deps: { policy: policyExtensionPoint },
        async init({ policy: ext }) {
          ext.setPolicy(policy);
        },
      });
    },
  });
}

/** Denies the named permissions, allows everything else. */
export function denyPolicy(denied: string[]): PermissionPolicy {
  return {
    async handle(req: PolicyQuery): Promise<PolicyDecision> {
      return {
        result: denied.includes(req.permission.name)
          ? AuthorizeResult.DENY
          : AuthorizeResult.ALLOW,
      };
    },
  };
}

/**
 * Starts a test backend with the KAITO plugin, the real catalog backend fed
 * with `entities`, and (when `policy` is given) the real permission backend
 * evaluating it. Resolves once every entity is visible in the catalog.
 */
export async function startKaitoTestBackend(options: {
  entities: Entity[];
  config: Record<string, unknown>;
  policy?: PermissionPolicy;
  extraFeatures?: any[];
  /** Receives a handle to replace the entities later. */
  feed?: { connection?: (e: Entity[]) => Promise<void> };
  /** Ids of plugins in extraFeatures, whose databases are closed on stop. */
  extraPluginIds?: string[];
  /** Receives every line logged, at every level (instead of the mock logger). */
  logs?: LogRecord[];
}): Promise<KaitoTestBackend> {
  const audits: RecordedAudit[] = [];
  const auditor: AuditorService = {
    async createEvent(opts) {
      const record: RecordedAudit = { options: opts };
      audits.push(record);
      return {
        async success(o) {
          record.outcome = { status: 'succeeded', meta: o?.meta };
        },
        async fail(o) {
          record.outcome = { status: 'failed', meta: o.meta, error: o.error };
        },
      };
    },
  };
  const closers: Array<() => Promise<void>> = [];
  const features: any[] = [
    kaitoPlugin,
    catalogPlugin,
    entitiesModule(options.entities, options.feed),
    ...['kaito', 'catalog', ...(options.extraPluginIds ?? [])].map(id =>
      databaseCloser(id, closers),
    ),
    createServiceFactory({
      service: coreServices.auditor,
      deps: {},
      factory: () => auditor,
    }),
    options.logs
      ? createServiceFactory({
          service: coreServices.rootLogger,
          deps: {},
          factory: () => new RecordingLogger(options.logs!),
        })
      : mockServices.rootLogger.factory({
          level: (process.env.KAITO_TEST_LOG as any) ?? 'error',
        }),
    // Requests without a token are anonymous (401), as in production.
    mockServices.httpAuth.factory({
      defaultCredentials: mockCredentials.none(),
    }),
    ...(options.extraFeatures ?? []),
  ];
  const config: Record<string, unknown> = { ...options.config };
  if (options.policy) {
    features.push(
      permissionPlugin,
      policyModule(options.policy),
      databaseCloser('permission', closers),
      // The kaito plugin gets the production permissions client, talking to
      // the permission backend. Other plugins keep allow-all: the mock auth
      // service cannot mint the on-behalf-of tokens the catalog's own
      // conditional checks need.
      createServiceFactory({
        service: coreServices.permissions,
        deps: {
          auth: coreServices.auth,
          config: coreServices.rootConfig,
          discovery: coreServices.discovery,
          plugin: coreServices.pluginMetadata,
        },
        factory: ({ auth, config: c, discovery, plugin }) =>
          plugin.getId() === 'kaito'
            ? ServerPermissionClient.fromConfig(c, { auth, discovery })
            : mockServices.permissions(),
      }),
    );
    config.permission = { enabled: true };
  }
  features.push(
    mockServices.rootConfig.factory({ data: config as JsonObject }),
  );
  const backend = await startTestBackend({ features });
  const server = backend.server;
  const auth = (user?: string) =>
    mockCredentials.user.header(user ?? 'user:default/mock');
  const kb: KaitoTestBackend = {
    server,
    audits,
    get: (path, user) =>
      request(server).get(path).set('Authorization', auth(user)),
    post: (path, body, user) =>
      request(server)
        .post(path)
        .set('Authorization', auth(user))
        .set('Content-Type', 'application/json')
        .send(typeof body === 'string' ? body : JSON.stringify(body)),
    stop: async () => {
      await backend.stop();
      await Promise.all(closers.map(close => close()));
    },
  };
  // The catalog processes provider entities asynchronously.
  const deadline = Date.now() + 15_000;
  for (const entity of options.entities) {
    const ref = stringifyEntityRef(entity);
    const [kind, rest] = ref.split(':');
    const [ns, name] = rest.split('/');
    for (;;) {
      const res = await kb.get(
        `/api/catalog/entities/by-name/${kind}/${ns}/${name}`,
      );
      if (res.status === 200) break;
      if (Date.now() > deadline)
        throw new Error(
          `entity ${ref} never appeared in the catalog: ${
            res.status
          } ${JSON.stringify(res.body).slice(0, 300)}`,
        );
      await new Promise(r => setTimeout(r, 50));
    }
  }
  return kb;
}

/** Path prefix of an entity's KAITO routes. */
export function entityPath(
  name: string,
  kind = 'component',
  namespace = 'default',
) {
  return `/api/kaito/entity/${kind}/${namespace}/${name}`;
}

/**
 * Waits on an entity's readiness event stream until a snapshot reaches
 * `phase`, then returns the entity's snapshot. Event-driven: the wait takes
 * as long as the cluster takes (the first use also loads the Kubernetes
 * client, seconds on a busy machine); `timeoutMs` is only a safety net.
 */
export async function waitForPhase(
  kb: KaitoTestBackend,
  name: string,
  phase = 'Ready',
  timeoutMs = 60_000,
): Promise<any> {
  const { port } = kb.server.address() as AddressInfo;
  const deadline = Date.now() + timeoutMs;
  // Like an EventSource: when the server ends the stream (its maximum age),
  // connect again.
  for (;;) {
    const stream = new StreamClient(
      `http://127.0.0.1:${port}${entityPath(name)}/workspace/events`,
      { headers: { authorization: mockCredentials.user.header() } },
    );
    try {
      await stream.until(
        c =>
          c.events.some(
            e =>
              e.event === 'snapshot' &&
              JSON.parse(e.data).readiness?.phase === phase,
          ),
        `${name} ${phase}`,
        Math.max(1, deadline - Date.now()),
      );
      break;
    } catch (error) {
      if (!stream.ended || Date.now() > deadline) throw error;
    } finally {
      stream.abort();
    }
  }
  const res = await kb.get(`${entityPath(name)}/workspace`);
  return res.body;
}
