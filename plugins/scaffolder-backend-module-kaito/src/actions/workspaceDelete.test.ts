import {
  startSimulator,
  RunningSimulator,
} from '@kaito-backstage/kaito-simulator';
import type { KaitoClusters } from '@kaito-backstage/plugin-kaito-node';
import {
  actionContext,
  clustersFor,
  kube,
  simConfig,
} from '../__testUtils__/kit';
import { createWorkspaceApplyAction } from './workspaceApply';
import { createWorkspaceDeleteAction } from './workspaceDelete';
import { createWorkspaceWaitAction } from './workspaceWait';

jest.setTimeout(30_000);

describe('kaito:workspace:delete', () => {
  let sim: RunningSimulator;
  let clusters: KaitoClusters;

  beforeAll(async () => {
    sim = await startSimulator({ log: () => {} });
    clusters = clustersFor(simConfig(sim));
  });
  afterAll(async () => {
    await clusters?.stop();
    await sim?.stop();
  });

  it('deletes a Ready Workspace and waits until it and its NodeClaims are gone', async () => {
    await createWorkspaceApplyAction({ clusters }).handler(
      actionContext({
        cluster: 'sim',
        namespace: 'default',
        name: 'phi',
        model: 'phi-4-mini-instruct',
        instanceType: 'Standard_NC48ads_A100_v4',
      }).ctx as any,
    );
    await createWorkspaceWaitAction({ clusters }).handler(
      actionContext({
        cluster: 'sim',
        workspace: 'default/phi',
        timeoutMinutes: 1,
      }).ctx as any,
    );
    const claims = await kube(
      sim,
      '/apis/karpenter.sh/v1/nodeclaims?labelSelector=kaito.sh/workspace%3Dphi',
    );
    expect(claims.body.items.length).toBeGreaterThan(0);

    const { ctx, outputs, lines } = actionContext({
      cluster: 'sim',
      workspace: 'default/phi',
    });
    await createWorkspaceDeleteAction({ clusters, pollMs: 20 }).handler(
      ctx as any,
    );
    expect(outputs).toEqual({ deleted: true });
    expect(lines).toContain(
      'info: Workspace default/phi and its NodeClaims are gone',
    );
    expect(
      (
        await kube(
          sim,
          '/apis/kaito.sh/v1beta1/namespaces/default/workspaces/phi',
        )
      ).status,
    ).toBe(404);
    const after = await kube(
      sim,
      '/apis/karpenter.sh/v1/nodeclaims?labelSelector=kaito.sh/workspace%3Dphi',
    );
    expect(after.body.items).toEqual([]);
  });

  it('is a no-op for a Workspace that is already gone, and a retried step deletes once', async () => {
    const checkpoints = new Map<string, unknown>();
    const action = createWorkspaceDeleteAction({ clusters, pollMs: 20 });
    const first = actionContext(
      { cluster: 'sim', workspace: 'default/never' },
      { checkpoints },
    );
    await action.handler(first.ctx as any);
    expect(first.outputs).toEqual({ deleted: false });
    expect(first.lines).toContain(
      "info: Workspace default/never was already gone on 'sim'",
    );
    expect([...checkpoints.keys()]).toEqual([
      'kaito.workspace.delete.sim.default/never',
    ]);
  });

  it('dry run only reads', async () => {
    await createWorkspaceApplyAction({ clusters }).handler(
      actionContext({
        cluster: 'sim',
        namespace: 'default',
        name: 'keep',
        model: 'phi-4-mini-instruct',
        instanceType: 'Standard_NC24ads_A100_v4',
      }).ctx as any,
    );
    const { ctx, outputs } = actionContext(
      { cluster: 'sim', workspace: 'default/keep' },
      { isDryRun: true },
    );
    await createWorkspaceDeleteAction({ clusters, pollMs: 20 }).handler(
      ctx as any,
    );
    expect(outputs).toEqual({ deleted: true });
    expect(
      (
        await kube(
          sim,
          '/apis/kaito.sh/v1beta1/namespaces/default/workspaces/keep',
        )
      ).status,
    ).toBe(200);
  });

  it('rejects a malformed workspace reference', async () => {
    const { ctx } = actionContext({ cluster: 'sim', workspace: 'a/b/c' });
    await expect(
      createWorkspaceDeleteAction({ clusters }).handler(ctx as any),
    ).rejects.toThrow(/^workspace: 'a\/b\/c' must be "<namespace>\/<name>"/);
  });
});
