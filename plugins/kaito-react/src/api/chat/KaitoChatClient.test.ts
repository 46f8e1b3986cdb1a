/**
 * @jest-environment node
 */
import { ResponseError } from '@backstage/errors';
import { once } from 'node:events';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { KaitoChatClient } from './KaitoChatClient';
import {
  describeChatError,
  KaitoChatStreamError,
  parseRetryAfter,
} from './chatErrors';

const entity = { kind: 'Resource', namespace: 'default', name: 'phi-4-mini' };
const base = '/api/kaito/entity/Resource/default/phi-4-mini';

function chunk(content: string, finish: string | null = null) {
  return `data: ${JSON.stringify({
    id: 'c1',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'phi-4-mini-instruct',
    choices: [{ index: 0, delta: { content }, finish_reason: finish }],
  })}\n\n`;
}

/** A real HTTP server speaking kaito-backend's chat routes; each test sets the handler. */
let handler: http.RequestListener;
let server: http.Server;
let client: KaitoChatClient;
const requests: Array<{ method?: string; url?: string; body: string }> = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', d => (body += d));
    req.on('end', () => {
      requests.push({ method: req.method, url: req.url, body });
      handler(req, res);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  client = new KaitoChatClient({
    discoveryApi: {
      getBaseUrl: async () => `http://127.0.0.1:${port}/api/kaito`,
    },
    fetchApi: { fetch: (input, init) => fetch(input, init) },
  });
});

afterAll(async () => {
  server.closeAllConnections();
  server.close();
});

beforeEach(() => {
  requests.length = 0;
});

function sse(res: http.ServerResponse) {
  res.writeHead(200, {
    'Content-Type': 'text/event-stream',
    'Cache-Control': 'no-cache',
  });
}

async function collect(iter: AsyncIterable<{ choices: any[] }>) {
  let text = '';
  for await (const c of iter) text += c.choices[0]?.delta?.content ?? '';
  return text;
}

describe('KaitoChatClient', () => {
  it('streams chunks as they arrive, split across writes, until [DONE]', async () => {
    let release!: () => void;
    const gate = new Promise<void>(r => (release = r));
    handler = async (_req, res) => {
      sse(res);
      const first = chunk('Hello');
      // One event split mid-line, then the rest once the client saw the first token.
      res.write(first.slice(0, 20));
      res.write(first.slice(20));
      await gate;
      res.write(`${chunk(' **world**')}${chunk('', 'stop')}`);
      res.end('data: [DONE]\n\n');
    };
    const iter = client.streamChatCompletion(entity, {
      messages: [{ role: 'user', content: 'hi' }],
      temperature: 0.2,
    });
    const seen: string[] = [];
    for await (const c of iter) {
      seen.push(c.choices[0].delta.content as string);
      if (seen.length === 1) release();
    }
    expect(seen).toEqual(['Hello', ' **world**', '']);
    expect(requests[0].method).toBe('POST');
    expect(requests[0].url).toBe(`${base}/chat/completions`);
    expect(JSON.parse(requests[0].body)).toEqual({
      messages: [{ role: 'user', content: 'hi' }],
      temperature: 0.2,
      stream: true,
    });
  });

  it('throws the final SSE error event the backend sends mid-answer', async () => {
    handler = (_req, res) => {
      sse(res);
      res.write(chunk('Partial'));
      res.end(
        `data: ${JSON.stringify({
          error: {
            message: 'The model server closed the stream',
            type: 'server_error',
            code: 'upstream_error',
          },
        })}\n\n`,
      );
    };
    const seen: string[] = [];
    const error = await (async () => {
      for await (const c of client.streamChatCompletion(entity, {
        messages: [{ role: 'user', content: 'hi' }],
      })) {
        seen.push(c.choices[0].delta.content as string);
      }
    })().catch(e => e);
    expect(seen).toEqual(['Partial']);
    expect(error).toBeInstanceOf(KaitoChatStreamError);
    expect(describeChatError(error)).toEqual({
      kind: 'stream',
      message: 'The model server closed the stream',
      code: 'upstream_error',
    });
  });

  it('treats a body that ends without [DONE] as an incomplete answer', async () => {
    handler = (_req, res) => {
      sse(res);
      res.end(chunk('cut'));
    };
    await expect(
      collect(
        client.streamChatCompletion(entity, {
          messages: [{ role: 'user', content: 'hi' }],
        }),
      ),
    ).rejects.toMatchObject({ code: 'incomplete' });
  });

  it('aborts the request on stop, and the server sees the connection close', async () => {
    const closed = new Promise<void>(resolve => {
      handler = (_req, res) => {
        sse(res);
        res.write(chunk('first'));
        res.on('close', () => resolve());
        // never ends by itself
      };
    });
    const controller = new AbortController();
    const seen: string[] = [];
    const error = await (async () => {
      for await (const c of client.streamChatCompletion(
        entity,
        { messages: [{ role: 'user', content: 'long' }] },
        { signal: controller.signal },
      )) {
        seen.push(c.choices[0].delta.content as string);
        controller.abort();
      }
    })().catch(e => e);
    expect(seen).toEqual(['first']);
    expect(error.name).toBe('AbortError');
    expect(describeChatError(error).kind).toBe('aborted');
    await closed;
  });

  it('turns a 429 into a ResponseError with the Retry-After seconds', async () => {
    handler = (_req, res) => {
      res.writeHead(429, {
        'Content-Type': 'application/json',
        'Retry-After': '7',
      });
      res.end(
        JSON.stringify({
          error: {
            name: 'TooManyRequestsError',
            message: 'The model server is busy',
            type: 'rate_limit_error',
            code: 'rate_limited',
          },
          response: { statusCode: 429 },
        }),
      );
    };
    const error = await collect(
      client.streamChatCompletion(entity, {
        messages: [{ role: 'user', content: 'hi' }],
      }),
    ).catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(describeChatError(error)).toEqual({
      kind: 'rateLimited',
      message: 'The model server is busy',
      status: 429,
      code: 'rate_limited',
      retryAfterSeconds: 7,
    });
  });

  it('turns a 409 not-ready into the readiness phase and reason', async () => {
    handler = (_req, res) => {
      res.writeHead(409, { 'Content-Type': 'application/json' });
      res.end(
        JSON.stringify({
          error: {
            name: 'ConflictError',
            message:
              'Workspace kaito-demo/phi-4-mini is not ready (Provisioning): Waiting for the GPU node',
            type: 'not_ready_error',
            code: 'workspace_not_ready',
            phase: 'Provisioning',
            reason: 'Waiting for the GPU node',
          },
          response: { statusCode: 409 },
        }),
      );
    };
    const error = await collect(
      client.streamChatCompletion(entity, {
        messages: [{ role: 'user', content: 'hi' }],
      }),
    ).catch(e => e);
    expect(describeChatError(error)).toMatchObject({
      kind: 'notReady',
      status: 409,
      phase: 'Provisioning',
      reason: 'Waiting for the GPU node',
    });
  });

  it('lists the models the endpoint serves', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(
        JSON.stringify({
          object: 'list',
          data: [{ id: 'phi-4-mini-instruct', object: 'model' }],
        }),
      );
    };
    await expect(client.listModels(entity)).resolves.toEqual([
      { id: 'phi-4-mini-instruct', object: 'model' },
    ]);
    expect(requests.map(r => r.url)).toEqual([`${base}/models`]);
  });

  it('speaks the conversation routes of the contract', async () => {
    const convo = {
      id: 'c 1',
      title: 'Hello',
      entityRef: 'resource:default/phi-4-mini',
      createdAt: '2026-01-01T00:00:00Z',
      updatedAt: '2026-01-01T00:00:00Z',
      messageCount: 1,
      messages: [{ role: 'user', content: 'Hello' }],
    };
    handler = (req, res) => {
      if (req.method === 'DELETE') {
        res.writeHead(204);
        res.end();
        return;
      }
      if (req.url?.endsWith('/nope')) {
        res.writeHead(404, { 'Content-Type': 'application/json' });
        res.end(
          JSON.stringify({
            error: { name: 'NotFoundError', message: 'No conversation nope' },
            response: { statusCode: 404 },
          }),
        );
        return;
      }
      res.writeHead(req.method === 'POST' ? 201 : 200, {
        'Content-Type': 'application/json',
      });
      res.end(
        JSON.stringify(
          req.method === 'GET' && req.url?.endsWith('conversations')
            ? { items: [convo] }
            : convo,
        ),
      );
    };
    await expect(client.listConversations(entity)).resolves.toEqual([convo]);
    await client.createConversation(entity, { title: 'Hello' });
    await client.getConversation(entity, 'c 1');
    await client.updateConversation(entity, 'c 1', { title: 'Renamed' });
    await client.deleteConversation(entity, 'c 1');
    await expect(client.getConversation(entity, 'nope')).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 404,
    });
    expect(requests.map(r => `${r.method} ${r.url} ${r.body}`)).toEqual([
      `GET ${base}/conversations `,
      `POST ${base}/conversations {"title":"Hello"}`,
      `GET ${base}/conversations/c%201 `,
      `PUT ${base}/conversations/c%201 {"title":"Renamed"}`,
      `DELETE ${base}/conversations/c%201 `,
      `GET ${base}/conversations/nope `,
    ]);
  });
});

describe('parseRetryAfter', () => {
  it('reads delta-seconds and HTTP dates, and ignores junk', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('7', now)).toBe(7);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30);
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});
