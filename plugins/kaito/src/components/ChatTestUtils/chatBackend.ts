import {
  Conversation,
  ConversationInput,
  RagChatCompletionResponse,
  RagEngineSnapshot,
  RagSourceNode,
  WorkspaceSnapshot,
} from '@kaito-backstage/plugin-kaito-common';
import {
  KaitoChatClient,
  KaitoClient,
} from '@kaito-backstage/plugin-kaito-react';
import { once } from 'node:events';
import http from 'node:http';
import { AddressInfo } from 'node:net';

/** What the next `POST .../chat/completions` answers. */
export type ChatScript =
  | {
      /** Streams these content tokens, then `[DONE]`. */
      tokens: string[];
      /** Holds after this many tokens until `release()` or the client leaves. */
      holdAfter?: number;
      /** Ends with a final SSE error event instead of the rest. */
      errorAfter?: { tokens: number; message: string; code: string };
      /** A RAG answer's sources: top-level `source_nodes` of the last chunk before [DONE]. */
      sources?: RagSourceNode[];
    }
  | {
      /** Answers the whole completion as JSON (a RAG answer with `source_nodes`). */
      json: RagChatCompletionResponse;
    }
  | {
      status: number;
      headers?: Record<string, string>;
      error: Record<string, unknown>;
    };

export interface RecordedRequest {
  method: string;
  path: string;
  body: any;
}

function chunk(
  content: string,
  finish: string | null = null,
  extra: Record<string, unknown> = {},
) {
  return `data: ${JSON.stringify({
    id: 'chatcmpl-test',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'phi-4-mini-instruct',
    choices: [{ index: 0, delta: { content }, finish_reason: finish }],
    ...extra,
  })}\n\n`;
}

export function snapshot(
  phase: string,
  reason = 'The model serves requests.',
): WorkspaceSnapshot {
  return {
    cluster: 'kaito-simulator',
    namespace: 'kaito-demo',
    name: 'phi-4-mini',
    status: 'found',
    readiness: {
      phase,
      reason,
      steps: [],
      conditions: [],
      mode: 'inference',
      runtime: 'vllm',
    } as any,
    observedAt: new Date(0).toISOString(),
  };
}

/**
 * A real HTTP server that answers kaito-backend's entity routes the way the
 * backend does (readiness SSE, models, streaming chat with its error shapes,
 * the conversation routes of the contract), scripted per test. The chat card
 * talks to it through the real KaitoChatClient and KaitoClient over fetch.
 */
export class ChatBackend {
  readonly requests: RecordedRequest[] = [];
  readonly conversations = new Map<string, Conversation>();
  readonly scripts: ChatScript[] = [];
  /** Resolves when a held answer's client went away. */
  clientLeft: Promise<void> = new Promise(() => {});
  #release?: () => void;
  #snapshot: WorkspaceSnapshot = snapshot('Ready');
  /** What `ragengine/events` sends (RAG entities). */
  ragSnapshot?: RagEngineSnapshot;
  #watchers = new Set<http.ServerResponse>();
  #server?: http.Server;
  #ids = 0;
  #saved: Array<() => void> = [];

  async start(): Promise<{ chatApi: KaitoChatClient; kaitoApi: KaitoClient }> {
    this.#server = http.createServer((req, res) => {
      let raw = '';
      req.on('data', d => (raw += d));
      req.on('end', () => this.#handle(req, res, raw));
    });
    // Longer than any pause in a test, so fetch never reuses a socket the server is closing.
    this.#server.keepAliveTimeout = 120_000;
    this.#server.listen(0, '127.0.0.1');
    await once(this.#server, 'listening');
    const { port } = this.#server.address() as AddressInfo;
    const discoveryApi = {
      getBaseUrl: async () => `http://127.0.0.1:${port}/api/kaito`,
    };
    const fetchApi = {
      fetch: (input: RequestInfo | URL, init?: RequestInit) =>
        fetch(input, init),
    };
    return {
      chatApi: new KaitoChatClient({ discoveryApi, fetchApi }),
      kaitoApi: new KaitoClient({ discoveryApi, fetchApi }),
    };
  }

  async stop() {
    for (const w of this.#watchers) w.end();
    this.#server?.closeAllConnections();
    await new Promise(r => this.#server?.close(r));
  }

  /** Sends a new readiness snapshot to every open readiness stream. */
  setSnapshot(next: WorkspaceSnapshot) {
    this.#snapshot = next;
    for (const w of this.#watchers) this.#sendSnapshot(w);
  }

  /** Lets a held answer stream its remaining tokens. */
  release() {
    this.#release?.();
  }

  /** Resolves after the next conversation write (POST or PUT). */
  nextSave(): Promise<void> {
    return new Promise(resolve => this.#saved.push(resolve));
  }

  seed(c: Partial<Conversation> & { id: string; title: string }) {
    this.conversations.set(c.id, {
      entityRef: 'resource:default/phi-4-mini',
      createdAt: '2026-01-01T10:00:00.000Z',
      updatedAt: '2026-01-01T10:00:00.000Z',
      messages: [],
      messageCount: c.messages?.length ?? 0,
      ...c,
    });
  }

  chatRequests() {
    return this.requests.filter(r => r.path.endsWith('/chat/completions'));
  }

  #sendSnapshot(res: http.ServerResponse) {
    res.write(`event: snapshot\ndata: ${JSON.stringify(this.#snapshot)}\n\n`);
  }

  #json(res: http.ServerResponse, status: number, body?: unknown) {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(body === undefined ? undefined : JSON.stringify(body));
  }

  #handle(req: http.IncomingMessage, res: http.ServerResponse, raw: string) {
    const path = (req.url ?? '').replace(
      /^\/api\/kaito\/entity\/[^/]+\/[^/]+\/[^/]+/,
      '',
    );
    const method = req.method ?? 'GET';
    this.requests.push({
      method,
      path,
      body: raw ? JSON.parse(raw) : undefined,
    });
    if (path === '/workspace/events') {
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      this.#watchers.add(res);
      res.on('close', () => this.#watchers.delete(res));
      this.#sendSnapshot(res);
      return;
    }
    if (path === '/ragengine/events' && this.ragSnapshot) {
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      this.#watchers.add(res);
      res.on('close', () => this.#watchers.delete(res));
      res.write(
        `event: snapshot\ndata: ${JSON.stringify(this.ragSnapshot)}\n\n`,
      );
      return;
    }
    if (path === '/models') {
      this.#json(res, 200, {
        object: 'list',
        data: [{ id: 'phi-4-mini-instruct', object: 'model' }],
      });
      return;
    }
    if (path === '/chat/completions') {
      this.#chat(res);
      return;
    }
    this.#conversation(method, path, raw ? JSON.parse(raw) : {}, res);
  }

  #chat(res: http.ServerResponse) {
    const script = this.scripts.shift() ?? { tokens: ['OK'] };
    if ('status' in script) {
      res.writeHead(script.status, {
        'Content-Type': 'application/json',
        ...script.headers,
      });
      res.end(
        JSON.stringify({
          error: script.error,
          response: { statusCode: script.status },
        }),
      );
      return;
    }
    if ('json' in script) {
      this.#json(res, 200, script.json);
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/event-stream' });
    let left = () => {};
    this.clientLeft = new Promise(resolve => (left = resolve));
    res.on('close', () => left());
    const hold =
      script.holdAfter !== undefined
        ? new Promise<void>(resolve => (this.#release = resolve))
        : Promise.resolve();
    (async () => {
      for (let i = 0; i < script.tokens.length; i++) {
        if (i === script.holdAfter) await hold;
        if (script.errorAfter && i === script.errorAfter.tokens) {
          const { message, code } = script.errorAfter;
          res.end(
            `data: ${JSON.stringify({
              error: { message, type: 'server_error', code },
            })}\n\n`,
          );
          return;
        }
        if (res.destroyed) return;
        res.write(chunk(script.tokens[i]));
      }
      res.write(
        chunk(
          '',
          'stop',
          script.sources ? { source_nodes: script.sources } : {},
        ),
      );
      res.end('data: [DONE]\n\n');
    })();
  }

  #conversation(
    method: string,
    path: string,
    body: ConversationInput,
    res: http.ServerResponse,
  ) {
    const match = /^\/conversations(?:\/([^/]+))?$/.exec(path);
    if (!match) {
      this.#json(res, 404, { error: { name: 'NotFoundError', message: path } });
      return;
    }
    const id = match[1] && decodeURIComponent(match[1]);
    const saved = () => this.#saved.splice(0).forEach(fn => fn());
    if (!id && method === 'GET') {
      const items = [...this.conversations.values()]
        .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))
        .map(({ messages: _m, settings: _s, ...summary }) => summary);
      this.#json(res, 200, { items });
      return;
    }
    if (!id && method === 'POST') {
      const now = new Date(
        Date.UTC(2026, 0, 2, 0, 0, ++this.#ids),
      ).toISOString();
      const c: Conversation = {
        id: `conv-${this.#ids}`,
        title: body.title ?? 'Conversation',
        entityRef: 'resource:default/phi-4-mini',
        createdAt: now,
        updatedAt: now,
        messages: body.messages ?? [],
        messageCount: body.messages?.length ?? 0,
        settings: body.settings,
      };
      this.conversations.set(c.id, c);
      this.#json(res, 201, c);
      saved();
      return;
    }
    const existing = id ? this.conversations.get(id) : undefined;
    if (!existing) {
      this.#json(res, 404, {
        error: { name: 'NotFoundError', message: `No conversation ${id}` },
        response: { statusCode: 404 },
      });
      return;
    }
    if (method === 'GET') {
      this.#json(res, 200, existing);
    } else if (method === 'PUT') {
      const next = {
        ...existing,
        ...body,
        messageCount: (body.messages ?? existing.messages).length,
        updatedAt: new Date(
          Date.UTC(2026, 0, 2, 0, 0, ++this.#ids),
        ).toISOString(),
      };
      this.conversations.set(existing.id, next);
      this.#json(res, 200, next);
      saved();
    } else if (method === 'DELETE') {
      this.conversations.delete(existing.id);
      res.writeHead(204);
      res.end();
    }
  }
}
