/**
 * @jest-environment node
 */
import type { RagEngineSnapshot } from '@kaito-backstage/plugin-kaito-common';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { KaitoClient } from '../KaitoClient';
import { ragErrorMessage, ragErrorStatus } from './ragErrors';

interface Seen {
  method: string;
  url: string;
  contentType?: string;
  body: Buffer;
}

/** A real HTTP server: answers each request with `answer`, records what it got. */
class RagServer {
  readonly seen: Seen[] = [];
  answer: (req: Seen, res: http.ServerResponse) => void = (_r, res) =>
    res.writeHead(500).end();
  readonly #server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', c => chunks.push(c));
    req.on('end', () => {
      const seen = {
        method: req.method ?? 'GET',
        url: req.url ?? '',
        contentType: req.headers['content-type'],
        body: Buffer.concat(chunks),
      };
      this.seen.push(seen);
      this.answer(seen, res);
    });
  });

  async start() {
    await new Promise<void>(r => this.#server.listen(0, '127.0.0.1', r));
    const { port } = this.#server.address() as AddressInfo;
    return `http://127.0.0.1:${port}/api/kaito`;
  }

  async stop() {
    this.#server.closeAllConnections();
    await new Promise(r => this.#server.close(r));
  }
}

const json = (res: http.ServerResponse, status: number, body: unknown) =>
  res
    .writeHead(status, { 'Content-Type': 'application/json' })
    .end(JSON.stringify(body));

describe('KaitoClient RAG routes', () => {
  const server = new RagServer();
  let client: KaitoClient;

  beforeAll(async () => {
    const base = await server.start();
    client = new KaitoClient({
      discoveryApi: { getBaseUrl: async () => base },
      fetchApi: { fetch: (input, init) => fetch(input, init) },
      backoff: { minMs: 5, maxMs: 20 },
    });
  });
  afterAll(() => server.stop());
  beforeEach(() => {
    server.seen.length = 0;
  });

  it('reads the snapshot, indexes and a page of documents from the entity routes', async () => {
    server.answer = (req, res) => json(res, 200, { url: req.url });
    await client.getRagEngine('resource:default/Team-Docs');
    await client.listRagIndexes('resource:default/team-docs');
    await client.listRagDocuments('resource:default/team-docs', {
      limit: 20,
      offset: 40,
    });
    await client.listRagDocuments('resource:default/team-docs');
    expect(server.seen.map(s => `${s.method} ${s.url}`)).toEqual([
      'GET /api/kaito/entity/resource/default/team-docs/ragengine',
      'GET /api/kaito/entity/resource/default/team-docs/rag/indexes',
      'GET /api/kaito/entity/resource/default/team-docs/rag/documents?limit=20&offset=40',
      'GET /api/kaito/entity/resource/default/team-docs/rag/documents',
    ]);
  });

  it('uploads files as multipart `files` parts, and posts text, deletes and TechDocs as JSON', async () => {
    server.answer = (_req, res) => json(res, 200, { added: [] });
    const files = [
      new File(['# Guide'], 'guide.md', { type: 'text/markdown' }),
      new File(['notes'], 'notes.txt', { type: 'text/plain' }),
    ];
    await client.addRagDocuments('resource:default/team-docs', files);
    const upload = server.seen[0];
    expect(upload.method).toBe('POST');
    expect(upload.url).toBe(
      '/api/kaito/entity/resource/default/team-docs/rag/documents',
    );
    expect(upload.contentType).toMatch(/^multipart\/form-data; boundary=/);
    const form = await new Request('http://x/', {
      method: 'POST',
      headers: { 'content-type': upload.contentType! },
      body: upload.body,
    }).formData();
    const parts = form.getAll('files') as File[];
    expect(parts.map(p => p.name)).toEqual(['guide.md', 'notes.txt']);
    expect(await parts[0].text()).toBe('# Guide');

    await client.addRagText('resource:default/team-docs', 'Hello', 'Greeting');
    await client.addRagText('resource:default/team-docs', 'Untitled');
    await client.deleteRagDocuments('resource:default/team-docs', ['a', 'b']);
    await client.indexTechDocs('resource:default/team-docs');
    expect(
      server.seen
        .slice(1)
        .map(s => [
          s.url.replace('/api/kaito/entity/resource/default/team-docs', ''),
          s.contentType,
          JSON.parse(s.body.toString()),
        ]),
    ).toEqual([
      [
        '/rag/documents',
        'application/json',
        { documents: [{ text: 'Hello', title: 'Greeting' }] },
      ],
      [
        '/rag/documents',
        'application/json',
        { documents: [{ text: 'Untitled' }] },
      ],
      ['/rag/documents/delete', 'application/json', { doc_ids: ['a', 'b'] }],
      ['/rag/techdocs', 'application/json', {}],
    ]);
  });

  it('rejects with the backend message of a refused upload', async () => {
    server.answer = (_req, res) =>
      json(res, 413, {
        error: {
          name: 'PayloadTooLargeError',
          message:
            'big.pdf is 30000000 bytes; at most 10485760 bytes per file (kaito.rag.maxFileBytes).',
        },
        response: { statusCode: 413 },
      });
    const error = await client
      .addRagDocuments('resource:default/team-docs', [
        new File(['x'], 'big.pdf', { type: 'application/pdf' }),
      ])
      .catch(e => e);
    expect(ragErrorStatus(error)).toBe(413);
    expect(ragErrorMessage(error)).toBe(
      'big.pdf is 30000000 bytes; at most 10485760 bytes per file (kaito.rag.maxFileBytes).',
    );
    expect(ragErrorMessage(new Error('offline'))).toBe('offline');
  });

  it('follows the RAGEngine readiness stream', async () => {
    const snapshot = (phase: string) =>
      ({
        cluster: 'c',
        namespace: 'ns',
        name: 'team-docs',
        status: 'found',
        observedAt: new Date(0).toISOString(),
        readiness: {
          phase,
          reason: phase,
          steps: [],
          conditions: [],
          canChat: true,
        },
      } as unknown as RagEngineSnapshot);
    server.answer = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      res.write(
        `event: snapshot\ndata: ${JSON.stringify(
          snapshot('StartingService'),
        )}\n\n`,
      );
      res.write(
        `event: snapshot\ndata: ${JSON.stringify(snapshot('Ready'))}\n\n`,
      );
    };
    const controller = new AbortController();
    const phases: string[] = [];
    const done = client.streamRagEngine(
      'resource:default/team-docs',
      s => {
        phases.push(s.readiness!.phase);
        if (phases.length === 2) controller.abort();
      },
      controller.signal,
    );
    await done;
    expect(phases).toEqual(['StartingService', 'Ready']);
    expect(server.seen[0].url).toBe(
      '/api/kaito/entity/resource/default/team-docs/ragengine/events',
    );
  });
});
