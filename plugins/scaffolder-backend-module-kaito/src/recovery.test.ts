import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  startSimulator,
  RunningSimulator,
} from '@kaito-backstage/kaito-simulator';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simConfig } from './__testUtils__/kit';
import { startScaffolder, template } from './__testUtils__/scaffolderBackend';

jest.setTimeout(180_000);

async function until<T>(
  probe: () => Promise<T | undefined>,
  what: string,
  ms = 90_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 200));
  }
}

const tpl = template([
  {
    id: 'aks',
    action: 'kaito:aks:create',
    input: {
      resourceGroup: 'rg-rec',
      location: 'eastus',
      name: 'aks-rec',
      systemPoolCount: 1,
    },
  },
  {
    id: 'ws',
    action: 'kaito:workspace:apply',
    input: {
      cluster: '${{ steps.aks.output.clusterName }}',
      namespace: 'default',
      name: 'phi',
      model: 'phi-4-mini-instruct',
      instanceType: 'Standard_NC24ads_A100_v4',
    },
  },
  {
    id: 'wait',
    action: 'kaito:workspace:wait',
    input: {
      cluster: '${{ steps.aks.output.clusterName }}',
      workspace: '${{ steps.ws.output.workspace }}',
      timeoutMinutes: 1,
    },
  },
]);

/**
 * Task recovery with the real scaffolder backend and database: a task whose
 * worker stops heart-beating is marked stale and resumed from its last
 * completed step; the KAITO steps already done are not run again, so no
 * second cluster or workspace is created.
 *
 * Not covered here: a real process restart. A stopped test backend keeps
 * running its task in the same Jest process (and closing its database under
 * it surfaces as an unhandled knex error), so the stale worker is imitated
 * with a heartbeat slower than `staleTimeout` instead.
 */
describe('task recovery (scaffolder.taskRecovery)', () => {
  let sim: RunningSimulator;
  let dir: string;

  beforeAll(async () => {
    sim = await startSimulator({
      log: () => {},
      arm: true,
      timings: { nodeLaunchMs: 30_000 },
    });
    dir = mkdtempSync(join(tmpdir(), 'kaito-recovery-'));
  });
  afterAll(async () => {
    await sim?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('resumes a stale task from the last completed step without creating twice', async () => {
    const config = {
      ...simConfig(sim),
      backend: {
        database: { client: 'better-sqlite3', connection: { directory: dir } },
      },
      // The worker heart-beats every second; 1 s makes the running task stale at once.
      scaffolder: {
        taskRecovery: { enabled: true, staleTimeout: { seconds: 1 } },
      },
    };
    const scaffolder = await startScaffolder(config, [
      databaseServiceFactory,
      catalogServiceMock.factory({ entities: [tpl as any] }),
    ]);
    try {
      const created = await scaffolder.post('/api/scaffolder/v2/tasks', {
        templateRef: 'template:default/kaito-test',
        values: {},
      });
      expect(created.status).toBe(201);
      const id = created.body.id;
      const messages = async () =>
        (
          (await scaffolder.get(`/api/scaffolder/v2/tasks/${id}/events`))
            .body as any[]
        ).map(e => String(e.body?.message ?? ''));
      await until(
        async () =>
          (
            await messages()
          ).some(m => m.includes('Workspace default/phi: ProvisioningNodes'))
            ? true
            : undefined,
        'the wait step to start',
      );
      // From here a second PUT of the cluster would fail the task.
      sim.armFaults!.inject({
        status: 400,
        code: 'SecondCreate',
        method: 'PUT',
        pathIncludes: '/managedClusters/aks-rec',
        times: 100,
      });
      const task = await until(async () => {
        const t = (await scaffolder.get(`/api/scaffolder/v2/tasks/${id}`)).body;
        return ['completed', 'failed', 'cancelled'].includes(t.status)
          ? t
          : undefined;
      }, 'the task to finish');
      const log = (await messages()).join('\n');
      expect(log).toContain(
        'Task recovered - resuming from last known good state. 2 step(s) already completed.',
      );
      expect(log).toContain(
        'Skipping step aks because it was already completed in a previous run',
      );
      expect(log).toContain(
        'Skipping step ws because it was already completed in a previous run',
      );
      expect(task.status).toBe('completed');
      expect(Object.keys(sim.armClusters())).toEqual(['rg-rec/aks-rec']);
    } finally {
      await scaffolder.stop();
    }
  });
});
