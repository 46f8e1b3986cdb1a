import { WorkspaceSnapshot } from '@kaito-backstage/plugin-kaito-common';
import { KaitoClusters } from '../service';
import { followWorkspace } from '../__testUtils__/followWorkspace';
import { kaitoFor, kube, waitFor, workspace } from '../__testUtils__/simulator';
import { simulatorBehindProxy } from '../__testUtils__/simulatorBehindProxy';

// The log of a crashed inference container, read through the simulator's
// pods/log API (client-node), bounded, redacted, cached per crash, and handed
// to readiness so the snapshot names the cause.

const BACKOFF = { minMs: 20, maxMs: 200 };
const fault = (f: string) => ({
  annotations: { 'kaito.simulator/fault': f },
});

describe('ContainerLogs', () => {
  let kaito: KaitoClusters | undefined;
  jest.setTimeout(60_000);
  const env = simulatorBehindProxy({
    seed: () => [
      workspace('oom', 'default', fault('oomKilled')),
      workspace('crash', 'default', fault('crashLoop')),
      workspace('fine'),
    ],
    beforeStop: async () => {
      await kaito?.stop();
      kaito = undefined;
    },
  });

  /** Follows one Workspace's snapshots until predicate holds; fails after a generous deadline. */
  const follow = async (
    k: KaitoClusters,
    name: string,
    predicate: (s: WorkspaceSnapshot) => boolean,
    what: string,
  ) => {
    const key = { cluster: 'sim', namespace: 'default', name };
    const { match, unsubscribe } = await followWorkspace(
      k,
      key,
      predicate,
      what,
    );
    unsubscribe();
    return match;
  };
  const logReads = (pod: string) =>
    env.proxy.requests.filter(
      r => r.path === `/api/v1/namespaces/default/pods/${pod}/log`,
    );
  const podOf = (name: string) =>
    waitFor(
      async () =>
        (
          await kube(
            env.sim,
            'GET',
            `/api/v1/namespaces/default/pods?labelSelector=kaito.sh/workspace=${name}`,
          )
        ).items[0]?.metadata.name as string | undefined,
      `the pod of ${name}`,
      20_000,
    );

  it('reads the crashed container log once per crash, bounded, and readiness names the cause from it', async () => {
    kaito = env.through({
      watch: {
        backoff: BACKOFF,
        // A re-read only after this long: the crash loop's later restarts reuse the first read.
        containerLogs: { refreshMs: 600_000 },
      },
    });
    const s = await follow(
      kaito,
      'oom',
      x => x.readiness?.containerLog?.cause === 'oom',
      'the OOM cause read from the log',
    );
    const pod = await podOf('oom');
    expect(s.readiness!.containerLog).toMatchObject({
      pod,
      container: 'oom',
      lines: expect.arrayContaining([
        expect.stringContaining('CUDA out of memory'),
      ]),
    });
    const [read, ...more] = logReads(pod);
    expect(read.method).toBe('GET');
    expect(Object.fromEntries(read.query)).toEqual({
      container: 'oom',
      tailLines: '50',
      limitBytes: '16384',
    });
    // The container keeps crashing; its pod's restart count grows, and the log is not read again.
    const first = await kube(
      env.sim,
      'GET',
      `/api/v1/namespaces/default/pods/${pod}`,
    );
    const count = first.status.containerStatuses[0].restartCount as number;
    await waitFor(
      async () =>
        (
          await kube(env.sim, 'GET', `/api/v1/namespaces/default/pods/${pod}`)
        ).status.containerStatuses[0].restartCount >=
        count + 2,
      'two more restarts',
      30_000,
    );
    // Readiness counts the restarts it saw: the cache has the newer pod.
    await follow(
      kaito,
      'oom',
      x => (x.readiness?.attempts ?? 0) >= count + 2,
      'a snapshot with the newer restarts',
    );
    expect(more).toEqual([]);
    expect(logReads(pod)).toHaveLength(1);
  });

  it('reads again after a new crash, redacts secrets and keeps at most limitBytes', async () => {
    kaito = env.through({
      watch: {
        backoff: BACKOFF,
        containerLogs: { refreshMs: 1, limitBytes: 300, tailLines: 10 },
      },
    });
    // A viewer makes the cache derive readiness, and so read the log.
    const seen = follow(
      kaito,
      'crash',
      x => x.readiness?.containerLog?.cause === 'oom',
      'the log written after the first read',
    );
    const pod = await podOf('crash');
    // The first crash's log is read (empty: the simulator writes nothing for a plain crash).
    await env.proxy.until(
      () => logReads(pod).some(r => !r.open),
      'the first log read',
      45_000,
    );
    // The scripted crash's output: a token in the environment dump, a bearer header, then the OOM.
    env.sim.writeContainerLog('default', pod, 'crash', [
      'HF_TOKEN=hf_abcdefghijklmnop1234',
      'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.c2VjcmV0cGFydA',
      'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB.',
      'x'.repeat(500),
    ]);
    const s = await seen;
    const log = s.readiness!.containerLog!;
    expect(log.lines[0]).toBe('HF_TOKEN=***');
    expect(log.lines[1]).toBe('Authorization: Bearer ***');
    const text = JSON.stringify(s);
    expect(text).not.toContain('hf_abcdefghijklmnop1234');
    expect(text).not.toContain('c2VjcmV0cGFydA');
    // The server cut the long line at limitBytes (of the raw text, before redaction).
    expect(Buffer.byteLength(log.lines.join('\n'))).toBeLessThanOrEqual(300);
    expect(log.lines[3]).toMatch(/^x+$/);
    expect(logReads(pod).length).toBeGreaterThanOrEqual(2);
    for (const r of logReads(pod)) {
      expect(r.query.get('limitBytes')).toBe('300');
      expect(r.query.get('tailLines')).toBe('10');
    }
  });

  it('reads nothing when containerLogs.enabled is false, and a healthy Workspace is never read', async () => {
    kaito = env.through({
      watch: { backoff: BACKOFF, containerLogs: { enabled: false } },
    });
    await follow(
      kaito,
      'oom',
      x => x.readiness?.cause === 'oom',
      'the OOM verdict without a log',
    ).then(s => expect(s.readiness!.containerLog).toBeUndefined());
    await follow(kaito, 'fine', x => x.readiness?.phase === 'Ready', 'Ready');
    expect(env.proxy.requests.filter(r => r.path.endsWith('/log'))).toEqual([]);
    await kaito.stop();

    kaito = env.through({ watch: { backoff: BACKOFF } });
    await follow(kaito, 'fine', x => x.readiness?.phase === 'Ready', 'Ready');
    await follow(kaito, 'oom', x => !!x.readiness?.containerLog, 'the OOM log');
    const reads = env.proxy.requests.filter(r => r.path.endsWith('/log'));
    expect(reads.length).toBeGreaterThanOrEqual(1);
    expect(reads.every(r => r.path.includes('/pods/oom-'))).toBe(true);
  });

  it('refuses settings that would not bound a read', () => {
    expect(() =>
      kaitoFor(env.sim, { watch: { containerLogs: { tailLines: 0 } } }),
    ).toThrow(
      /kaito.watch.containerLogs.tailLines must be a whole number from 1 to 1000; got 0/,
    );
    expect(() =>
      kaitoFor(env.sim, { watch: { containerLogs: { limitBytes: 5e6 } } }),
    ).toThrow(/limitBytes must be a whole number from 1 to 1048576/);
  });
});
