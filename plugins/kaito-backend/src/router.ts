import {
  AuditorService,
  AuthService,
  DiscoveryService,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  kaitoWorkspaceChatPermission,
  kaitoWorkspaceListPermission,
  kaitoWorkspaceReadPermission,
  PriceTable,
  WorkspaceSnapshot,
  workspaceServes,
} from '@kaito-backstage/plugin-kaito-common';
import {
  KaitoClusters,
  ModelServerLoad,
  RagEngines,
} from '@kaito-backstage/plugin-kaito-node';
import express from 'express';
import Router from 'express-promise-router';
import { ChatAudit, ChatOutcome } from './service/audit';
import { ChatRelay } from './service/ChatRelay';
import { parseChatRequest, readRawBody } from './service/chatRequest';
import { EntityContext, EntityResolver } from './service/EntityResolver';
import { createConversationsRouter } from './conversations/router';
import { createCatalogRouter } from './catalog/router';
import { ConversationStore } from './conversations/ConversationStore';
import { ConversationSettingsConfig } from './conversations/settings';
import { requireCredentials } from './service/authBoundary';
import {
  KaitoHttpError,
  createKaitoErrorHandler,
  routeNotFound,
  sendError,
} from './service/errors';
import { KaitoLimits, PerUserLimiter } from './service/limits';
import { KaitoMetrics } from './service/metrics';
import { ReadinessStreams } from './service/ReadinessStream';
import { ChatUpstream } from './service/chatUpstream';
import { createRagRouter, RAGENGINE_EVENTS_PATH } from './rag/router';
import { assertRagReady, engineModel } from './rag/ragTarget';
import { RagLimits } from './rag/settings';

export interface RouterOptions {
  logger: LoggerService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  catalog: CatalogService;
  kaito: KaitoClusters;
  limits: KaitoLimits;
  metrics: KaitoMetrics;
  readiness: ReadinessStreams;
  /** RAGEngines (`kaito.sh/ragengine` entities) and the `kaito.rag` limits. */
  rag: { engines: RagEngines; limits: RagLimits };
  /** For `rag/techdocs` (TechDocs backend through discovery, plugin-to-plugin tokens). */
  auth?: AuthService;
  discovery?: DiscoveryService;
  /** Record prompts in audit events (`kaito.audit.includePrompts`, default false). */
  includePrompts?: boolean;
  allowedNamespaces?: string[];
  /** See EntityResolverOptions.cacheTtlMs. */
  entityCacheTtlMs?: number;
  /** Prices and default region for `/catalog` (`kaito.prices`, `kaito.catalog`). */
  pricing?: { prices: PriceTable; defaultRegion?: string };
  /** Saved conversations (`kaito.conversations`); the store is absent when disabled. */
  conversations?: {
    store?: ConversationStore;
    settings: ConversationSettingsConfig;
  };
}

/** The path of the readiness event stream, for the user-cookie auth policy. */
export const READINESS_EVENTS_PATH =
  '/entity/:kind/:namespace/:name/workspace/events';

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const {
    httpAuth,
    permissions,
    auditor,
    catalog,
    kaito,
    limits,
    metrics,
    logger,
  } = options;
  const resolver = new EntityResolver({
    catalog,
    permissions,
    httpAuth,
    registry: kaito.registry,
    externalTargetNames: () =>
      kaito.upstreams.settings.externalTargets.map(t => t.name),
    allowedNamespaces: options.allowedNamespaces,
    cacheTtlMs: options.entityCacheTtlMs,
  });
  const loads = new ModelServerLoad();
  const chatLimiter = new PerUserLimiter(
    () => limits.maxConcurrentStreamsPerUser,
  );

  const router = Router();
  router.use(
    requireCredentials(httpAuth, [
      READINESS_EVENTS_PATH,
      RAGENGINE_EVENTS_PATH,
    ]),
  );

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/workspaces', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const [decision] = await permissions.authorize(
      [{ permission: kaitoWorkspaceListPermission }],
      {
        credentials,
      },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `You are not allowed ${kaitoWorkspaceListPermission.name}`,
      );
    }
    const clusters = await kaito.watcher.listAll();
    res.json({
      clusters: clusters.map(({ workspaces, ...c }) => ({
        ...c,
        count: workspaces.length,
      })),
      items: clusters.flatMap(c => c.workspaces),
    });
  });

  // Readiness routes resolve with allowExternal: false, so the target is a Workspace.
  const workspaceOf = (ctx: EntityContext) => {
    if (ctx.target.kind === 'ragengine') {
      throw new NotFoundError(
        `Entity ${ctx.entityRef} is a RAG entity (kaito.sh/ragengine): it has no KAITO Workspace of its own; its readiness is at .../ragengine`,
      );
    }
    if (ctx.target.kind !== 'workspace') {
      throw new NotFoundError(`Entity ${ctx.entityRef} has no KAITO Workspace`);
    }
    return ctx.target.key;
  };

  router.get('/entity/:kind/:namespace/:name/workspace', async (req, res) => {
    const ctx = await resolver.resolve(req, kaitoWorkspaceReadPermission, {
      allowExternal: false,
    });
    const snapshot = await kaito.watcher.snapshot(workspaceOf(ctx));
    res.json({ entityRef: ctx.entityRef, ...snapshot });
  });

  // The model server's live load (vLLM /metrics, summarised), read like the chat relay reaches it.
  router.get('/entity/:kind/:namespace/:name/load', async (req, res) => {
    const ctx = await resolver.resolve(req, kaitoWorkspaceReadPermission, {
      allowExternal: false,
    });
    const key = workspaceOf(ctx);
    const { snapshot, workspace } = await kaito.watcher.workspace(key);
    assertReady(snapshot);
    const upstream = await kaito.upstreams.forWorkspace(key, workspace);
    res.json({
      entityRef: ctx.entityRef,
      ...(await loads.read(upstream.target)),
    });
  });

  router.get(READINESS_EVENTS_PATH, async (req, res) => {
    const ctx = await resolver.resolve(req, kaitoWorkspaceReadPermission, {
      allowExternal: false,
      allowCookie: true,
    });
    await options.readiness.serve(res, workspaceOf(ctx), ctx.actor);
  });

  /** The upstream for an entity; for Workspaces and RAGEngines only once Ready. */
  const upstreamFor = async (ctx: EntityContext): Promise<ChatUpstream> => {
    if (ctx.target.kind === 'external')
      return kaito.upstreams.forExternal(ctx.target.name);
    if (ctx.target.kind === 'ragengine') {
      const { key, index } = ctx.target;
      const { state, ragengine } = await options.rag.engines.watcher.observe(
        key,
      );
      assertRagReady(state, true);
      const model = await engineModel(kaito.watcher, key, ragengine);
      return options.rag.engines.chat(key, index, model);
    }
    const key = ctx.target.key;
    const { snapshot, workspace } = await kaito.watcher.workspace(key);
    assertReady(snapshot);
    return kaito.upstreams.forWorkspace(key, workspace);
  };

  router.get('/entity/:kind/:namespace/:name/models', async (req, res) => {
    const ctx = await resolver.resolve(req, kaitoWorkspaceChatPermission, {
      allowExternal: true,
    });
    const upstream = await upstreamFor(ctx);
    const signal = AbortSignal.timeout(limits.idleTimeoutMs);
    res.json(await upstream.models(signal));
  });

  router.post(
    '/entity/:kind/:namespace/:name/chat/completions',
    async (req, res) => {
      const ctx = await resolver.resolve(req, kaitoWorkspaceChatPermission, {
        allowExternal: true,
      });
      const target =
        ctx.target.kind === 'external'
          ? `external:${ctx.target.name}`
          : `${ctx.target.key.cluster}/${ctx.target.key.namespace}/${ctx.target.key.name}`;
      const audit = new ChatAudit(auditor, req, {
        entityRef: ctx.entityRef,
        target,
      });
      // A chat refused before it reaches the relay: counted and audited once.
      const refuse = (
        kind: 'limit' | 'not_ready' | 'unreachable',
        outcome: ChatOutcome,
        error: Error,
      ) => {
        metrics.error(kind);
        return audit.finish({ outcome, durationMs: 0, error });
      };
      let request;
      try {
        request = parseChatRequest(
          await readRawBody(req, limits.maxBodyBytes),
          req.headers['content-type'],
          limits,
        );
      } catch (error) {
        if (
          error instanceof KaitoHttpError &&
          error.extra.limit === 'maxBodyBytes'
        ) {
          res.setHeader('Connection', 'close');
        }
        await refuse('limit', 'rejected', error as Error);
        throw error;
      }
      audit.request(request, options.includePrompts ?? false);
      const release = chatLimiter.tryAcquire(ctx.actor);
      if (!release) {
        await refuse(
          'limit',
          'rejected',
          new Error('maxConcurrentStreamsPerUser'),
        );
        sendError(
          res,
          new KaitoHttpError(
            429,
            'limit_exceeded',
            `You already have ${limits.maxConcurrentStreamsPerUser} chat requests in flight (kaito.limits.maxConcurrentStreamsPerUser); wait for one to finish`,
            { limit: 'maxConcurrentStreamsPerUser', retryAfter: '1' },
          ),
        );
        return;
      }
      let upstream: ChatUpstream;
      try {
        upstream = await upstreamFor(ctx);
      } catch (error) {
        release();
        const notReady =
          error instanceof KaitoHttpError &&
          error.extra.type === 'not_ready_error';
        const outcome = notReady ? 'not_ready' : 'unreachable';
        await refuse(outcome, outcome, error as Error);
        throw error;
      }
      // Per chat: the relay's metrics carry the entity label.
      await new ChatRelay(
        limits,
        metrics.forEntity(ctx.entityRef),
        logger,
      ).relay({
        res,
        upstream,
        request,
        audit,
        release,
      });
    },
  );

  router.use(
    createRagRouter({
      resolver,
      rag: options.rag.engines,
      limits: options.rag.limits,
      readiness: options.readiness,
      auditor,
      catalog,
      techdocs:
        options.auth && options.discovery
          ? { auth: options.auth, discovery: options.discovery }
          : undefined,
    }),
  );

  router.use(
    '/catalog',
    createCatalogRouter({
      prices: options.pricing?.prices ?? PriceTable.builtIn(),
      defaultRegion: options.pricing?.defaultRegion ?? 'eastus',
      azure: kaito.azure,
      logger,
    }),
  );

  if (options.conversations) {
    router.use(
      createConversationsRouter({
        resolver,
        auditor,
        ...options.conversations,
      }),
    );
  }

  router.use(routeNotFound);
  router.use(createKaitoErrorHandler(logger));
  return router;
}

/** 409 with the readiness reason unless the Workspace serves (kaito-common workspaceServes). */
function assertReady(snapshot: WorkspaceSnapshot) {
  const ref = `${snapshot.namespace}/${snapshot.name}`;
  if (snapshot.status === 'unavailable') {
    throw new KaitoHttpError(
      503,
      'cluster_unavailable',
      snapshot.message ?? `Cluster '${snapshot.cluster}' is unavailable`,
    );
  }
  if (snapshot.status === 'notFound') {
    throw new KaitoHttpError(
      404,
      'workspace_not_found',
      snapshot.message ?? `Workspace ${ref} was not found`,
    );
  }
  const phase = snapshot.readiness?.phase;
  // Ready, or Degraded only by a failed post-load benchmark: the model answers.
  if (!workspaceServes(snapshot.readiness)) {
    throw new KaitoHttpError(
      409,
      'workspace_not_ready',
      `Workspace ${ref} is not ready (${phase ?? 'unknown'}): ${
        snapshot.readiness?.reason ?? snapshot.message ?? 'readiness unknown'
      }`,
      {
        type: 'not_ready_error',
        phase: phase ?? 'Unknown',
        reason: snapshot.readiness?.reason ?? snapshot.message,
      },
    );
  }
}
