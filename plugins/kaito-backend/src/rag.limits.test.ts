import {
  RunningSimulator,
  startSimulator,
} from '@kaito-backstage/kaito-simulator';
import { mockCredentials } from '@backstage/backend-test-utils';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import {
  entityPath,
  KaitoTestBackend,
  startKaitoTestBackend,
} from './__testUtils__/backend';
import { component } from './__testUtils__/entities';
import {
  minimalPdf,
  ragEntity,
  upload,
  viewerCannotManageRag,
} from './__testUtils__/rag';
import { clusterConfig, waitFor } from './__testUtils__/simulator';

/**
 * What the RAG routes refuse before they reach an engine: limits, types,
 * annotations, permissions. (The engine here does not exist; a request that
 * passed every check would get 404 ragengine_not_found.)
 */
describe('RAG routes: refusals', () => {
  jest.setTimeout(60_000);
  let sim: RunningSimulator;
  let kb: KaitoTestBackend;
  const docs = `${entityPath('rag')}/rag/documents`;

  beforeAll(async () => {
    sim = await startSimulator({ log: () => {} });
    kb = await startKaitoTestBackend({
      config: clusterConfig([{ name: 'sim', url: sim.url, token: sim.token }], {
        rag: {
          maxFiles: 2,
          maxFileBytes: 1000,
          maxTotalBytes: 1500,
          maxDocuments: 3,
          maxConcurrentWritesPerUser: 1,
        },
      }),
      entities: [
        ragEntity('rag'),
        component('both', {
          'kaito.sh/ragengine': 'default/rag',
          'kaito.sh/workspace': 'default/phi',
        }),
        ragEntity('sys', 'kube-system/rag'),
        ragEntity('badindex', 'default/rag', {
          'kaito.sh/rag-index': 'no/slash',
        }),
      ],
      policy: viewerCannotManageRag,
    });
  }, 60_000);

  afterAll(async () => {
    await kb?.stop();
    await sim?.stop();
  });

  it('refuses more files than kaito.rag.maxFiles', async () => {
    const res = await upload(kb, docs, [
      { name: 'a.txt', type: 'text/plain', data: 'a' },
      { name: 'b.txt', type: 'text/plain', data: 'b' },
      { name: 'c.txt', type: 'text/plain', data: 'c' },
    ]);
    expect(res.status).toBe(413);
    expect(res.body.error).toMatchObject({
      code: 'limit_exceeded',
      limit: 'maxFiles',
    });
    expect(res.body.error.message).toContain('kaito.rag.maxFiles');
  });

  it('refuses a file larger than kaito.rag.maxFileBytes', async () => {
    const res = await upload(kb, docs, [
      { name: 'big.md', type: 'text/markdown', data: 'x'.repeat(1001) },
    ]);
    expect(res.status).toBe(413);
    expect(res.body.error.limit).toBe('maxFileBytes');
    expect(res.body.error.message).toContain('"big.md"');
    expect(res.body.error.message).toContain('kaito.rag.maxFileBytes');
  });

  it('refuses files adding up to more than kaito.rag.maxTotalBytes', async () => {
    const res = await upload(kb, docs, [
      { name: 'a.txt', type: 'text/plain', data: 'a'.repeat(900) },
      { name: 'b.txt', type: 'text/plain', data: 'b'.repeat(900) },
    ]);
    expect(res.status).toBe(413);
    expect(res.body.error.limit).toBe('maxTotalBytes');
    expect(res.body.error.message).toContain('kaito.rag.maxTotalBytes');
  });

  it('refuses more JSON documents than kaito.rag.maxDocuments', async () => {
    const res = await kb.post(docs, {
      documents: [1, 2, 3, 4].map(i => ({ text: `doc ${i}` })),
    });
    expect(res.status).toBe(413);
    expect(res.body.error.limit).toBe('maxDocuments');
    expect(res.body.error.message).toContain('kaito.rag.maxDocuments');
  });

  it('answers 415 naming the accepted types for a file of another type', async () => {
    const res = await upload(kb, docs, [
      { name: 'page.html', type: 'text/html', data: '<p>hi</p>' },
    ]);
    expect(res.status).toBe(415);
    expect(res.body.error.message).toContain(
      'text/plain, text/markdown, application/pdf',
    );
    expect(res.body.error.accepted).toEqual([
      'text/plain',
      'text/markdown',
      'application/pdf',
    ]);
  });

  it('answers 415 for a body that is neither multipart nor JSON', async () => {
    const res = await kb.post(docs, 'hello').set('Content-Type', 'text/plain');
    expect(res.status).toBe(415);
  });

  it('answers 422 for a PDF without text, saying so', async () => {
    const res = await upload(kb, docs, [
      { name: 'scan.pdf', type: 'application/pdf', data: minimalPdf([]) },
    ]);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('pdf_without_text');
    expect(res.body.error.message).toContain('no text');
  });

  it('answers 400 for a file in another form field, naming the field to use', async () => {
    const res = await upload(
      kb,
      docs,
      [{ name: 'a.txt', type: 'text/plain', data: 'a' }],
      undefined,
      'file',
    );
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('"files"');
  });

  it('answers 403 on writes without kaito.ragengine.manage, but lets the user read', async () => {
    const viewer = 'user:default/viewer';
    const add = await upload(
      kb,
      docs,
      [{ name: 'a.txt', type: 'text/plain', data: 'a' }],
      viewer,
    );
    expect(add.status).toBe(403);
    expect(add.body.error.message).toContain('kaito.ragengine.manage');
    const del = await kb.post(`${docs}/delete`, { doc_ids: ['x'] }, viewer);
    expect(del.status).toBe(403);
    const snap = await kb.get(`${entityPath('rag')}/ragengine`, viewer);
    expect(snap.status).toBe(200);
    expect(snap.body).toMatchObject({
      entityRef: 'component:default/rag',
      status: 'notFound',
    });
  });

  it('answers 400 naming both annotations for an entity with a workspace and a ragengine', async () => {
    const res = await kb.get(`${entityPath('both')}/ragengine`);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('kaito.sh/workspace');
    expect(res.body.error.message).toContain('kaito.sh/ragengine');
  });

  it('applies the namespace policy and checks kaito.sh/rag-index', async () => {
    const sys = await kb.get(`${entityPath('sys')}/ragengine`);
    expect(sys.status).toBe(403);
    expect(sys.body.error.code).toBe('namespace_not_allowed');
    const bad = await kb.get(`${entityPath('badindex')}/ragengine`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('kaito.sh/rag-index');
  });

  it('answers 404 for a RAGEngine the cluster does not have, on every engine route', async () => {
    const results = [
      await kb.get(`${entityPath('rag')}/rag/indexes`),
      await kb.get(`${docs}?limit=5`),
      await kb.post(docs, { documents: [{ text: 'hello' }] }),
      await kb.post(`${entityPath('rag')}/chat/completions`, {
        messages: [{ role: 'user', content: 'hi' }],
      }),
    ];
    expect(results.map(r => r.status)).toEqual([404, 404, 404, 404]);
    expect(results[3].body.error.code).toBe('ragengine_not_found');
  });

  it('sends a RAG entity from the Workspace routes to its ragengine route', async () => {
    const res = await kb.get(`${entityPath('rag')}/workspace`);
    expect(res.status).toBe(404);
    expect(res.body.error.message).toContain('.../ragengine');
  });

  it('refuses a second add in flight beyond kaito.rag.maxConcurrentWritesPerUser, and frees the slot when the first is cut off', async () => {
    const { port } = kb.server.address() as AddressInfo;
    // An upload that has sent its headers and part of its body, and waits.
    const first = http.request({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: docs,
      headers: {
        authorization: mockCredentials.user.header(),
        'content-type': 'multipart/form-data; boundary=B',
        'transfer-encoding': 'chunked',
      },
    });
    first.on('error', () => {});

    first.write(
      '--B\r\nContent-Disposition: form-data; name="files"; filename="slow.txt"\r\nContent-Type: text/plain\r\n\r\nsome',
    );
    const refused = await waitFor(async () => {
      const res = await kb.post(docs, { documents: [{ text: 'x' }] });
      return res.status === 429 ? res : undefined;
    }, 'the second add refused');
    expect(refused.body.error.limit).toBe('maxConcurrentWritesPerUser');
    expect(refused.body.error.message).toContain(
      'kaito.rag.maxConcurrentWritesPerUser',
    );
    expect(refused.headers['retry-after']).toBe('2');
    // Another user has a slot of their own.
    expect(
      (
        await kb.post(
          docs,
          { documents: [{ text: 'x' }] },
          'user:default/other',
        )
      ).status,
    ).toBe(404);
    first.destroy();
    await waitFor(
      async () =>
        (await kb.post(docs, { documents: [{ text: 'x' }] })).status === 404,
      'the slot freed',
    );
  });

  it('checks the paging parameters', async () => {
    const res = await kb.get(`${docs}?limit=500`);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('"limit"');
  });
});
