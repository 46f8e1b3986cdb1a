/* Test-only: a real HTTP server answering kaito-backend's RAG routes and the permission backend. */
import { MockConfigApi } from '@backstage/test-utils';
import { IdentityPermissionApi } from '@backstage/plugin-permission-react';
import type {
  RagDocument,
  RagEngineSnapshot,
  RagTechDocsAnswer,
} from '@kaito-backstage/plugin-kaito-common';
import { KaitoClient } from '@kaito-backstage/plugin-kaito-react';
import { once } from 'node:events';
import http from 'node:http';
import { AddressInfo } from 'node:net';

export const RAG_ENTITY_REF = 'resource:default/team-docs';

export interface RagRecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  contentType?: string;
  body?: any;
}

/** The backend's error body (Backstage's and OpenAI's shapes at once). */
function errorBody(status: number, name: string, message: string, extra = {}) {
  return {
    error: { name, message, ...extra },
    response: { statusCode: status },
  };
}

/** A RAGEngine snapshot as kaito-backend sends it; `readiness` fields override. */
export function ragSnapshot(
  readiness: Partial<NonNullable<RagEngineSnapshot['readiness']>> = {},
  rest: Partial<RagEngineSnapshot> = {},
): RagEngineSnapshot {
  return {
    entityRef: RAG_ENTITY_REF,
    cluster: 'kaito-simulator',
    namespace: 'kaito-demo',
    name: 'team-docs',
    status: 'found',
    observedAt: new Date(0).toISOString(),
    readiness: {
      phase: 'Ready',
      reason: 'The RAGEngine serves retrieval and chat.',
      outcome: 'ready',
      steps: [
        { id: 'resource', title: 'Resources ready', status: 'done' },
        { id: 'service', title: 'RAG service deployed', status: 'done' },
        { id: 'ready', title: 'Ready', status: 'done' },
      ],
      conditions: [
        {
          type: 'ServiceReady',
          status: 'True',
          reason: 'RAGEngineServiceSuccess',
          message: 'Inference has been deployed successfully',
        },
      ],
      canChat: true,
      ...readiness,
    },
    ragengine: {
      apiVersion: 'kaito.sh/v1beta1',
      index: 'team-docs',
      embedding: { kind: 'local', modelID: 'BAAI/bge-small-en-v1.5' },
      vectorDB: 'faiss',
      inferenceUrl: 'http://phi-4-mini.kaito-demo/v1/chat/completions',
      instanceType: 'Standard_D8s_v3',
      guardrails: false,
      persistent: false,
      deleting: false,
    },
    ...rest,
  };
}

/** A stored document with the metadata the backend writes. */
export function ragDocument(i: number, text?: string): RagDocument {
  return {
    doc_id: `doc-${i}`,
    text: text ?? `Document ${i} explains part ${i} of the runbook.`,
    metadata: {
      title: `runbook-${i}.md`,
      origin: 'upload',
      added_by: 'user:default/guest',
      added_at: new Date(Date.UTC(2026, 0, 1, 12, i)).toISOString(),
    },
  };
}

/**
 * kaito-backend's RAG routes for one entity (readiness SSE, indexes, documents with paging,
 * multipart and JSON uploads with the count/size/type limits, delete, TechDocs) and the
 * permission backend's `/authorize`, over real HTTP. Cards talk to it through the real
 * KaitoClient and IdentityPermissionApi.
 */
export class RagBackend {
  readonly requests: RagRecordedRequest[] = [];
  documents: RagDocument[] = [];
  /** Whether `kaito.ragengine.manage` is allowed (the permission backend and the write routes). */
  manageAllowed = true;
  maxFiles = 5;
  maxFileBytes = 1024;
  /** What `rag/techdocs` answers: an answer, or a status with the backend's message. */
  techdocs: RagTechDocsAnswer | { status: number; message: string } = {
    status: 404,
    message: 'Not Found',
  };
  #snapshot: RagEngineSnapshot = ragSnapshot();
  #watchers = new Set<http.ServerResponse>();
  #server?: http.Server;
  #ids = 100;

  async start() {
    this.#server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', d => chunks.push(d));
      req.on('end', () => {
        this.#handle(req, res, Buffer.concat(chunks)).catch(e => {
          res.writeHead(500).end(String(e));
        });
      });
    });
    this.#server.keepAliveTimeout = 120_000;
    this.#server.listen(0, '127.0.0.1');
    await once(this.#server, 'listening');
    const { port } = this.#server.address() as AddressInfo;
    const discoveryApi = {
      getBaseUrl: async (id: string) => `http://127.0.0.1:${port}/api/${id}`,
    };
    const fetchApi = {
      fetch: (input: RequestInfo | URL, init?: RequestInit) =>
        fetch(input, init),
    };
    const permissionApi = IdentityPermissionApi.create({
      config: new MockConfigApi({ permission: { enabled: true } }),
      discovery: discoveryApi,
      identity: {
        getCredentials: async () => ({ token: 'test-token' }),
      } as any,
    });
    return {
      kaitoApi: new KaitoClient({ discoveryApi, fetchApi }),
      permissionApi,
      discoveryApi,
      fetchApi,
    };
  }

  async stop() {
    for (const w of this.#watchers) w.end();
    this.#server?.closeAllConnections();
    await new Promise(r => this.#server?.close(r));
  }

  setSnapshot(next: RagEngineSnapshot) {
    this.#snapshot = next;
    for (const w of this.#watchers) this.#send(w);
  }

  writes() {
    return this.requests.filter(
      r => r.method === 'POST' && r.path !== '/authorize',
    );
  }

  #send(res: http.ServerResponse) {
    res.write(`event: snapshot\ndata: ${JSON.stringify(this.#snapshot)}\n\n`);
  }

  #json(res: http.ServerResponse, status: number, body: unknown) {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  async #handle(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    raw: Buffer,
  ) {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? 'GET';
    const contentType = req.headers['content-type'];
    const path = url.pathname
      .replace(/^\/api\/kaito\/entity\/[^/]+\/[^/]+\/[^/]+/, '')
      .replace(/^\/api\/permission/, '');
    const recorded: RagRecordedRequest = {
      method,
      path,
      query: url.searchParams,
      contentType,
    };
    this.requests.push(recorded);
    if (contentType?.startsWith('application/json') && raw.length) {
      recorded.body = JSON.parse(raw.toString('utf8'));
    }

    if (path === '/authorize') {
      const items = (recorded.body?.items ?? []).map((i: any) => ({
        id: i.id,
        result:
          i.permission?.name !== 'kaito.ragengine.manage' || this.manageAllowed
            ? 'ALLOW'
            : 'DENY',
      }));
      this.#json(res, 200, { items });
      return;
    }
    if (path === '/ragengine/events') {
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      this.#watchers.add(res);
      res.on('close', () => this.#watchers.delete(res));
      this.#send(res);
      return;
    }
    if (path === '/ragengine') {
      this.#json(res, 200, this.#snapshot);
      return;
    }
    if (path === '/rag/indexes') {
      this.#json(res, 200, {
        entityRef: RAG_ENTITY_REF,
        index: 'team-docs',
        indexes: ['team-docs', 'other-team'],
      });
      return;
    }
    if (path === '/rag/documents' && method === 'GET') {
      const limit = Number(url.searchParams.get('limit') ?? 10);
      const offset = Number(url.searchParams.get('offset') ?? 0);
      const documents = this.documents.slice(offset, offset + limit);
      this.#json(res, 200, {
        entityRef: RAG_ENTITY_REF,
        index: 'team-docs',
        documents,
        count: documents.length,
        total: this.documents.length,
        limit,
        offset,
      });
      return;
    }
    if (method === 'POST' && !this.manageAllowed) {
      this.#json(
        res,
        403,
        errorBody(
          403,
          'NotAllowedError',
          'You may not change the documents of resource:default/team-docs (permission kaito.ragengine.manage).',
        ),
      );
      return;
    }
    if (path === '/rag/documents' && method === 'POST') {
      await this.#add(res, contentType ?? '', raw);
      return;
    }
    if (path === '/rag/documents/delete') {
      const ids: string[] = recorded.body?.doc_ids ?? [];
      const deleted = ids.filter(id =>
        this.documents.some(d => d.doc_id === id),
      );
      this.documents = this.documents.filter(d => !ids.includes(d.doc_id));
      this.#json(res, 200, {
        entityRef: RAG_ENTITY_REF,
        index: 'team-docs',
        deleted_doc_ids: deleted,
        not_found_doc_ids: ids.filter(id => !deleted.includes(id)),
      });
      return;
    }
    if (path === '/rag/techdocs') {
      const t = this.techdocs;
      if ('status' in t) {
        this.#json(
          res,
          t.status,
          errorBody(t.status, 'NotFoundError', t.message),
        );
      } else {
        this.#json(res, 200, t);
      }
      return;
    }
    this.#json(res, 404, errorBody(404, 'NotFoundError', `No route ${path}`));
  }

  async #add(res: http.ServerResponse, contentType: string, raw: Buffer) {
    const added: Array<{ doc_id: string; title: string; characters: number }> =
      [];
    const store = (title: string, text: string) => {
      const doc_id = `doc-${++this.#ids}`;
      this.documents.push({
        doc_id,
        text,
        metadata: { title, origin: 'upload', added_by: 'user:default/guest' },
      });
      added.push({ doc_id, title, characters: text.length });
    };
    if (contentType.startsWith('multipart/form-data')) {
      const form = await new Request('http://localhost/', {
        method: 'POST',
        headers: { 'content-type': contentType },
        body: raw,
      }).formData();
      const files = form.getAll('files') as File[];
      if (files.length > this.maxFiles) {
        this.#json(
          res,
          413,
          errorBody(
            413,
            'PayloadTooLargeError',
            `${files.length} files sent; at most ${this.maxFiles} per upload (kaito.rag.maxFiles).`,
          ),
        );
        return;
      }
      for (const file of files) {
        if (file.size > this.maxFileBytes) {
          this.#json(
            res,
            413,
            errorBody(
              413,
              'PayloadTooLargeError',
              `${file.name} is ${file.size} bytes; at most ${this.maxFileBytes} bytes per file (kaito.rag.maxFileBytes).`,
            ),
          );
          return;
        }
        if (!/\.(txt|md|pdf)$/.test(file.name)) {
          this.#json(
            res,
            415,
            errorBody(
              415,
              'UnsupportedMediaTypeError',
              `${file.name} is not text/plain, text/markdown or application/pdf; upload .txt, .md or .pdf files.`,
            ),
          );
          return;
        }
      }
      for (const file of files) store(file.name, await file.text());
    } else {
      const body = JSON.parse(raw.toString('utf8'));
      for (const d of body.documents ?? [])
        store(d.title ?? 'Pasted text', d.text);
    }
    this.#json(res, 201, {
      entityRef: RAG_ENTITY_REF,
      index: 'team-docs',
      added,
    });
  }
}
