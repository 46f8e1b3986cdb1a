import { AuditorService } from '@backstage/backend-plugin-api';
import {
  kaitoWorkspaceChatPermission,
  type ConversationInput,
  type ConversationList,
} from '@kaito-backstage/plugin-kaito-common';
import express, { Request, RequestHandler } from 'express';
import Router from 'express-promise-router';
import { EntityResolver } from '../service/EntityResolver';
import { KaitoHttpError } from '../service/errors';
import { ConversationScope, ConversationStore } from './ConversationStore';
import { ConversationSettingsConfig } from './settings';
import {
  assertWithinLimits,
  defaultTitle,
  parseConversationInput,
} from './validation';

export interface ConversationRouterOptions {
  resolver: EntityResolver;
  /** Undefined when `kaito.conversations.enabled` is false. */
  store?: ConversationStore;
  settings: ConversationSettingsConfig;
  auditor: AuditorService;
}

/** Route prefix, under the plugin's mount point. */
export const CONVERSATIONS_PATH =
  '/entity/:kind/:namespace/:name/conversations';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Bytes a body may carry beyond `maxBytes` (JSON syntax around the stored fields). */
const BODY_SLACK_BYTES = 64 * 1024;

/**
 * `GET/POST .../conversations` and `GET/PUT/DELETE .../conversations/:id`.
 * The caller needs `kaito.workspace.chat` on the entity (one check, through
 * the {@link EntityResolver}); a conversation is only ever found by its
 * owner through the entity it was saved on. Anything else, including
 * another user's id, answers 404 so that existence does not leak.
 */
export function createConversationsRouter(
  options: ConversationRouterOptions,
): express.Router {
  const { resolver, store, settings, auditor } = options;
  const router = Router();
  const bodyLimit = settings.maxBytes + BODY_SLACK_BYTES;
  const parseJson = express.json({ limit: bodyLimit });
  const json: RequestHandler = (req, res, next) =>
    parseJson(req, res, err =>
      next(
        (err as { type?: string })?.type === 'entity.too.large'
          ? new KaitoHttpError(
              413,
              'limit_exceeded',
              `The request body is over ${bodyLimit} bytes; a conversation holds at most ${settings.maxBytes} bytes (kaito.conversations.maxBytes). Start a new conversation, or ask your Backstage administrator to raise the limit`,
              { limit: 'kaito.conversations.maxBytes' },
            )
          : err,
      ),
    );

  /** The caller's scope on the entity in the path, after the permission check. */
  const scopeOf = async (
    req: Request,
  ): Promise<{ scope: ConversationScope; store: ConversationStore }> => {
    if (!store) {
      throw new KaitoHttpError(
        404,
        'conversations_disabled',
        'Saved conversations are turned off on this Backstage (kaito.conversations.enabled: false); chat still works without saving',
      );
    }
    const ctx = await resolver.resolve(req, kaitoWorkspaceChatPermission, {
      allowExternal: true,
    });
    const principal = ctx.credentials.principal as { type: string };
    if (principal.type !== 'user') {
      throw new KaitoHttpError(
        403,
        'user_required',
        'Saved conversations belong to a signed-in user; call this route with a user token, not a service token',
      );
    }
    return { scope: { ownerRef: ctx.actor, entityRef: ctx.entityRef }, store };
  };

  const notFound = (id: string) =>
    new KaitoHttpError(
      404,
      'conversation_not_found',
      `Conversation '${id.slice(
        0,
        64,
      )}' was not found on this entity; list your conversations with GET .../conversations`,
    );

  const idOf = (req: Request) => {
    const id = req.params.id;
    if (!UUID.test(id)) throw notFound(id);
    return id;
  };

  const bodyOf = (req: Request): ConversationInput => {
    if (req.is('application/json') === false) {
      throw new KaitoHttpError(
        415,
        'unsupported_media_type',
        'Send the conversation as JSON with Content-Type: application/json',
      );
    }
    return parseConversationInput(req.body ?? {});
  };

  const audit = async (
    req: Request,
    eventId: 'conversation-create' | 'conversation-delete',
    meta: { conversationId: string; entityRef: string },
  ) => {
    try {
      const event = await auditor.createEvent({
        eventId,
        severityLevel: 'low',
        request: req,
        meta,
      });
      await event.success();
    } catch {
      // Auditing must not break the response; the auditor logs its own failures.
    }
  };

  router.get(CONVERSATIONS_PATH, async (req, res) => {
    const { scope, store: s } = await scopeOf(req);
    const body: ConversationList = { items: await s.list(scope) };
    res.json(body);
  });

  router.post(CONVERSATIONS_PATH, json, async (req, res) => {
    const { scope, store: s } = await scopeOf(req);
    const input = bodyOf(req);
    const messages = input.messages ?? [];
    const value = {
      title: input.title ?? defaultTitle(messages),
      messages,
      settings: input.settings,
    };
    const sizeBytes = assertWithinLimits(value, settings);
    const created = await s.insert(
      scope,
      { ...value, sizeBytes },
      settings.maxPerUser,
    );
    if (!created) {
      throw new KaitoHttpError(
        400,
        'limit_exceeded',
        `You already have ${settings.maxPerUser} saved conversations (kaito.conversations.maxPerUser); delete some you no longer need, or ask your Backstage administrator to raise the limit`,
        { limit: 'kaito.conversations.maxPerUser' },
      );
    }
    await audit(req, 'conversation-create', {
      conversationId: created.id,
      entityRef: scope.entityRef,
    });
    res.status(201).json(created);
  });

  router.get(`${CONVERSATIONS_PATH}/:id`, async (req, res) => {
    const { scope, store: s } = await scopeOf(req);
    const id = idOf(req);
    const conversation = await s.get(scope, id);
    if (!conversation) throw notFound(id);
    res.json(conversation);
  });

  router.put(`${CONVERSATIONS_PATH}/:id`, json, async (req, res) => {
    const { scope, store: s } = await scopeOf(req);
    const id = idOf(req);
    const input = bodyOf(req);
    const existing = await s.get(scope, id);
    if (!existing) throw notFound(id);
    const value = {
      title: input.title ?? existing.title,
      messages: input.messages ?? existing.messages,
      settings: input.settings ?? existing.settings,
    };
    const sizeBytes = assertWithinLimits(value, settings);
    const updated = await s.replace(scope, existing, { ...value, sizeBytes });
    if (!updated) throw notFound(id);
    res.json(updated);
  });

  router.delete(`${CONVERSATIONS_PATH}/:id`, async (req, res) => {
    const { scope, store: s } = await scopeOf(req);
    const id = idOf(req);
    if (!(await s.delete(scope, id))) throw notFound(id);
    await audit(req, 'conversation-delete', {
      conversationId: id,
      entityRef: scope.entityRef,
    });
    res.status(204).end();
  });

  return router;
}
