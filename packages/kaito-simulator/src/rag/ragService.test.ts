import { call, RAG_QUESTIONS } from '../__testUtils__/rag';
import { RagHarness, startRagHarness } from '../__testUtils__/ragHarness';

/** The RAG service's index and retrieval routes on its own port, with the engine's answers. */
describe('simulated RAG service: indexes and retrieval', () => {
  let h: RagHarness;
  let rag: RagHarness['rag'];
  beforeAll(async () => {
    h = await startRagHarness();
    rag = h.rag;
  });
  afterAll(() => h?.stop());

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

  it('persists an index and loads it back, with the engine answers', async () => {
    expect((await call(rag.url, 'POST', '/persist/nope')).json).toEqual({
      detail: "No such index: 'nope' exists.",
    });
    const saved = await call(rag.url, 'POST', '/persist/docs');
    expect(saved.json).toEqual({
      message: 'Successfully persisted index docs to storage/docs.',
    });
    const clash = await call(rag.url, 'POST', '/load/docs');
    expect([clash.status, clash.json.detail]).toEqual([
      500,
      "Loading failed: 409: Index 'docs' already exists. Use a different name or delete the existing index first.",
    ]);
    expect((await call(rag.url, 'POST', '/load/copy')).json).toEqual({
      detail: 'Path does not exist: storage/copy',
    });
    const loaded = await call(rag.url, 'POST', '/load/copy?path=storage/docs');
    expect(loaded.json).toEqual({
      message: 'Successfully loaded index copy from storage/docs.',
    });
    const r = await call(rag.url, 'POST', '/retrieve', {
      index_name: 'copy',
      query: RAG_QUESTIONS[0].q,
    });
    expect(r.json.results[0].metadata.title).toBe(RAG_QUESTIONS[0].title);
    expect(
      (await call(rag.url, 'POST', '/load/docs?overwrite=true')).status,
    ).toBe(200);
    expect((await call(rag.url, 'GET', '/metrics')).text).toMatch(
      /^rag_load_requests_total\{status="success"\} 2\.0$/m,
    );
  });
});
