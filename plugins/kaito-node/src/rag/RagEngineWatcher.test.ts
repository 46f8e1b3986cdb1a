import { ConfigReader } from '@backstage/config';
import {
  RunningSimulator,
  startSimulator,
} from '@kaito-backstage/kaito-simulator';
import { RecordingProxy } from '../__testUtils__/RecordingProxy';
import { kaitoFor, workspace } from '../__testUtils__/simulator';
import { KaitoClusters } from '../service';
import { RagEngines, readRagSettings } from './RagEngines';
import { RagEngineState } from './ragEngineSnapshot';

const RAG_PATH = /\/ragengines\/docs$/;
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/** The polled RAGEngine readiness, counted at a recording proxy in front of the simulator. */
describe('RagEngineWatcher', () => {
  jest.setTimeout(60_000);
  let sim: RunningSimulator;
  let proxy: RecordingProxy;
  let kaito: KaitoClusters;
  let rag: RagEngines;
  const key = { cluster: 'sim', namespace: 'default', name: 'docs' };
  const reads = () =>
    proxy.requests.filter(r => r.method === 'GET' && RAG_PATH.test(r.path))
      .length;

  beforeAll(async () => {
    sim = await startSimulator({
      log: () => {},
      seed: [
        workspace('phi'),
        {
          apiVersion: 'kaito.sh/v1beta1',
          kind: 'RAGEngine',
          metadata: { name: 'docs', namespace: 'default' },
          spec: {
            compute: { labelSelector: { matchLabels: { apps: 'docs' } } },
            embedding: { local: { modelID: 'BAAI/bge-small-en-v1.5' } },
          },
        },
      ],
    });
    proxy = await RecordingProxy.start(sim.url);
    kaito = kaitoFor({ ...sim, url: proxy.url } as RunningSimulator);
    rag = new RagEngines(
      {
        ...readRagSettings(new ConfigReader({}), kaito.upstreams.settings),
        pollIntervalMs: 100,
      },
      kaito.clients,
    );
  });

  afterAll(async () => {
    rag?.stop();
    await kaito?.stop();
    await proxy?.stop();
    await sim?.stop();
  });

  it('reads once per interval for all subscribers, and not at all without them', async () => {
    const seen: RagEngineState[][] = [[], [], []];
    const offs = await Promise.all(
      seen.map(list => rag.watcher.subscribe(key, s => list.push(s))),
    );
    const before = reads();
    await sleep(1_000);
    const during = reads() - before;
    offs.forEach(off => off());
    // Three viewers, ~10 intervals: one read each, not three.
    expect(during).toBeGreaterThanOrEqual(4);
    expect(during).toBeLessThanOrEqual(12);
    for (const list of seen) {
      expect(list[0]).toMatchObject({ status: 'found', name: 'docs' });
      // Only changes are sent, not every read.
      expect(list.length).toBeLessThan(during);
    }
    const after = reads();
    await sleep(400);
    expect(reads()).toBe(after);
    expect(rag.watcher.subscriberCount()).toBe(0);
  });

  it('answers snapshot requests of one moment with one read', async () => {
    await sleep(150);
    const before = reads();
    const states = await Promise.all(
      [1, 2, 3, 4, 5].map(() => rag.watcher.observe(key)),
    );
    expect(reads() - before).toBe(1);
    expect(new Set(states.map(s => s.at)).size).toBe(1);
    expect(states[0].state.readiness?.canChat).toBe(false);
  });
});
