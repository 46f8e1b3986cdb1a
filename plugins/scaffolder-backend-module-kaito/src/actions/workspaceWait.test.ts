import {
  startSimulator,
  RunningSimulator,
} from '@kaito-backstage/kaito-simulator';
import type { KaitoClusters } from '@kaito-backstage/plugin-kaito-node';
import { actionContext, clustersFor, simConfig } from '../__testUtils__/kit';
import { createWorkspaceApplyAction } from './workspaceApply';
import { createWorkspaceWaitAction } from './workspaceWait';

const ws = (name: string) => ({
  cluster: 'sim',
  namespace: 'default',
  name,
  model: 'phi-4-mini-instruct',
  instanceType: 'Standard_NC24ads_A100_v4',
});

jest.setTimeout(30_000);

describe('kaito:workspace:wait', () => {
  let sim: RunningSimulator;
  let clusters: KaitoClusters;

  beforeAll(async () => {
    sim = await startSimulator({
      log: () => {},
      faults: { 'default/oom': 'oomKilled', 'default/quota': 'quotaExceeded' },
    });
    clusters = clustersFor(simConfig(sim));
  });
  afterAll(async () => {
    await clusters?.stop();
    await sim?.stop();
  });

  const apply = (name: string) =>
    createWorkspaceApplyAction({ clusters }).handler(
      actionContext(ws(name)).ctx as any,
    );

  it('follows the phases to Ready, logging each with its reason and elapsed time', async () => {
    await apply('phi');
    const { ctx, outputs, lines } = actionContext({
      cluster: 'sim',
      workspace: 'default/phi',
      timeoutMinutes: 1,
    });
    await createWorkspaceWaitAction({ clusters }).handler(ctx as any);
    expect(outputs).toMatchObject({ phase: 'Ready', ready: true });
    const phases = lines.filter(l =>
      l.startsWith('info: Workspace default/phi: '),
    );
    expect(phases.length).toBeGreaterThan(1);
    expect(phases[phases.length - 1]).toMatch(
      /^info: Workspace default\/phi: Ready: .* \(after \d+s\)$/,
    );
  });

  it('fails with the OOM reason', async () => {
    await apply('oom');
    const { ctx } = actionContext({
      cluster: 'sim',
      workspace: 'default/oom',
      timeoutMinutes: 1,
    });
    await expect(
      createWorkspaceWaitAction({ clusters }).handler(ctx as any),
    ).rejects.toThrow(
      /^Workspace default\/oom failed \(.*oom.*\): .*(OOM|out of memory|memory)/i,
    );
  });

  it('fails with the quota reason', async () => {
    await apply('quota');
    const { ctx } = actionContext({
      cluster: 'sim',
      workspace: 'default/quota',
      timeoutMinutes: 1,
    });
    await expect(
      createWorkspaceWaitAction({ clusters }).handler(ctx as any),
    ).rejects.toThrow(
      /^Workspace default\/quota failed \(.*quota.*\): .*quota/i,
    );
  });

  it('gives up on timeout, leaves the Workspace and says where it is', async () => {
    const slow = await startSimulator({
      log: () => {},
      timings: { nodeLaunchMs: 60_000 },
    });
    const c = clustersFor(simConfig(slow));
    try {
      await createWorkspaceApplyAction({ clusters: c }).handler(
        actionContext(ws('slow')).ctx as any,
      );
      const { ctx } = actionContext({
        cluster: 'sim',
        workspace: 'default/slow',
        timeoutMinutes: 0.01,
      });
      await expect(
        createWorkspaceWaitAction({ clusters: c }).handler(ctx as any),
      ).rejects.toThrow(
        /^Gave up waiting for Workspace default\/slow on 'sim' after 1s; it is left in place\. Current phase \w+: /,
      );
    } finally {
      await c.stop();
      await slow.stop();
    }
  });

  it('stops when the task is cancelled', async () => {
    await apply('cancel');
    const abort = new AbortController();
    abort.abort();
    const { ctx } = actionContext(
      { cluster: 'sim', workspace: 'default/cancel' },
      { signal: abort.signal },
    );
    await expect(
      createWorkspaceWaitAction({ clusters }).handler(ctx as any),
    ).rejects.toThrow(/cancelled/);
  });

  it.each([
    [
      { workspace: 'default' },
      /^workspace: 'default' must be "<namespace>\/<name>"/,
    ],
    [{ workspace: 'Default/x' }, /^workspace namespace: /],
    [{ cluster: 'nope' }, /^cluster: Cluster 'nope' is not configured/],
  ])('rejects %j naming the field', async (override, message) => {
    const { ctx } = actionContext({
      cluster: 'sim',
      workspace: 'default/phi',
      ...override,
    });
    await expect(
      createWorkspaceWaitAction({ clusters }).handler(ctx as any),
    ).rejects.toThrow(message);
  });
});
