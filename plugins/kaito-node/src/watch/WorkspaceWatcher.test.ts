import {
  startSimulator,
  RunningSimulator,
} from '@kaito-backstage/kaito-simulator';
import { KaitoClusters } from '../service';
import {
  createWorkspace,
  kaitoFor,
  kube,
  waitFor,
  workspace,
} from '../__testUtils__/simulator';
import { TcpGate } from '../__testUtils__/TcpGate';
import { WorkspaceSnapshot } from '@kaito-backstage/plugin-kaito-common';

describe('WorkspaceWatcher against the simulator', () => {
  let sim: RunningSimulator;
  let kaito: KaitoClusters;
  // The waits below poll state the watch events update; their deadlines and
  // this timeout are safety nets sized for a loaded machine, not margins.
  jest.setTimeout(60_000);
  const SAFETY_MS = 30_000;

  beforeEach(async () => {
    sim = await startSimulator({ log: () => {}, watchHistory: 50 });
  });
  afterEach(async () => {
    await kaito?.stop();
    await sim.stop();
  });

  // The first test also loads @kubernetes/client-node, which Jest transpiles
  // on the fly: seconds on a busy machine.
  it('follows a Workspace from Pending to Ready and pushes each change once', async () => {
    kaito = kaitoFor(sim);
    const seen: WorkspaceSnapshot[] = [];
    const unsubscribe = await kaito.watcher.subscribe(
      { cluster: 'sim', namespace: 'default', name: 'phi' },
      s => seen.push(s),
    );
    expect(seen[0]).toMatchObject({
      status: 'notFound',
      cluster: 'sim',
      namespace: 'default',
      name: 'phi',
    });

    await createWorkspace(sim, workspace('phi'));
    await waitFor(
      () => seen.at(-1)?.readiness?.phase === 'Ready',
      'phase Ready',
      SAFETY_MS,
    );
    const phases = seen.map(s => s.readiness?.phase ?? s.status);
    expect(phases[0]).toBe('notFound');
    expect(phases.at(-1)).toBe('Ready');
    expect(new Set(phases).size).toBeGreaterThan(2);
    // Never the same substance twice in a row.
    for (let i = 1; i < seen.length; i++) {
      const { observedAt: _a, ...a } = seen[i - 1];
      const { observedAt: _b, ...b } = seen[i];
      expect(a).not.toEqual(b);
    }
    expect(seen.at(-1)?.workspace).toMatchObject({
      preset: 'phi-4-mini-instruct',
      runtime: 'vllm',
      deleting: false,
    });
    unsubscribe();
  });

  it('serves many viewers from one list and one watch per resource type', async () => {
    await createWorkspace(sim, workspace('a'));
    await createWorkspace(sim, workspace('b'));
    kaito = kaitoFor(sim);
    const unsubs: Array<() => void> = [];
    const last = new Map<number, WorkspaceSnapshot>();
    for (let i = 0; i < 40; i++) {
      unsubs.push(
        await kaito.watcher.subscribe(
          { cluster: 'sim', namespace: 'default', name: i % 2 ? 'a' : 'b' },
          s => last.set(i, s),
        ),
      );
    }
    await waitFor(
      () =>
        [...last.values()].filter(s => s.readiness?.phase === 'Ready')
          .length === 40,
      'all viewers see Ready',
      SAFETY_MS,
    );
    const stats = kaito.watcher.stats().sim;
    expect(stats.workspaces.lists).toBe(1);
    expect(stats.workspaces.watches).toBe(1);
    expect(stats.pods.lists).toBe(1);
    unsubs.forEach(u => u());
    expect(kaito.watcher.subscriberCount()).toBe(0);
  });

  it('resumes from its resourceVersion after a disconnect, and relists on 410 Gone', async () => {
    const gate = await TcpGate.start(sim.url);
    try {
      kaito = kaitoFor({ ...sim, url: gate.url });
      await createWorkspace(sim, workspace('first'));
      const seen: WorkspaceSnapshot[] = [];
      await kaito.watcher.subscribe(
        { cluster: 'sim', namespace: 'default', name: 'second' },
        s => seen.push(s),
      );
      const stats = () => kaito.watcher.stats().sim.workspaces;
      await waitFor(() => stats().watches >= 1, 'the first watch', SAFETY_MS);
      const lists = stats().lists;

      // A dropped connection: resume from the last version, no relist. The
      // cut is repeated until the Workspace watch was cut and opened again
      // (the server may not hold the first watch yet when it is first cut).
      await waitFor(
        () => {
          sim.disconnectWatches();
          return stats().watches >= 2;
        },
        'the Workspace watch cut and resumed',
        SAFETY_MS,
      );
      await createWorkspace(sim, workspace('second'));
      await waitFor(
        () => seen.at(-1)?.readiness?.phase === 'Ready',
        'second Ready',
        SAFETY_MS,
      );
      expect(stats().watches).toBeGreaterThanOrEqual(2);
      expect(stats().lists).toBe(lists);
      expect(stats().expired).toBe(0);

      // A partition long enough for the server to compact past our version:
      // the resume gets 410 Gone and the watcher lists again.
      gate.cut();
      for (let i = 0; i < 60; i++) {
        await kube(sim, 'POST', '/api/v1/namespaces/default/configmaps', {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: `filler-${i}` },
        });
      }
      await kube(
        sim,
        'DELETE',
        '/apis/kaito.sh/v1beta1/namespaces/default/workspaces/second',
      );
      gate.heal();
      await waitFor(
        () => seen.at(-1)?.status === 'notFound',
        'deletion seen after relist',
        SAFETY_MS,
      );
      expect(stats().expired).toBeGreaterThanOrEqual(1);
      expect(stats().lists).toBeGreaterThan(lists);
    } finally {
      await gate.stop();
    }
  });

  it('starts no watch when stopped while a cluster is being looked up', async () => {
    kaito = kaitoFor(sim);
    const pending = kaito.watcher.snapshot({
      cluster: 'sim',
      namespace: 'default',
      name: 'x',
    });
    await kaito.watcher.stop();
    await expect(pending).rejects.toThrow(/stopped/);
    expect(kaito.watcher.stats()).toEqual({});
  });

  it('reports an unreachable cluster instead of hanging', async () => {
    await sim.stop();
    kaito = kaitoFor(sim, {
      watch: { syncTimeoutMs: 300, backoff: { minMs: 20, maxMs: 50 } },
    });
    const snapshot = await kaito.watcher.snapshot({
      cluster: 'sim',
      namespace: 'default',
      name: 'x',
    });
    expect(snapshot.status).toBe('unavailable');
    expect(snapshot.message).toMatch(/sim/);
    const all = await kaito.watcher.listAll();
    expect(all).toEqual([
      expect.objectContaining({
        cluster: 'sim',
        status: 'unavailable',
        workspaces: [],
      }),
    ]);
  });
});
