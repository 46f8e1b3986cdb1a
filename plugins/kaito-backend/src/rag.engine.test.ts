import { mockCredentials } from '@backstage/backend-test-utils';
import {
  RunningSimulator,
  startSimulator,
} from '@kaito-backstage/kaito-simulator';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import {
  entityPath,
  KaitoTestBackend,
  startKaitoTestBackend,
  waitForPhase,
} from './__testUtils__/backend';
import { workspaceEntity, workspaceManifest } from './__testUtils__/entities';
import {
  minimalPdf,
  ragEntity,
  upload,
  viewerCannotManageRag,
} from './__testUtils__/rag';
import { clusterConfig, waitFor } from './__testUtils__/simulator';
import { StreamClient } from './__testUtils__/sseClient';

function ragEngine(name: string, opts: { fault?: string } = {}) {
  return {
    apiVersion: 'kaito.sh/v1beta1',
    kind: 'RAGEngine',
    metadata: {
      name,
      namespace: 'default',
      ...(opts.fault
        ? { annotations: { 'kaito.simulator/fault': opts.fault } }
        : {}),
    },
    spec: {
      compute: { labelSelector: { matchLabels: { apps: name } } },
      embedding: { local: { modelID: 'BAAI/bge-small-en-v1.5' } },
      inferenceService: {
        url: 'http://phi/v1/chat/completions',
        contextWindowSize: 4096,
      },
    },
  };
}

const VIEWER = 'user:default/viewer';

/**
 * RAG entities end to end: the real catalog and permission backends, the
 * kaito plugin, and the simulator's RAGEngine controller and RAG service
 * (behind the API server's service proxy), calling the simulated Workspace.
 */
describe('RAG entities against the simulated RAGEngine', () => {
  jest.setTimeout(90_000);
  let sim: RunningSimulator;
  let kb: KaitoTestBackend;
  const docs = `${entityPath('docs')}/rag/documents`;
  const chat = `${entityPath('docs')}/chat/completions`;

  beforeAll(async () => {
    sim = await startSimulator({
      log: () => {},
      // Paced, so a detailed RAG answer takes longer than the idle limit below.
      inference: { tokensPerSecond: 200 },
      seed: [
        workspaceManifest('phi'),
        ragEngine('docs'),
        ragEngine('broken', { fault: 'crashLoop' }),
      ],
    });
    kb = await startKaitoTestBackend({
      config: clusterConfig([{ name: 'sim', url: sim.url, token: sim.token }], {
        rag: { pollIntervalMs: 200 },
        // A RAG answer comes whole: only the total limit bounds it, even streamed.
        limits: { idleTimeoutMs: 100 },
      }),
      entities: [
        workspaceEntity('phi'),
        ragEntity('docs'),
        ragEntity('team', 'default/docs', { 'kaito.sh/rag-index': 'team' }),
        ragEntity('broken'),
      ],
      policy: viewerCannotManageRag,
    });
    await waitForPhase(kb, 'phi');
    await waitFor(
      async () =>
        (
          await kb.get(`${entityPath('docs')}/ragengine`)
        ).body.readiness?.phase === 'Ready',
      'RAGEngine docs Ready',
      60_000,
    );
  }, 90_000);

  afterAll(async () => {
    await kb?.stop();
    await sim?.stop();
  });

  it('tells the RAGEngine snapshot with the entity index', async () => {
    const res = await kb.get(`${entityPath('team')}/ragengine`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      entityRef: 'component:default/team',
      status: 'found',
      readiness: { phase: 'Ready', canChat: true },
      ragengine: {
        index: 'team',
        vectorDB: 'faiss',
        embedding: { kind: 'local', modelID: 'BAAI/bge-small-en-v1.5' },
        inferenceUrl: 'http://phi/v1/chat/completions',
      },
    });
  });

  it('streams RAGEngine snapshots', async () => {
    const { port } = kb.server.address() as AddressInfo;
    const stream = new StreamClient(
      `http://127.0.0.1:${port}${entityPath('docs')}/ragengine/events`,
      { headers: { authorization: mockCredentials.user.header() } },
    );
    try {
      await stream.until(
        c => c.events.some(e => e.event === 'snapshot'),
        'a snapshot',
        20_000,
      );
      const first = JSON.parse(
        stream.events.find(e => e.event === 'snapshot')!.data,
      );
      expect(first).toMatchObject({
        entityRef: 'component:default/docs',
        readiness: { phase: 'Ready' },
        ragengine: { index: 'docs' },
      });
    } finally {
      stream.abort();
    }
  });

  it('accepts the user cookie on ragengine/events only', async () => {
    const cookie = mockCredentials.limitedUser.cookie('user:default/mock');
    const { port } = kb.server.address() as AddressInfo;
    const stream = new StreamClient(
      `http://127.0.0.1:${port}${entityPath('docs')}/ragengine/events`,
      { headers: { cookie } },
    );
    try {
      await stream.until(
        c => c.events.some(e => e.event === 'snapshot'),
        'a snapshot over the cookie',
        20_000,
      );
    } finally {
      stream.abort();
    }
    const other = await request(kb.server)
      .get(`${entityPath('docs')}/ragengine`)
      .set('Cookie', cookie);
    expect(other.status).toBe(401);
  });

  it('indexes text, markdown and PDF files with their metadata', async () => {
    const text = await kb.post(docs, {
      documents: [
        {
          text: 'The staging cluster is called heron and runs in westeurope.',
          title: 'Clusters',
        },
      ],
    });
    expect(text.status).toBe(201);
    const files = await upload(kb, docs, [
      {
        name: 'runbook.md',
        type: 'text/markdown',
        data: '# Runbook\n\nRestart the payments gateway with `kubectl rollout restart deploy/gateway`.',
      },
      {
        name: 'policy.pdf',
        type: 'application/pdf',
        data: minimalPdf(['The zebrafish password rotates every ninety days.']),
      },
      // A browser that declares no type: read by extension.
      {
        name: 'notes.txt',
        type: 'application/octet-stream',
        data: 'Lunch is served at noon on Fridays.',
      },
    ]);
    expect(files.status).toBe(201);
    expect(files.body.index).toBe('docs');
    expect(files.body.added.map((a: any) => a.title)).toEqual([
      'runbook.md',
      'policy.pdf',
      'notes.txt',
    ]);
    const listed = await kb.get(`${docs}?limit=20`);
    expect(listed.status).toBe(200);
    expect(listed.body).toMatchObject({ index: 'docs', total: 4, limit: 20 });
    const pdf = listed.body.documents.find(
      (d: any) => d.metadata?.title === 'policy.pdf',
    );
    expect(pdf.text).toContain('zebrafish password rotates');
    expect(pdf.metadata).toMatchObject({
      origin: 'upload',
      content_type: 'application/pdf',
      added_by: 'user:default/mock',
    });
    expect(Date.parse(pdf.metadata.added_at)).not.toBeNaN();
    const audited = kb.audits.filter(
      a => a.options.eventId === 'rag-documents-add',
    );
    expect(audited.map(a => a.outcome?.status)).toEqual([
      'succeeded',
      'succeeded',
    ]);
  });

  it('takes the index from the entity, never from the request', async () => {
    const res = await kb.post(`${entityPath('team')}/rag/documents`, {
      index_name: 'docs',
      documents: [{ text: 'Team handbook: standup is at 9:30.' }],
    });
    expect(res.status).toBe(201);
    expect(res.body.index).toBe('team');
    const indexes = await kb.get(`${entityPath('team')}/rag/indexes`);
    expect(indexes.body).toMatchObject({ index: 'team' });
    expect(indexes.body.indexes.sort()).toEqual(['docs', 'team']);
    // A chat naming another index still asks the entity's.
    const answer = await kb.post(`${entityPath('team')}/chat/completions`, {
      index_name: 'docs',
      messages: [{ role: 'user', content: 'When is standup?' }],
    });
    expect(answer.status).toBe(200);
    for (const node of answer.body.source_nodes)
      expect(node.text).not.toContain('zebrafish');
    expect(answer.body.source_nodes[0].text).toContain('standup');
  });

  it('relays a JSON answer with its sources', async () => {
    const res = await kb.post(chat, {
      messages: [
        {
          role: 'user',
          content: 'How often does the zebrafish password rotate?',
        },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body.object).toBe('chat.completion');
    expect(res.body.choices[0].message.content).toContain('zebrafish');
    expect(res.body.source_nodes[0]).toMatchObject({
      metadata: { title: 'policy.pdf' },
    });
    expect(res.body.source_nodes[0].text).toContain('ninety days');
    // Through the chat relay: audited like any chat, against the engine.
    await waitFor(
      () =>
        kb.audits.find(
          a =>
            a.options.eventId === 'chat-completion' &&
            a.outcome?.status === 'succeeded',
        ),
      'chat audit',
    );
  });

  it('streams the answer in deltas, the last chunk carrying the sources', async () => {
    const started = Date.now();
    const res = await kb
      .post(chat, {
        stream: true,
        messages: [
          { role: 'user', content: 'How do I restart the payments gateway?' },
        ],
      })
      .buffer(true)
      .parse((r, cb) => {
        let body = '';
        r.on('data', (c: Buffer) => (body += c.toString()));
        r.on('end', () => cb(null, body));
      });
    expect(res.status).toBe(200);
    // The engine answered whole after longer than kaito.limits.idleTimeoutMs
    // (100 ms): no idle limit applies to a whole answer.
    expect(Date.now() - started).toBeGreaterThan(200);
    expect(res.headers['content-type']).toContain('text/event-stream');
    const events = String(res.body)
      .split('\n\n')
      .filter(Boolean)
      .map(e => e.replace(/^data: /, ''));
    expect(events[events.length - 1]).toBe('[DONE]');
    const chunks = events.slice(0, -1).map(e => JSON.parse(e));
    const deltas = chunks.filter(c => c.choices[0].delta.content);
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.map(c => c.choices[0].delta.content).join('')).toContain(
      'gateway',
    );
    const last = chunks[chunks.length - 1];
    expect(last.choices[0].finish_reason).toBe('stop');
    expect(last.source_nodes[0].metadata.title).toBe('runbook.md');
    expect(chunks.slice(0, -1).every(c => !('source_nodes' in c))).toBe(true);
  });

  it('streams an answer without sources with an empty source_nodes', async () => {
    const res = await kb
      .post(chat, {
        stream: true,
        messages: [{ role: 'user', content: 'Qwertyuiop zxcvbnm?' }],
      })
      .buffer(true)
      .parse((r, cb) => {
        let body = '';
        r.on('data', (c: Buffer) => (body += c.toString()));
        r.on('end', () => cb(null, body));
      });
    expect(res.status).toBe(200);
    const events = String(res.body).split('\n\n').filter(Boolean);
    expect(events[events.length - 1]).toBe('data: [DONE]');
    const last = JSON.parse(events[events.length - 2].replace(/^data: /, ''));
    expect(last.source_nodes).toEqual([]);
  });

  it('lists the engine model for a RAG entity', async () => {
    const res = await kb.get(`${entityPath('docs')}/models`);
    expect(res.status).toBe(200);
    expect(res.body.data).toHaveLength(1);
    expect(res.body.data[0].id).toBe('phi-4-mini-instruct');
  });

  it('lets a user without kaito.ragengine.manage read and chat, not write', async () => {
    expect((await kb.get(`${docs}`, VIEWER)).status).toBe(200);
    const answer = await kb.post(
      chat,
      { messages: [{ role: 'user', content: 'When is lunch served?' }] },
      VIEWER,
    );
    expect(answer.status).toBe(200);
    expect(answer.body.source_nodes.length).toBeGreaterThan(0);
    const add = await kb.post(docs, { documents: [{ text: 'x' }] }, VIEWER);
    expect(add.status).toBe(403);
    expect(
      (await kb.post(`${docs}/delete`, { doc_ids: ['x'] }, VIEWER)).status,
    ).toBe(403);
  });

  it('deletes documents of the entity index', async () => {
    const listed = await kb.get(`${docs}?limit=20`);
    const notes = listed.body.documents.find(
      (d: any) => d.metadata?.title === 'notes.txt',
    );
    const res = await kb.post(`${docs}/delete`, {
      doc_ids: [notes.doc_id, 'no-such-doc'],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      index: 'docs',
      deleted_doc_ids: [notes.doc_id],
      not_found_doc_ids: ['no-such-doc'],
    });
    expect((await kb.get(`${docs}?limit=20`)).body.total).toBe(3);
  });

  it('answers 409 with the readiness reason while the RAGEngine is not Ready', async () => {
    const snap = await waitFor(
      async () => {
        const s = (await kb.get(`${entityPath('broken')}/ragengine`)).body;
        return s.readiness && s.readiness.phase !== 'Ready' ? s : undefined;
      },
      'broken readiness',
      20_000,
    );
    const res = await kb.post(`${entityPath('broken')}/chat/completions`, {
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({
      code: 'ragengine_not_ready',
      type: 'not_ready_error',
    });
    expect(res.body.error.message).toContain(snap.readiness.phase);
    const add = await kb.post(`${entityPath('broken')}/rag/documents`, {
      documents: [{ text: 'x' }],
    });
    expect(add.status).toBe(409);
  });
});
