import { startSimulator, TEST_TIMINGS } from '@kaito-backstage/kaito-simulator';
import { WorkspaceSnapshot } from '@kaito-backstage/plugin-kaito-common';
import { KaitoClusters } from '../service';
import { followWorkspace } from '../__testUtils__/followWorkspace';
import { kaitoFor, kube, waitFor, workspace } from '../__testUtils__/simulator';
import { simulatorBehindProxy } from '../__testUtils__/simulatorBehindProxy';
import { TcpGate } from '../__testUtils__/TcpGate';

// The per-cluster cache behind the watcher, seen from outside: the list and
// watch calls it makes to the cluster (through a recording proxy), the
// snapshots viewers get, and what is left running after stop().

const BACKOFF = { minMs: 20, maxMs: 200 };
const KEY = { cluster: 'sim', namespace: 'default', name: 'phi' };

describe('ClusterWorkspaceCache', () => {
  let kaito: KaitoClusters | undefined;

  // Waits here are on events; the test timeout is only a safety net (the
  // first test also loads the Kubernetes client, slow on a busy machine).
  jest.setTimeout(60_000);

  const env = simulatorBehindProxy({
    seed: () => [
      workspace('phi'),
      workspace('quota', 'default', {
        annotations: { 'kaito.simulator/fault': 'quotaExceeded' },
      }),
    ],
    beforeStop: async () => {
      await kaito?.stop();
      kaito = undefined;
    },
  });
  const through = env.through;
  const watching = (path: string) =>
    env.proxy
      .openRequests()
      .some(r => r.path === path && r.query.get('watch') === 'true');
  /** Waits for a snapshot of `name` matching predicate; returns the stream and unsubscribe. */
  const follow = (
    k: KaitoClusters,
    name: string,
    predicate: (s: WorkspaceSnapshot) => boolean,
    what: string,
  ) => followWorkspace(k, { ...KEY, name }, predicate, what);
  /** A simulator of its own whose nodes never launch, holding one Workspace, `stuck`. */
  const startStuck = () =>
    startSimulator({
      log: () => {},
      timings: { ...TEST_TIMINGS, nodeLaunchMs: 3_600_000 },
      seed: [workspace('stuck')],
    });
  const ready = (s: WorkspaceSnapshot) => s.readiness?.phase === 'Ready';

  it('lists and watches Workspaces, pods, NodeClaims and Warning Events, and stop() ends every request', async () => {
    kaito = through({ watch: { backoff: BACKOFF } });
    await follow(kaito, 'phi', ready, 'phi Ready');
    await env.proxy.until(
      () =>
        [
          '/apis/kaito.sh/v1beta1/workspaces',
          '/api/v1/pods',
          '/apis/karpenter.sh/v1/nodeclaims',
          '/api/v1/events',
        ].every(watching),
      'a watch per resource type',
    );
    const events = env.proxy.requests.filter(r => r.path === '/api/v1/events');
    expect(events.length).toBeGreaterThanOrEqual(2);
    for (const r of events)
      expect(r.query.get('fieldSelector')).toBe('type=Warning');
    const pods = env.proxy.requests.find(r => r.path === '/api/v1/pods')!;
    expect(pods.query.get('labelSelector')).toBe('kaito.sh/workspace');

    await kaito.stop();
    await env.proxy.until(
      () => env.proxy.openRequests().length === 0,
      'every list and watch closed after stop()',
    );
    const made = env.proxy.requests.length;
    // Nothing restarts: the watcher refuses new work once stopped.
    await expect(kaito.watcher.snapshot(KEY)).rejects.toThrow(/stopped/);
    expect(env.proxy.requests.length).toBe(made);
  });

  it("watches every Event with events: 'all', and none with events: 'none'", async () => {
    kaito = through({ watch: { backoff: BACKOFF, events: 'all' } });
    await kaito.watcher.snapshot(KEY);
    await env.proxy.until(() => watching('/api/v1/events'), 'the Event watch');
    const all = env.proxy.requests.filter(r => r.path === '/api/v1/events');
    for (const r of all) expect(r.query.has('fieldSelector')).toBe(false);
    await kaito.stop();

    const before = env.proxy.requests.length;
    kaito = through({ watch: { backoff: BACKOFF, events: 'none' } });
    await follow(kaito, 'phi', ready, 'phi Ready');
    await env.proxy.until(
      () =>
        watching('/apis/kaito.sh/v1beta1/workspaces') &&
        watching('/api/v1/pods'),
      'the Workspace and pod watches',
    );
    // The watches start together: an Event list would have been sent by now.
    expect(
      env.proxy.requests.slice(before).filter(r => r.path === '/api/v1/events'),
    ).toEqual([]);
  });

  it("brings a Warning Event about a Workspace into that Workspace's readiness", async () => {
    // Nodes that never launch: only an Event can explain the wait.
    const slow = await startStuck();
    try {
      kaito = kaitoFor(slow, {
        watch: { backoff: BACKOFF, nodeClaims: false },
      });
      const marker = 'marker-7f3a';
      const { seen, unsubscribe } = await follow(
        kaito,
        'stuck',
        s => s.status === 'found',
        'stuck found',
      );
      expect(JSON.stringify(seen)).not.toContain(marker);
      let notify = () => {};
      const arrived = new Promise<void>(resolve => {
        notify = () => {
          if (JSON.stringify(seen.at(-1)).includes(marker)) resolve();
        };
      });
      const off = await kaito.watcher.subscribe(
        { ...KEY, name: 'stuck' },
        s => {
          seen.push(s);
          notify();
        },
      );
      await kube(slow, 'POST', '/api/v1/namespaces/default/events', {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name: 'stuck.quota', namespace: 'default' },
        type: 'Warning',
        reason: 'LaunchFailed',
        message: `${marker}: creating instance, exceeding approved StandardNCADSA100v4Family Cores quota`,
        involvedObject: {
          kind: 'Workspace',
          namespace: 'default',
          name: 'stuck',
        },
        count: 1,
      });
      await arrived;
      off();
      unsubscribe();
    } finally {
      await kaito?.stop();
      kaito = undefined;
      await slow.stop();
    }
  });

  it('drops a deleted pod from its Workspace', async () => {
    // Nodes that never launch: the only pod is one this test adds and deletes.
    const slow = await startStuck();
    try {
      kaito = kaitoFor(slow, {
        watch: { backoff: BACKOFF, nodeClaims: false, events: 'none' },
      });
      const marker = 'marker-pod-5c1d';
      const seen: WorkspaceSnapshot[] = [];
      let check = () => {};
      const off = await kaito.watcher.subscribe(
        { ...KEY, name: 'stuck' },
        s => {
          seen.push(s);
          check();
        },
      );
      const until = (has: boolean) =>
        new Promise<void>(resolve => {
          check = () => {
            if (JSON.stringify(seen.at(-1)).includes(marker) === has) resolve();
          };
          check();
        });
      const pod = '/api/v1/namespaces/default/pods/stuck-extra';
      await kube(slow, 'POST', '/api/v1/namespaces/default/pods', {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: 'stuck-extra',
          namespace: 'default',
          labels: { 'kaito.sh/workspace': 'stuck' },
        },
        spec: { containers: [{ name: 'stuck', image: 'busybox' }] },
      });
      const res = await fetch(`${slow.url}${pod}/status`, {
        method: 'PATCH',
        headers: {
          authorization: `Bearer ${slow.token}`,
          'content-type': 'application/merge-patch+json',
        },
        body: JSON.stringify({
          status: {
            phase: 'Running',
            containerStatuses: [
              {
                name: 'stuck',
                ready: false,
                restartCount: 6,
                state: {
                  waiting: { reason: 'CrashLoopBackOff', message: marker },
                },
                lastState: {
                  terminated: { exitCode: 1, reason: 'Error', message: marker },
                },
              },
            ],
          },
        }),
      });
      expect(res.status).toBe(200);
      await until(true);
      await kube(slow, 'DELETE', pod);
      await until(false);
      off();
    } finally {
      await kaito?.stop();
      kaito = undefined;
      await slow.stop();
    }
  });

  it('stop() aborts the KAITO version probe of a cluster that does not answer', async () => {
    env.proxy.hold = /^\/apis\/kaito\.sh$/;
    kaito = through({ watch: { backoff: BACKOFF, syncTimeoutMs: 500 } });
    const pending = kaito.watcher.snapshot(KEY).catch(e => e);
    await env.proxy.until(
      () => env.proxy.openRequests(/^\/apis\/kaito\.sh$/).length === 1,
      'the version probe',
    );
    await kaito.stop();
    // The probe has a 10 s timeout of its own; stop() must not wait for it.
    await env.proxy.until(
      () => env.proxy.openRequests().length === 0,
      'the version probe aborted',
      5000,
    );
    const result = await pending;
    expect(result).toMatchObject({ status: 'unavailable' });
    expect(env.proxy.requests.map(r => r.path)).toEqual(['/apis/kaito.sh']);
  });

  it('reuses a derived snapshot for up to a second, then derives it again', async () => {
    kaito = through({ watch: { backoff: BACKOFF, events: 'none' } });
    const { unsubscribe } = await follow(kaito, 'phi', ready, 'phi Ready');
    unsubscribe();
    jest.useFakeTimers({
      doNotFake: [
        'hrtime',
        'nextTick',
        'performance',
        'queueMicrotask',
        'requestAnimationFrame',
        'cancelAnimationFrame',
        'requestIdleCallback',
        'cancelIdleCallback',
        'setImmediate',
        'clearImmediate',
        'setInterval',
        'clearInterval',
        'setTimeout',
        'clearTimeout',
      ],
    });
    try {
      const t0 = Date.now() + 60_000;
      const at = async (t: number) => {
        jest.setSystemTime(t);
        return (await kaito!.watcher.snapshot({ ...KEY, name: 'phi' }))
          .observedAt;
      };
      const iso = (t: number) => new Date(t).toISOString();
      expect(await at(t0)).toBe(iso(t0));
      expect(await at(t0 + 999)).toBe(iso(t0));
      expect(await at(t0 + 1000)).toBe(iso(t0 + 1000));
      expect(await at(t0 + 1500)).toBe(iso(t0 + 1000));
      // A clock that stepped back does not serve the newer derivation.
      expect(await at(t0 + 999)).toBe(iso(t0 + 999));
    } finally {
      jest.useRealTimers();
    }
  });

  it('stops watching a cluster once its last viewer unsubscribes and it is idle', async () => {
    kaito = through({
      watch: { backoff: BACKOFF, idleStopMs: 1, recomputeIntervalMs: 20 },
    });
    const a = await follow(kaito, 'phi', ready, 'phi Ready');
    const b = await follow(kaito, 'quota', () => true, 'quota');
    await env.proxy.until(
      () => watching('/apis/kaito.sh/v1beta1/workspaces'),
      'the Workspace watch',
    );
    a.unsubscribe();
    // Many idle checks pass while a viewer remains; the cluster stays watched.
    await new Promise(r => setTimeout(r, 300));
    expect(watching('/apis/kaito.sh/v1beta1/workspaces')).toBe(true);
    expect(Object.keys(kaito.watcher.stats())).toEqual(['sim']);
    b.unsubscribe();
    await env.proxy.until(
      () => env.proxy.openRequests().length === 0,
      'every watch closed once unused',
    );
    expect(kaito.watcher.stats()).toEqual({});
  });

  it('removes a deleted Workspace from snapshots and the cluster list', async () => {
    kaito = through({ watch: { backoff: BACKOFF } });
    const { seen } = await follow(kaito, 'phi', ready, 'phi Ready');
    await kube(
      env.sim,
      'DELETE',
      '/apis/kaito.sh/v1beta1/namespaces/default/workspaces/phi',
    );
    await waitFor(
      () => seen.at(-1)?.status === 'notFound' || undefined,
      'phi gone',
      30_000,
    );
    expect((await kaito.watcher.snapshot(KEY)).status).toBe('notFound');
    const [cluster] = await kaito.watcher.listAll();
    expect(cluster.workspaces.map(w => w.name)).not.toContain('phi');
    expect(cluster.workspaces.map(w => w.name)).toContain('quota');
  });

  it('says it lost contact, keeping the last known state, and recovers', async () => {
    const gate = await TcpGate.start(env.sim.url);
    try {
      kaito = kaitoFor(
        { ...env.sim, url: gate.url },
        { watch: { backoff: { minMs: 20, maxMs: 50 } } },
      );
      await follow(kaito, 'phi', ready, 'phi Ready');
      const k = kaito;
      gate.cut();
      const stale = await waitFor(async () => {
        const s = await k.watcher.snapshot(KEY);
        return /Lost contact/.test(s.message ?? '') ? s : undefined;
      }, 'the lost-contact message');
      expect(stale.message).toMatch(
        /^Lost contact with cluster 'sim' \(.+\); showing the last known state$/,
      );
      expect(stale.status).toBe('found');
      expect(stale.readiness?.phase).toBe('Ready');
      gate.heal();
      await waitFor(
        async () => {
          const s = await k.watcher.snapshot(KEY);
          return s.message === undefined && s.readiness?.phase === 'Ready';
        },
        'contact again',
        15_000,
      );
    } finally {
      await gate.stop();
    }
  });
});
