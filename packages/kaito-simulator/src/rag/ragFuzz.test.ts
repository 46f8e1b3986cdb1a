import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { call, ragIndexBody } from '../__testUtils__/rag';
import { RagBackend } from './server';

/**
 * Fuzzing the RAG service: odd values in every field of every route. Each
 * answer must be one the engine gives (200, 400, 404, 405, 422, 503) with a
 * FastAPI `detail`, never a crash; the LLM is unreachable here, so chats
 * that get that far fail with the engine's 500 "Chat completion failed" or
 * passthrough error (and a JSON list as metadata_filter with Python's
 * AttributeError, as the engine's `except Exception` turns it into a 500).
 */

function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ODD: unknown[] = [
  null,
  0,
  -1,
  2,
  1.5,
  301,
  '',
  ' ',
  'docs',
  'x'.repeat(3000),
  true,
  [],
  [null],
  [{}],
  [{ text: 'refund' }],
  [{ role: 'user', content: 'refund days' }],
  [{ role: 'user', content: [{ type: 'text', text: 'refund' }] }],
  [{ role: 'assistant' }],
  [{ role: 'tool', content: 'x' }],
  {},
  { title: 'refund-policy.md' },
  { a: [1] },
];
const FIELDS = [
  'index_name',
  'documents',
  'doc_ids',
  'query',
  'max_node_count',
  'metadata_filter',
  'messages',
  'stream',
  'n',
  'tools',
  'context_token_ratio',
  'model',
  'max_tokens',
];
const ROUTES: Array<[string, string]> = [
  ['POST', '/index'],
  ['POST', '/retrieve'],
  ['POST', '/v1/chat/completions'],
  ['POST', '/indexes/docs/documents'],
  ['POST', '/indexes/docs/documents/delete'],
  ['GET', '/indexes/docs/documents?limit=abc&offset=-1&max_text_length=0'],
  ['GET', '/indexes/docs/documents?metadata_filter=%5B1%5D'],
  ['DELETE', '/indexes/nope'],
  ['PATCH', '/index'],
];

describe('RAG service fuzz', () => {
  let server: http.Server;
  let url: string;
  beforeAll(async () => {
    const backend = new RagBackend({
      namespace: 'default',
      name: 'fuzz',
      inferenceUrl: 'http://phi/v1/chat/completions',
      resolveWorkspace: async () => ({ error: 'refused' }),
    });
    backend.setPhase('ready');
    server = http.createServer((req, res) => backend.handle(req, res));
    await new Promise<void>(r => server.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>(r => server.close(() => r())));

  it('answers 400 odd requests the way the engine does, never crashing', async () => {
    expect(
      (await call(url, 'POST', '/index', ragIndexBody('docs'))).status,
    ).toBe(200);
    const rand = prng(14);
    const seen = new Map<number, number>();
    const wrong: string[] = [];
    for (let i = 0; i < 400; i++) {
      const [method, path] = ROUTES[Math.floor(rand() * ROUTES.length)];
      const body: Record<string, unknown> = {
        index_name: 'docs',
        messages: [{ role: 'user', content: 'refund' }],
      };
      for (let k = 0; k < 3; k++)
        body[FIELDS[Math.floor(rand() * FIELDS.length)]] =
          ODD[Math.floor(rand() * ODD.length)];
      const raw = rand() < 0.1 ? '{not json' : body;
      const r = await call(
        url,
        method,
        path,
        method === 'GET' || method === 'DELETE' ? undefined : raw,
      );
      seen.set(r.status, (seen.get(r.status) ?? 0) + 1);
      const context = `${method} ${path} ${JSON.stringify(raw).slice(
        0,
        300,
      )} -> ${r.status} ${r.text.slice(0, 300)}`;
      const known = [200, 400, 404, 405, 422, 500].includes(r.status);
      const detailed = r.status === 200 || r.json?.detail !== undefined;
      const engine500 =
        r.status !== 500 ||
        /^((Chat completion failed|Error during (streaming )?POST request): All connection attempts failed|'list' object has no attribute 'items')$/.test(
          r.json?.detail,
        );
      if (!known || !detailed || !engine500) wrong.push(context);
    }
    expect(wrong).toEqual([]);
    // The odd values reach past validation into the handlers too.
    expect([...seen.keys()].sort()).toEqual(
      expect.arrayContaining([200, 400, 404, 422]),
    );
  });
});
