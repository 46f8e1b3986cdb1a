import { AuditorService } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  kaitoRagEngineManagePermission,
  kaitoWorkspaceReadPermission,
  RagAddDocumentsAnswer,
  RagDeleteDocumentsAnswer,
  RagDocumentsAnswer,
  RagIndexesAnswer,
} from '@kaito-backstage/plugin-kaito-common';
import {
  RagEngines,
  ragEngineSnapshotFor,
} from '@kaito-backstage/plugin-kaito-node';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { readRawBody } from '../service/chatRequest';
import { EntityContext, EntityResolver } from '../service/EntityResolver';
import { KaitoHttpError } from '../service/errors';
import { ReadinessStreams } from '../service/ReadinessStream';
import { PerUserLimiter } from '../service/limits';
import {
  NewDocument,
  parseDocIds,
  parseJsonDocuments,
  toEngineDocuments,
} from './documents';
import { extractText, fileType } from './extractText';
import { assertRagReady, ragOf } from './ragTarget';
import { RagLimits } from './settings';
import { indexTechDocs, TechDocsDeps } from './techdocs/indexTechDocs';
import { readUploads } from './uploads';

/** The path of the RAGEngine readiness stream, for the user-cookie auth policy. */
export const RAGENGINE_EVENTS_PATH =
  '/entity/:kind/:namespace/:name/ragengine/events';

const ENTITY = '/entity/:kind/:namespace/:name';

export interface RagRouterOptions {
  resolver: EntityResolver;
  rag: RagEngines;
  limits: RagLimits;
  readiness: ReadinessStreams;
  auditor: AuditorService;
  catalog: CatalogService;
  /** For `rag/techdocs`: the TechDocs backend, reached with a token on behalf of the caller. */
  techdocs?: Omit<TechDocsDeps, 'catalog'>;
}

/**
 * RAG routes of an entity with `kaito.sh/ragengine`: its RAGEngine's
 * readiness (snapshot and stream), its indexes, and the documents of its
 * index. Reads need kaito.workspace.read, writes kaito.ragengine.manage,
 * both checked on the entity by the resolver. The index is the entity's
 * (`kaito.sh/rag-index`, else the RAGEngine's name), never the request's.
 */
export function createRagRouter(options: RagRouterOptions): express.Router {
  const { resolver, rag, limits, readiness, auditor } = options;
  const router = Router();
  // Each add holds its files (up to kaito.rag.maxTotalBytes) in memory.
  const writes = new PerUserLimiter(() => limits.maxConcurrentWritesPerUser);
  /** Runs an add in the caller's write slot, or answers 429 naming the limit. */
  const inWriteSlot = async <T>(actor: string, work: () => Promise<T>) => {
    const release = writes.tryAcquire(actor);
    if (!release) {
      throw new KaitoHttpError(
        429,
        'limit_exceeded',
        `You already have ${limits.maxConcurrentWritesPerUser} document additions in flight (kaito.rag.maxConcurrentWritesPerUser); wait for one to finish`,
        { limit: 'maxConcurrentWritesPerUser', retryAfter: '2' },
      );
    }
    try {
      return await work();
    } finally {
      release();
    }
  };

  const read = async (req: Request) => {
    const ctx = await resolver.resolve(req, kaitoWorkspaceReadPermission, {
      allowExternal: false,
    });
    return { ctx, ...ragOf(ctx) };
  };
  const manage = async (req: Request) => {
    const ctx = await resolver.resolve(req, kaitoRagEngineManagePermission, {
      allowExternal: false,
    });
    return { ctx, ...ragOf(ctx) };
  };
  /** The engine's client, once the RAGEngine is Ready. */
  const readyClient = async (key: Parameters<RagEngines['client']>[0]) => {
    assertRagReady((await rag.watcher.observe(key)).state);
    return rag.client(key);
  };
  const audit = async (
    req: Request,
    ctx: EntityContext,
    eventId:
      | 'rag-documents-add'
      | 'rag-documents-delete'
      | 'rag-techdocs-index',
    meta: Record<string, unknown>,
  ) => {
    try {
      const event = await auditor.createEvent({
        eventId,
        severityLevel: 'medium',
        request: req,
        meta: { entityRef: ctx.entityRef, ...meta } as any,
      });
      await event.success();
    } catch {
      // Auditing must not break the response; the auditor logs its own failures.
    }
  };

  router.get(`${ENTITY}/ragengine`, async (req, res) => {
    const { ctx, key, index } = await read(req);
    const { state } = await rag.watcher.observe(key);
    res.json(ragEngineSnapshotFor(state, ctx.entityRef, index));
  });

  router.get(RAGENGINE_EVENTS_PATH, async (req, res) => {
    const ctx = await resolver.resolve(req, kaitoWorkspaceReadPermission, {
      allowExternal: false,
      allowCookie: true,
    });
    const { key, index } = ragOf(ctx);
    await readiness.serveSubscription(
      res,
      ctx.actor,
      `RAGEngine ${key.namespace}/${key.name}`,
      send =>
        rag.watcher.subscribe(key, state =>
          send(ragEngineSnapshotFor(state, ctx.entityRef, index)),
        ),
    );
  });

  router.get(`${ENTITY}/rag/indexes`, async (req, res) => {
    const { ctx, key, index } = await read(req);
    const client = await readyClient(key);
    const answer: RagIndexesAnswer = {
      entityRef: ctx.entityRef,
      index,
      indexes: await client.listIndexes(),
    };
    res.json(answer);
  });

  router.get(`${ENTITY}/rag/documents`, async (req, res) => {
    const { ctx, key, index } = await read(req);
    const limit = queryInt(req, 'limit', 10, 1, 100);
    const offset = queryInt(req, 'offset', 0, 0, 1_000_000);
    const client = await readyClient(key);
    const page = await client.listDocuments(index, { limit, offset });
    const answer: RagDocumentsAnswer = {
      entityRef: ctx.entityRef,
      index,
      documents: page.documents,
      count: page.count,
      total: page.total_items,
      limit,
      offset,
    };
    res.json(answer);
  });

  const addDocuments = async (
    req: Request,
    res: express.Response,
    ctx: EntityContext,
    key: Parameters<RagEngines['client']>[0],
    index: string,
  ) => {
    const type = String(req.headers['content-type'] ?? '').toLowerCase();
    let docs: NewDocument[];
    if (type.startsWith('multipart/form-data')) {
      const files = await readUploads(req, limits);
      docs = [];
      for (const f of files) {
        const contentType = fileType(f.filename, f.mimeType);
        docs.push({
          text: await extractText(f.filename, contentType, f.data),
          title: f.filename.slice(0, 200),
          origin: 'upload',
          contentType,
        });
      }
    } else if (type.startsWith('application/json')) {
      docs = parseJsonDocuments(await readJson(req, limits), limits);
    } else {
      throw new KaitoHttpError(
        415,
        'unsupported_media_type',
        'Send files as multipart/form-data in the field "files" (text/plain, text/markdown, application/pdf), or JSON {"documents": [{"text": "...", "title": "..."}]} with Content-Type: application/json',
      );
    }
    const client = await readyClient(key);
    const indexed = await client.index({
      index_name: index,
      documents: toEngineDocuments(docs, ctx.actor),
    });
    const answer: RagAddDocumentsAnswer = {
      entityRef: ctx.entityRef,
      index,
      added: indexed.map((d, i) => ({
        doc_id: d.doc_id,
        title: docs[i]?.title ?? '',
        characters: (docs[i]?.text ?? d.text ?? '').length,
      })),
    };
    await audit(req, ctx, 'rag-documents-add', {
      index,
      docIds: answer.added.map(a => a.doc_id),
      titles: answer.added.map(a => a.title),
    });
    res.status(201).json(answer);
  };

  router.post(`${ENTITY}/rag/documents`, async (req, res) => {
    const { ctx, key, index } = await manage(req);
    await inWriteSlot(ctx.actor, () => addDocuments(req, res, ctx, key, index));
  });

  router.post(`${ENTITY}/rag/documents/delete`, async (req, res) => {
    const { ctx, key, index } = await manage(req);
    if (!/^application\/json\b/i.test(String(req.headers['content-type']))) {
      throw new KaitoHttpError(
        415,
        'unsupported_media_type',
        'Send {"doc_ids": ["..."]} with Content-Type: application/json',
      );
    }
    const ids = parseDocIds(await readRawBody(req, 256 * 1024), limits);
    const client = await readyClient(key);
    const result = await client.deleteDocuments(index, ids);
    const answer: RagDeleteDocumentsAnswer = {
      entityRef: ctx.entityRef,
      index,
      deleted_doc_ids: result.deleted_doc_ids ?? [],
      not_found_doc_ids: result.not_found_doc_ids ?? [],
    };
    await audit(req, ctx, 'rag-documents-delete', {
      index,
      docIds: answer.deleted_doc_ids,
    });
    res.json(answer);
  });

  router.post(`${ENTITY}/rag/techdocs`, async (req, res) => {
    const { ctx, key, index } = await manage(req);
    const techdocs = options.techdocs;
    if (!techdocs) {
      throw new KaitoHttpError(
        501,
        'not_implemented',
        'Indexing TechDocs needs the discovery and auth services; this backend was set up without them',
      );
    }
    const client = await readyClient(key);
    const answer = await inWriteSlot(ctx.actor, () =>
      indexTechDocs(
        { catalog: options.catalog, ...techdocs },
        {
          entity: ctx.entity,
          entityRef: ctx.entityRef,
          credentials: ctx.credentials,
          actor: ctx.actor,
          index,
          client,
          maxPages: limits.maxTechDocsPages,
        },
      ),
    );
    await audit(req, ctx, 'rag-techdocs-index', {
      index,
      sources: answer.sources,
      pages: answer.pages,
      added: answer.added,
    });
    res.json(answer);
  });

  return router;
}

/** The raw JSON body, at most `kaito.rag.maxTotalBytes`. */
async function readJson(req: Request, limits: RagLimits): Promise<Buffer> {
  try {
    return await readRawBody(req, limits.maxTotalBytes);
  } catch (error) {
    if (error instanceof KaitoHttpError && error.extra.limit) {
      throw new KaitoHttpError(
        413,
        'limit_exceeded',
        `The request body is larger than ${limits.maxTotalBytes} bytes (kaito.rag.maxTotalBytes); send fewer or shorter documents`,
        { limit: 'maxTotalBytes' },
      );
    }
    throw error;
  }
}

/** A whole-number query parameter within bounds, else a 400 naming it. */
function queryInt(
  req: Request,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = req.query[name];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (typeof raw !== 'string' || !Number.isInteger(n) || n < min || n > max) {
    throw new KaitoHttpError(
      400,
      'invalid_request',
      `Query parameter "${name}" must be a whole number from ${min} to ${max}`,
      { param: name },
    );
  }
  return n;
}
