import * as k8s from '@kubernetes/client-node';
import { startSimulator, RunningSimulator } from '../simulator';
import {
  kube,
  readSse,
  waitFor,
  workspace,
  WS_PATH,
} from '../__testUtils__/http';
import { RAG_QUESTIONS, ragIndexBody } from '../__testUtils__/rag';
import {
  RAG_GVR,
  ragEngine,
  waitForRagCondition,
} from '../__testUtils__/ragengine';

/** The RAG service of a Ready RAGEngine, reached as the backend reaches it: the API server's service proxy. */
describe('RAG service through the service proxy', () => {
  let sim: RunningSimulator;
  const base = '/api/v1/namespaces/team/services/rag:http/proxy';
  const rag = (method: string, path: string, body?: unknown) =>
    kube(sim, method, `${base}${path}`, body);

  beforeAll(async () => {
    sim = await startSimulator({ log: () => {} });
    const kc = new k8s.KubeConfig();
    kc.loadFromString(sim.kubeconfig);
    await kube(sim, 'POST', '/api/v1/namespaces', {
      metadata: { name: 'team' },
    });
    await kube(sim, 'POST', WS_PATH('team'), workspace('phi', 'team'));
    await kc.makeApiClient(k8s.CustomObjectsApi).createNamespacedCustomObject({
      ...RAG_GVR,
      namespace: 'team',
      body: ragEngine('rag', 'team', { workspace: 'phi' }),
    });
    await waitForRagCondition(kc, 'team', 'rag', 'RAGEngineSucceeded', 'True');
    await waitFor(() => sim.inferenceUrl('team', 'phi'), 'phi inference');
  });
  afterAll(() => sim.stop());

  it('indexes, lists, deletes documents and indexes over HTTP', async () => {
    const added = await rag('POST', '/index', ragIndexBody('handbook'));
    expect(added.status).toBe(200);
    expect(added.json).toHaveLength(3);
    expect((await rag('GET', '/indexes')).json).toEqual(['handbook']);
    const page = await rag(
      'GET',
      '/indexes/handbook/documents?limit=2&offset=1',
    );
    expect(page.json).toMatchObject({ count: 2, total_items: 3 });
    expect(
      (await rag('GET', '/indexes/handbook/documents?limit=500')).status,
    ).toBe(422);
    const extra = await rag('POST', '/index', {
      index_name: 'scratch',
      documents: [{ text: 'temporary note' }],
    });
    const del = await rag('POST', '/indexes/scratch/documents/delete', {
      doc_ids: [extra.json[0].doc_id],
    });
    expect(del.json).toEqual({
      deleted_doc_ids: [extra.json[0].doc_id],
      not_found_doc_ids: [],
    });
    expect((await rag('DELETE', '/indexes/scratch')).json).toEqual({
      message: 'Successfully deleted index scratch.',
    });
    expect((await rag('GET', '/indexes/scratch/documents')).json).toEqual({
      detail: "No such index: 'scratch' exists.",
    });
  });

  it('retrieves the answering document first for each question', async () => {
    for (const { q, title } of RAG_QUESTIONS) {
      const r = await rag('POST', '/retrieve', {
        index_name: 'handbook',
        query: q,
      });
      expect(r.json.results[0].metadata.title).toBe(title);
    }
  });

  it('answers a RAG chat with sources, refuses stream with an index, and streams a passthrough', async () => {
    const answer = await rag('POST', '/v1/chat/completions', {
      index_name: 'handbook',
      messages: [{ role: 'user', content: RAG_QUESTIONS[2].q }],
    });
    expect(answer.status).toBe(200);
    expect(answer.json.choices[0].message.content).toContain('oncall-rota.md');
    expect(answer.json.choices[0].message.content).toMatch(/simulated/i);
    expect(answer.json.source_nodes[0].metadata.title).toBe('oncall-rota.md');

    const refused = await rag('POST', '/v1/chat/completions', {
      index_name: 'handbook',
      stream: true,
      messages: [{ role: 'user', content: 'pager' }],
    });
    expect([refused.status, refused.json]).toEqual([
      400,
      {
        detail:
          'stream=true is only supported for passthrough chat completions.',
      },
    ]);

    const res = await fetch(`${sim.url}${base}/v1/chat/completions`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${sim.token}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        stream: true,
        messages: [{ role: 'user', content: 'hello' }],
      }),
    });
    expect(res.status).toBe(200);
    const frames = await readSse(res);
    expect(frames[frames.length - 1]).toBe('[DONE]');
    expect(frames.length).toBeGreaterThan(3);
  });

  it('fails the RAG chat like the engine when its workspace is gone', async () => {
    await kube(sim, 'DELETE', `${WS_PATH('team')}/phi`);
    await waitFor(
      async () =>
        (
          await kube(sim, 'GET', '/api/v1/namespaces/team/services/phi')
        ).status === 404,
      'phi service gone',
    );
    const r = await rag('POST', '/v1/chat/completions', {
      index_name: 'handbook',
      messages: [{ role: 'user', content: RAG_QUESTIONS[0].q }],
    });
    expect([r.status, r.json]).toEqual([
      500,
      {
        detail: 'Chat completion failed: [Errno -2] Name or service not known',
      },
    ]);
  });
});
