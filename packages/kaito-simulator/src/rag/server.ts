import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RagRetrieveResponse } from '@kaito-backstage/plugin-kaito-common';
import { BodyError, json, readJsonBody } from '../inference/http';
import { chatCompletion } from './chat';
import { HttpError, sendError } from './errors';
import { RagIndexStore } from './indexStore';
import { LlmClient, WorkspaceResolver } from './llm';
import { RagMetrics, RagOperation } from './metrics';
import { RagDisk } from './persist';
import { bodyObject, Checks } from './validate';

/**
 * One RAGEngine's service (KAITO `presets/ragengine/main.py`, FastAPI on
 * port 5000): index CRUD, retrieval and the RAG chat, with FastAPI's status
 * codes and `{"detail": ...}` bodies.
 */

export interface RagBackendOptions {
  namespace: string;
  name: string;
  /** spec.inferenceService.url (LLM_INFERENCE_URL); absent: retrieve-only. */
  inferenceUrl?: string;
  /** spec.inferenceService.contextWindowSize (LLM_CONTEXT_WINDOW), default 64000. */
  contextWindow?: number;
  resolveWorkspace: WorkspaceResolver;
}

/** RAG_MAX_TOP_K's default. */
export const RAG_MAX_TOP_K = 300;

export type RagPhase = 'starting' | 'ready' | 'down';

export class RagBackend {
  phase: RagPhase = 'starting';
  readonly indexes = new RagIndexStore();
  readonly metrics = new RagMetrics();
  private readonly disk = new RagDisk(this.indexes);
  private llm?: LlmClient;

  constructor(public opts: RagBackendOptions) {
    this.configure(opts);
  }

  /** New LLM_INFERENCE_URL / LLM_CONTEXT_WINDOW (a changed spec rolls the pod's env). */
  configure(opts: RagBackendOptions): void {
    this.opts = opts;
    this.llm = opts.inferenceUrl
      ? new LlmClient(opts.inferenceUrl, opts.namespace, opts.resolveWorkspace)
      : undefined;
  }

  setPhase(phase: RagPhase): void {
    this.phase = phase;
  }

  /** Serves one request; `path` is the path (with query) as the pod sees it. */
  handle(
    req: IncomingMessage,
    res: ServerResponse,
    path = req.url ?? '/',
  ): void {
    this.route(req, res, path).catch(e => {
      if (!req.complete) req.resume();
      if (res.headersSent) res.destroy();
      else sendError(res, e);
    });
  }

  private async route(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
  ): Promise<void> {
    const url = new URL(path, 'http://ragengine.local');
    const method = req.method ?? 'GET';
    let segs: string[];
    try {
      segs = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    } catch {
      segs = [];
    }
    const route = (
      allowed: string,
      op: RagOperation | undefined,
      fn: () => Promise<unknown> | unknown,
    ) => this.serve(req, res, method, allowed, op, fn);
    const p = `/${segs.join('/')}`;
    if (p === '/health')
      return route('GET', undefined, () => ({
        status: 'Healthy',
        detail: null,
      }));
    if (p === '/metrics') {
      if (method !== 'GET') return route('GET', undefined, () => undefined);
      req.resume();
      res.writeHead(200, {
        'content-type': 'text/plain; version=0.0.4; charset=utf-8',
      });
      res.end(this.metrics.render());
      return undefined;
    }
    if (p === '/index')
      return route('POST', 'index', async () =>
        this.index(await this.body(req)),
      );
    if (p === '/indexes')
      return route('GET', 'indexes', () => this.indexes.names());
    if (p === '/retrieve')
      return route('POST', 'retrieve', async () =>
        this.retrieve(await this.body(req)),
      );
    if (p === '/v1/chat/completions') {
      return route('POST', 'chat', async () => {
        const body = bodyObject(await this.body(req));
        await chatCompletion(
          {
            indexes: this.indexes,
            llm: this.llm,
            contextWindow: this.opts.contextWindow ?? 64000,
          },
          body,
          res,
        );
        return undefined;
      });
    }
    if (segs[0] === 'persist' && segs.length === 2)
      return route('POST', 'persist', () =>
        this.disk.persist(segs[1], url.searchParams.get('path')),
      );
    if (segs[0] === 'load' && segs.length === 2)
      return route('POST', 'load', () =>
        this.disk.load(
          segs[1],
          url.searchParams.get('path'),
          /^(true|1|yes|on)$/i.test(url.searchParams.get('overwrite') ?? ''),
        ),
      );
    if (segs[0] === 'indexes' && segs.length === 3 && segs[2] === 'documents') {
      const name = segs[1];
      if (method === 'GET')
        return route('GET', 'listDocuments', () =>
          this.list(name, url.searchParams),
        );
      return route('POST', 'updateDocuments', async () =>
        this.update(name, await this.body(req)),
      );
    }
    if (
      segs[0] === 'indexes' &&
      segs.length === 4 &&
      segs[2] === 'documents' &&
      segs[3] === 'delete'
    ) {
      return route('POST', 'deleteDocuments', async () => {
        const b = bodyObject(await this.body(req));
        const c = new Checks();
        const ids = (c.list(['body', 'doc_ids'], b.doc_ids, b) ?? []).map(
          (v, i) => c.string(['body', 'doc_ids', i], v, b),
        );
        c.done();
        return this.indexes.deleteDocs(segs[1], ids as string[]);
      });
    }
    if (segs[0] === 'indexes' && segs.length === 2) {
      return route('DELETE', 'deleteIndex', () => {
        this.indexes.deleteIndex(segs[1]);
        return { message: `Successfully deleted index ${segs[1]}.` };
      });
    }
    req.resume();
    json(res, 404, { detail: 'Not Found' });
    return undefined;
  }

  private async serve(
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    allowed: string,
    op: RagOperation | undefined,
    fn: () => Promise<unknown> | unknown,
  ): Promise<void> {
    if (method !== allowed) {
      req.resume();
      json(res, 405, { detail: 'Method Not Allowed' }, { allow: allowed });
      return;
    }
    this.metrics.running++;
    let ok = false;
    try {
      const out = await fn();
      if (out !== undefined) json(res, 200, out);
      ok = true;
    } finally {
      this.metrics.running--;
      if (op) this.metrics.record(op, ok);
    }
  }

  private async body(req: IncomingMessage): Promise<unknown> {
    try {
      return await readJsonBody(req);
    } catch (e) {
      if (e instanceof BodyError && e.code === 400) {
        throw new HttpError(422, [
          {
            type: 'json_invalid',
            loc: ['body', 0],
            msg: 'JSON decode error',
            input: {},
            ctx: { error: e.message.replace(/^JSON decode error: /, '') },
          },
        ]);
      }
      throw e instanceof BodyError ? new HttpError(e.code, e.message) : e;
    }
  }

  private index(raw: unknown) {
    const b = bodyObject(raw);
    const c = new Checks();
    const name = c.string(['body', 'index_name'], b.index_name, b);
    const docs = c.documents(['body', 'documents'], b.documents, b);
    c.done();
    const valid = docs.filter((d): d is NonNullable<typeof d> => !!d);
    const ids = this.indexes.add(name!, valid);
    return ids.map((doc_id, i) => ({
      doc_id,
      text: valid[i].text,
      metadata: valid[i].metadata === undefined ? {} : valid[i].metadata,
      hash_value: null,
      is_truncated: false,
    }));
  }

  private list(name: string, q: URLSearchParams) {
    const c = new Checks();
    const limit = q.has('limit')
      ? c.int(['query', 'limit'], q.get('limit'), { ge: 1, le: 100 })
      : 10;
    const offset = q.has('offset')
      ? c.int(['query', 'offset'], q.get('offset'), { ge: 0 })
      : 0;
    const maxLen = q.has('max_text_length')
      ? c.int(['query', 'max_text_length'], q.get('max_text_length'), { ge: 1 })
      : 1000;
    c.done();
    let filter: Record<string, unknown> | undefined;
    const rawFilter = q.get('metadata_filter');
    if (rawFilter) {
      try {
        filter = JSON.parse(rawFilter);
      } catch {
        throw new HttpError(
          400,
          'Invalid metadata filter format. Must be a valid JSON string.',
        );
      }
      if (
        typeof filter !== 'object' ||
        filter === null ||
        Array.isArray(filter)
      )
        throw new HttpError(500, "'list' object has no attribute 'items'");
    }
    return this.indexes.list(name, limit!, offset!, maxLen ?? null, filter);
  }

  private update(name: string, raw: unknown) {
    const b = bodyObject(raw);
    const c = new Checks();
    const docs = c.documents(['body', 'documents'], b.documents, b);
    c.done();
    return this.indexes.update(
      name,
      docs as Array<{ doc_id: string; text: string }>,
    );
  }

  private retrieve(raw: unknown): RagRetrieveResponse {
    const b = bodyObject(raw);
    const c = new Checks();
    const name = c.string(['body', 'index_name'], b.index_name, b);
    const query = c.string(['body', 'query'], b.query, b);
    const max =
      b.max_node_count === undefined
        ? 5
        : c.int(['body', 'max_node_count'], b.max_node_count, {
            ge: 1,
            le: RAG_MAX_TOP_K,
          });
    const filter = c.dict(['body', 'metadata_filter'], b.metadata_filter, true);
    c.done();
    if (!this.indexes.has(name!))
      throw new HttpError(404, `No such index: '${name}' exists.`);
    if (!query!.trim())
      throw new HttpError(400, 'Query string cannot be empty.');
    const results = this.indexes.retrieve(name!, query!, max!, filter);
    return { query: query!, results, count: results.length };
  }
}
