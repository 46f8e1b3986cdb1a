import {
  RunningSimulator,
  startSimulator,
} from '@kaito-backstage/kaito-simulator';
import { ConfigReader } from '@backstage/config';
import { KaitoClusters } from '../service';
import { kaitoFor, workspace } from '../__testUtils__/simulator';
import { UpstreamError } from '../inference/UpstreamError';
import { ragErrorDetail } from './ragEngineErrors';
import { RagEngines, readRagSettings } from './RagEngines';

const ragEngine = (name: string) => ({
  apiVersion: 'kaito.sh/v1beta1',
  kind: 'RAGEngine',
  metadata: { name, namespace: 'default' },
  spec: {
    compute: { labelSelector: { matchLabels: { apps: name } } },
    embedding: { local: { modelID: 'BAAI/bge-small-en-v1.5' } },
    inferenceService: {
      url: 'http://phi/v1/chat/completions',
      contextWindowSize: 4096,
    },
  },
});

async function failure(p: Promise<unknown>): Promise<UpstreamError> {
  try {
    await p;
  } catch (error) {
    if (error instanceof UpstreamError) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

/** RagEngineClient and the polled readiness against the simulator's RAGEngine, through the service proxy. */
describe('RagEngines on the simulator', () => {
  jest.setTimeout(60_000);
  let sim: RunningSimulator;
  let kaito: KaitoClusters;
  let rag: RagEngines;
  const key = { cluster: 'sim', namespace: 'default', name: 'docs' };

  beforeAll(async () => {
    sim = await startSimulator({
      log: () => {},
      seed: [workspace('phi'), ragEngine('docs')],
    });
    kaito = kaitoFor(sim);
    rag = new RagEngines(
      {
        ...readRagSettings(new ConfigReader({}), kaito.upstreams.settings),
        pollIntervalMs: 100,
      },
      kaito.clients,
    );
    // Event-driven: the first state that is Ready.
    await new Promise<void>((resolve, reject) => {
      let off: (() => void) | undefined;
      rag.watcher
        .subscribe(key, state => {
          if (state.readiness?.phase === 'Ready') {
            off?.();
            resolve();
          }
        })
        .then(o => {
          off = o;
        }, reject);
    });
  });

  afterAll(async () => {
    rag?.stop();
    await kaito?.stop();
    await sim?.stop();
  });

  it('reads the engine: health, an empty unknown index, indexing and listing', async () => {
    const client = await rag.client(key);
    expect(await client.health()).toMatchObject({ status: 'Healthy' });
    expect(
      await client.listDocuments('nothing-yet', { limit: 5, offset: 0 }),
    ).toEqual({ documents: [], count: 0, total_items: 0 });
    const indexed = await client.index({
      index_name: 'kb',
      documents: [{ text: 'Heron is the staging cluster.' }],
    });
    expect(indexed[0].doc_id).toEqual(expect.any(String));
    expect(await client.listIndexes()).toContain('kb');
  });

  it("maps the engine's refusals to typed errors with its detail", async () => {
    const client = await rag.client(key);
    const unknown = await failure(
      client.chat(
        { index_name: 'missing', messages: [{ role: 'user', content: 'hi' }] },
        AbortSignal.timeout(10_000),
      ),
    );
    expect(unknown).toMatchObject({
      kind: 'upstream_rejected',
      status: 404,
    });
    expect(unknown.message).toContain("No such index: 'missing' exists.");
    // FastAPI's validation list (422) becomes one sentence and a 400.
    const invalid = await failure(
      client.index({ index_name: 'kb', documents: [{} as any] }),
    );
    expect(invalid.status).toBe(400);
    expect(invalid.message).toMatch(/documents\.0\.text/);
  });

  it('says an engine without a Service is unreachable, not what the API server said', async () => {
    const client = await rag.client({ ...key, name: 'ghost' });
    const e = await failure(client.listIndexes());
    expect(e).toMatchObject({ kind: 'unreachable', status: 502 });
    expect(e.message).toContain("RAGEngine default/ghost on cluster 'sim'");
  });

  it('redacts cluster-internal addresses from engine details', () => {
    expect(
      ragErrorDetail(
        JSON.stringify({
          detail:
            'Error calling http://phi.default.svc.cluster.local:80/v1/chat/completions: dial tcp 10.244.1.7:5000: connection refused',
        }),
      ),
    ).toBe(
      'Error calling http://<address>/v1/chat/completions: dial tcp <address>: connection refused',
    );
  });
});
