import { mockCredentials } from '@backstage/backend-test-utils';
import {
  RunningSimulator,
  startSimulator,
} from '@kaito-backstage/kaito-simulator';
import request from 'supertest';
import {
  entityPath,
  KaitoTestBackend,
  startKaitoTestBackend,
} from './__testUtils__/backend';
import { ragEntity } from './__testUtils__/rag';
import { clusterConfig } from './__testUtils__/simulator';

const B = 'XyZboundary42';

/** A multipart body by hand, so it can be broken on purpose. */
function multipart(parts: string[], close = true) {
  return `${parts.map(p => `--${B}\r\n${p}\r\n`).join('')}${
    close ? `--${B}--\r\n` : ''
  }`;
}
const filePart = (name: string | undefined, type: string, data: string) =>
  `Content-Disposition: form-data; name="files"${
    name === undefined ? '' : `; filename="${name}"`
  }\r\nContent-Type: ${type}\r\n\r\n${data}`;

/** Bodies no RAG write route may answer with a 5xx. */
const CASES: Array<{ why: string; type: string; body: string | Buffer }> = [
  { why: 'not JSON', type: 'application/json', body: '{"documents": [' },
  { why: 'JSON null', type: 'application/json', body: 'null' },
  { why: 'JSON array', type: 'application/json', body: '[1,2]' },
  {
    why: 'documents a string',
    type: 'application/json',
    body: '{"documents":"x"}',
  },
  {
    why: 'documents empty',
    type: 'application/json',
    body: '{"documents":[]}',
  },
  {
    why: 'text a number',
    type: 'application/json',
    body: '{"documents":[{"text":1}]}',
  },
  {
    why: 'text blank',
    type: 'application/json',
    body: '{"documents":[{"text":"  "}]}',
  },
  {
    why: 'title an object',
    type: 'application/json',
    body: '{"documents":[{"text":"a","title":{}}]}',
  },
  {
    why: 'a null document',
    type: 'application/json',
    body: '{"documents":[null]}',
  },
  {
    why: 'deep nesting',
    type: 'application/json',
    body: `${'['.repeat(5000)}${']'.repeat(5000)}`,
  },
  { why: 'NUL bytes', type: 'application/json', body: '\u0000\u0000' },
  { why: 'multipart without boundary', type: 'multipart/form-data', body: 'x' },
  {
    why: 'multipart cut off',
    type: `multipart/form-data; boundary=${B}`,
    body: multipart([filePart('a.txt', 'text/plain', 'hello')], false),
  },
  {
    why: 'multipart garbage',
    type: `multipart/form-data; boundary=${B}`,
    body: Buffer.from([0xff, 0xfe, 0, 1, 2, 3]),
  },
  {
    why: 'multipart no files',
    type: `multipart/form-data; boundary=${B}`,
    body: multipart(['Content-Disposition: form-data; name="note"\r\n\r\nhi']),
  },
  {
    why: 'a field, not a file, named files',
    type: `multipart/form-data; boundary=${B}`,
    body: multipart(['Content-Disposition: form-data; name="files"\r\n\r\nhi']),
  },
  {
    why: 'an empty file',
    type: `multipart/form-data; boundary=${B}`,
    body: multipart([filePart('e.txt', 'text/plain', '')]),
  },
  {
    why: 'a file without a name or type',
    type: `multipart/form-data; boundary=${B}`,
    body: multipart([filePart(undefined, 'application/octet-stream', 'abc')]),
  },
  {
    why: 'binary declared as text',
    type: `multipart/form-data; boundary=${B}`,
    body: multipart([filePart('b.txt', 'text/plain', 'a\u0000b')]),
  },
  {
    why: 'a PDF that is not one',
    type: `multipart/form-data; boundary=${B}`,
    body: multipart([filePart('x.pdf', 'application/pdf', 'not a pdf')]),
  },
  {
    why: 'an image',
    type: `multipart/form-data; boundary=${B}`,
    body: multipart([filePart('x.png', 'image/png', 'PNG')]),
  },
  {
    why: 'form-urlencoded',
    type: 'application/x-www-form-urlencoded',
    body: 'documents=x',
  },
];

/**
 * Broken bodies at the RAG write routes: each is a 4xx with the kaito error
 * shape, never a 5xx, and the backend keeps serving. (The RAGEngine does
 * not exist: a body that passed every check would be a 404.)
 */
describe('RAG write routes under broken input', () => {
  jest.setTimeout(60_000);
  let sim: RunningSimulator;
  let kb: KaitoTestBackend;

  beforeAll(async () => {
    sim = await startSimulator({ log: () => {} });
    kb = await startKaitoTestBackend({
      config: clusterConfig([{ name: 'sim', url: sim.url, token: sim.token }]),
      entities: [ragEntity('rag')],
    });
  }, 60_000);

  afterAll(async () => {
    await kb?.stop();
    await sim?.stop();
  });

  const post = (path: string, type: string, body: string | Buffer) =>
    request(kb.server)
      .post(`${entityPath('rag')}${path}`)
      .set('Authorization', mockCredentials.user.header())
      .set('Content-Type', type)
      .send(body);

  it.each(CASES)('rag/documents: $why -> 4xx', async ({ type, body }) => {
    const res = await post('/rag/documents', type, body);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.body.error).toMatchObject({
      message: expect.any(String),
      code: expect.any(String),
    });
  });

  it.each([
    '{"doc_ids": "x"}',
    '{"doc_ids": []}',
    '{"doc_ids": [1]}',
    '{"doc_ids": [""]}',
    `{"doc_ids": ["${'x'.repeat(300)}"]}`,
    '{"doc_ids": [null]}',
    'nope',
  ])('rag/documents/delete: %s -> 4xx', async body => {
    const res = await post('/rag/documents/delete', 'application/json', body);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.body.error.code).toEqual(expect.any(String));
  });

  it('still serves after all of it', async () => {
    expect((await kb.get(`${entityPath('rag')}/ragengine`)).status).toBe(200);
  });
});
