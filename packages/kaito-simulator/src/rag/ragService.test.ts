import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSimulator, RunningSimulator } from '../simulator';
import { kube, waitFor, workspace, WS_PATH } from '../__testUtils__/http';
import { call, RAG_QUESTIONS, ragIndexBody } from '../__testUtils__/rag';
import { RagBackend, RagBackendOptions } from './server';
import { WorkspaceResolver } from './llm';

/**
 * The RAG service on its own port (what a port-forward to the engine's pod
 * gives), calling a real simulated workspace's inference server.
 */

async function serve(backend: RagBackend) {
  const server = http.createServer((req, res) => backend.handle(req, res));
  await new Promise<void>(r => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, close: () => new Promise<void>(r => server.close(() => r())) };
}

describe('simulated RAG service', () => {
  let sim: RunningSimulator;
  let rag: { url: string; close(): Promise<void> };
  let retrieveOnly: { url: string; close(): Promise<void> };
  const resolver: WorkspaceResolver = async (ns, ws) => {
    const url = sim.inferenceUrl(ns, ws);
    return url ? { url } : { error: ws === 'phi' ? 'refused' : 'unknownHost' };
  };
  const make = (o: Partial<RagBackendOptions>) => {
    const b = new RagBackend({
      namespace: 'default',
      name: 'rag',
      resolveWorkspace: resolver,
      ...o,
    });
    b.setPhase('ready');
    return serve(b);
  };

  beforeAll(async () => {
    sim = await startSimulator({ log: () => {} });
    const created = await kube(
      sim,
      'POST',
      WS_PATH('default'),
      workspace('phi', 'default'),
    );
    if (created.status !== 201) throw new Error(created.text);
    await waitFor(() => sim.inferenceUrl('default', 'phi'), 'phi inference');
    rag = await make({
      inferenceUrl: 'http://phi.default.svc.cluster.local/v1/chat/completions',
      contextWindow: 4096,
    });
    retrieveOnly = await make({});
    const indexed = await call(rag.url, 'POST', '/index', ragIndexBody('docs'));
    if (indexed.status !== 200) throw new Error(indexed.text);
  });
  afterAll(async () => {
    await rag?.close();
    await retrieveOnly?.close();
    await sim?.stop();
  });

  it('answers /health and /metrics like the engine', async () => {
    expect((await call(rag.url, 'GET', '/health')).json).toEqual({
      status: 'Healthy',
      detail: null,
    });
    const m = await call(rag.url, 'GET', '/metrics');
    expect(m.text).toMatch(
      /^rag_index_requests_total\{status="success"\} 1\.0$/m,
    );
    expect((await call(rag.url, 'GET', '/nope')).json).toEqual({
      detail: 'Not Found',
    });
    expect((await call(rag.url, 'PUT', '/indexes')).status).toBe(405);
  });

  it('indexes, lists, updates and deletes documents with the real answers', async () => {
    const added = await call(rag.url, 'POST', '/index', {
      index_name: 'crud',
      documents: [
        { text: 'alpha beta', metadata: { title: 'a' } },
        { text: 'gamma' },
      ],
    });
    expect(added.status).toBe(200);
    expect(added.json).toEqual([
      {
        doc_id: expect.stringMatching(/^[0-9a-f]{64}$/),
        text: 'alpha beta',
        metadata: { title: 'a' },
        hash_value: null,
        is_truncated: false,
      },
      {
        doc_id: expect.any(String),
        text: 'gamma',
        metadata: {},
        hash_value: null,
        is_truncated: false,
      },
    ]);
    // The same text again is skipped, with the same id.
    const again = await call(rag.url, 'POST', '/index', {
      index_name: 'crud',
      documents: [{ text: 'gamma' }],
    });
    expect(again.json[0].doc_id).toBe(added.json[1].doc_id);
    expect((await call(rag.url, 'GET', '/indexes')).json).toEqual([
      'docs',
      'crud',
    ]);

    const page = await call(
      rag.url,
      'GET',
      '/indexes/crud/documents?limit=1&offset=0&max_text_length=5',
    );
    expect(page.json).toEqual({
      documents: [
        {
          doc_id: added.json[0].doc_id,
          text: 'alpha',
          hash_value: expect.any(String),
          metadata: { title: 'a' },
          is_truncated: true,
        },
      ],
      count: 1,
      total_items: 2,
    });
    const filtered = await call(
      rag.url,
      'GET',
      `/indexes/crud/documents?metadata_filter=${encodeURIComponent(
        '{"title":"a"}',
      )}`,
    );
    expect(filtered.json).toMatchObject({ count: 1, total_items: 1 });
    expect(
      (
        await call(
          rag.url,
          'GET',
          '/indexes/crud/documents?metadata_filter={bad',
        )
      ).json,
    ).toEqual({
      detail: 'Invalid metadata filter format. Must be a valid JSON string.',
    });
    const bad = await call(
      rag.url,
      'GET',
      '/indexes/crud/documents?limit=0&offset=x',
    );
    expect(bad.status).toBe(422);
    expect(bad.json.detail.map((d: { loc: string[] }) => d.loc)).toEqual([
      ['query', 'limit'],
      ['query', 'offset'],
    ]);
    expect(
      (await call(rag.url, 'GET', '/indexes/crud/documents?limit=101')).json
        .detail[0].msg,
    ).toBe('Input should be less than or equal to 100');
    expect(
      (await call(rag.url, 'GET', '/indexes/none/documents')).json,
    ).toEqual({ detail: "No such index: 'none' exists." });

    const upd = await call(rag.url, 'POST', '/indexes/crud/documents', {
      documents: [
        {
          doc_id: added.json[0].doc_id,
          text: 'alpha beta delta',
          metadata: { title: 'a' },
        },
        { doc_id: added.json[1].doc_id, text: 'gamma', metadata: {} },
        { doc_id: 'missing', text: 'x' },
      ],
    });
    expect(
      upd.json.updated_documents.map((d: { text: string }) => d.text),
    ).toEqual(['alpha beta delta']);
    expect(upd.json.unchanged_documents).toHaveLength(1);
    expect(
      upd.json.not_found_documents.map((d: { doc_id: string }) => d.doc_id),
    ).toEqual(['missing']);

    const del = await call(rag.url, 'POST', '/indexes/crud/documents/delete', {
      doc_ids: [added.json[1].doc_id, 'nope'],
    });
    expect(del.json).toEqual({
      deleted_doc_ids: [added.json[1].doc_id],
      not_found_doc_ids: ['nope'],
    });
    expect(
      (await call(rag.url, 'POST', '/index', { documents: [] })).json.detail[0],
    ).toMatchObject({
      type: 'missing',
      loc: ['body', 'index_name'],
    });
    expect((await call(rag.url, 'DELETE', '/indexes/crud')).json).toEqual({
      message: 'Successfully deleted index crud.',
    });
    expect((await call(rag.url, 'DELETE', '/indexes/crud')).status).toBe(404);
  });

  it('retrieves the document that answers each question first, scores in 0..1', async () => {
    for (const { q, title } of RAG_QUESTIONS) {
      const r = await call(rag.url, 'POST', '/retrieve', {
        index_name: 'docs',
        query: q,
        max_node_count: 3,
      });
      expect(r.status).toBe(200);
      expect(r.json.query).toBe(q);
      expect(r.json.results[0].metadata.title).toBe(title);
      expect(r.json.count).toBe(r.json.results.length);
      for (const n of r.json.results) {
        expect(n.score).toBeGreaterThan(0);
        expect(n.score).toBeLessThanOrEqual(1);
        expect(n.node_id).toMatch(/^[0-9a-f-]{36}$/);
      }
    }
    expect(
      (
        await call(rag.url, 'POST', '/retrieve', {
          index_name: 'docs',
          query: ' ',
        })
      ).json,
    ).toEqual({
      detail: 'Query string cannot be empty.',
    });
    expect(
      (
        await call(rag.url, 'POST', '/retrieve', {
          index_name: 'docs',
          query: 'x',
          max_node_count: 301,
        })
      ).status,
    ).toBe(422);
    expect(
      (
        await call(rag.url, 'POST', '/retrieve', {
          index_name: 'zz',
          query: 'x',
        })
      ).status,
    ).toBe(404);
  });

  it('chats with sources through the workspace, citing the best passage and saying it is simulated', async () => {
    const r = await call(rag.url, 'POST', '/v1/chat/completions', {
      index_name: 'docs',
      model: 'phi-4-mini-instruct',
      messages: [{ role: 'user', content: RAG_QUESTIONS[0].q }],
    });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({
      object: 'chat.completion',
      model: 'phi-4-mini-instruct',
      choices: [{ index: 0, finish_reason: 'stop' }],
    });
    const content: string = r.json.choices[0].message.content;
    expect(content).toContain('refund-policy.md');
    expect(content).toContain('within 30 days of delivery');
    expect(content).toMatch(/simulat/i);
    expect(r.json.source_nodes[0]).toMatchObject({
      metadata: { title: 'refund-policy.md' },
    });
    expect(r.json.usage.total_tokens).toBe(
      r.json.usage.prompt_tokens + r.json.usage.completion_tokens,
    );
  });

  it('falls back to a passthrough answer when nothing is relevant', async () => {
    const r = await call(rag.url, 'POST', '/v1/chat/completions', {
      index_name: 'docs',
      messages: [{ role: 'user', content: 'zebra xylophone' }],
    });
    expect(r.status).toBe(200);
    expect(r.json.source_nodes).toBeNull();
  });

  it('refuses what the engine refuses', async () => {
    const ask = (body: Record<string, unknown>, base = rag.url) =>
      call(base, 'POST', '/v1/chat/completions', {
        messages: [{ role: 'user', content: 'refund' }],
        ...body,
      });
    const cases: Array<[Record<string, unknown>, number, string]> = [
      [
        { index_name: 'docs', stream: true },
        400,
        'stream=true is only supported for passthrough chat completions.',
      ],
      [{ index_name: 'nope' }, 404, "No such index: 'nope' exists."],
      [
        { index_name: 'docs', context_token_ratio: 0.9 },
        400,
        'Invalid context_token_ratio: 0.9. Must be between 0.2 and 0.8.',
      ],
      [
        { tools: [{ type: 'function' }] },
        400,
        'tools and functions are not supported.',
      ],
      [{ n: 2 }, 400, 'n > 1 is not supported.'],
      [
        {
          index_name: 'docs',
          messages: [
            { role: 'user', content: 'q' },
            { role: 'assistant', content: 'a' },
          ],
        },
        400,
        'There must be a user prompt since the latest assistant message.',
      ],
      [
        {
          index_name: 'docs',
          messages: [{ role: 'user', content: 'refund '.repeat(5000) }],
        },
        400,
        'Prompt length exceeds context window.',
      ],
    ];
    cases.push([
      { index_name: 'docs', messages: undefined },
      400,
      'There must be a user prompt since the latest assistant message.',
    ]);
    for (const [body, status, detail] of cases) {
      const r = await ask(body);
      expect([r.status, r.json]).toEqual([status, { detail }]);
    }
    const none = await ask({ index_name: 'docs' }, retrieveOnly.url);
    expect(none.status).toBe(503);
    expect(none.json.detail).toMatch(/^InferenceService not configured\./);
  });

  it('passes a chat without index_name through to the LLM, streamed or not', async () => {
    const plain = await call(rag.url, 'POST', '/v1/chat/completions', {
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(plain.status).toBe(200);
    expect(plain.json.choices[0].message.content).toMatch(/simulated response/);
    expect(plain.json.source_nodes).toBeNull();
    // The model's own 400 comes back with its status, the body as Python prints bytes.
    const noMessages = await call(rag.url, 'POST', '/v1/chat/completions', {});
    expect(noMessages.status).toBe(400);
    expect(noMessages.json.detail).toMatch(/^b'\{"error":/);
    const streamed = await call(rag.url, 'POST', '/v1/chat/completions', {
      stream: true,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(streamed.status).toBe(200);
    expect(streamed.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(streamed.text).toMatch(/^data: \{/);
    expect(streamed.text.trimEnd().endsWith('data: [DONE]')).toBe(true);
  });

  it('fails like the engine when the inference workspace is missing or not serving', async () => {
    const missing = await make({
      inferenceUrl: 'http://ghost/v1/chat/completions',
    });
    try {
      const rag2 = await call(
        missing.url,
        'POST',
        '/index',
        ragIndexBody('docs'),
      );
      expect(rag2.status).toBe(200);
      const r = await call(missing.url, 'POST', '/v1/chat/completions', {
        index_name: 'docs',
        messages: [{ role: 'user', content: RAG_QUESTIONS[0].q }],
      });
      expect([r.status, r.json]).toEqual([
        500,
        {
          detail:
            'Chat completion failed: [Errno -2] Name or service not known',
        },
      ]);
      const p = await call(missing.url, 'POST', '/v1/chat/completions', {
        messages: [{ role: 'user', content: 'hi' }],
      });
      expect([p.status, p.json]).toEqual([
        500,
        {
          detail:
            'Error during POST request: [Errno -2] Name or service not known',
        },
      ]);
    } finally {
      await missing.close();
    }
  });
});
