import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  startSimulator,
  RunningSimulator,
} from '@kaito-backstage/kaito-simulator';
import Database from 'better-sqlite3';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simConfig } from './__testUtils__/kit';
import { startScaffolder, template } from './__testUtils__/scaffolderBackend';

jest.setTimeout(300_000);

async function until<T>(
  probe: () => Promise<T | undefined>,
  what: string,
  ms = 150_000,
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
      timeoutMinutes: 5,
    },
  },
]);

/**
 * Stops the task's heartbeat from landing, as when its worker dies: a SQLite
 * trigger on the scaffolder's own database ignores heartbeat updates of a
 * processing task until the scaffolder records the task as recovered. The
 * heartbeat then fails, the row goes stale, and the next recovery pass (every
 * 10 s) reopens the task: no race with a wall clock.
 */
function freezeHeartbeats(dir: string) {
  const file = readdirSync(dir).find(f => f.includes('scaffolder'));
  if (!file) throw new Error(`no scaffolder database in ${dir}`);
  const db = new Database(join(dir, file));
  db.pragma('busy_timeout = 10000');
  db.exec(`
    CREATE TABLE kaito_test_freeze (frozen INTEGER NOT NULL);
    INSERT INTO kaito_test_freeze VALUES (1);
    CREATE TRIGGER kaito_test_drop_heartbeat BEFORE UPDATE OF last_heartbeat_at ON tasks
      WHEN OLD.status = 'processing' AND NEW.status = 'processing'
        AND (SELECT frozen FROM kaito_test_freeze) = 1
      BEGIN SELECT RAISE(IGNORE); END;
    CREATE TRIGGER kaito_test_thaw AFTER INSERT ON task_events
      WHEN NEW.event_type = 'recovered'
      BEGIN UPDATE kaito_test_freeze SET frozen = 0; END;
  `);
  db.close();
}

/**
 * Task recovery with the real scaffolder backend and database: a task whose
 * worker stops heart-beating is marked stale and resumed from its last
 * completed step; the KAITO steps already done are not run again, so no
 * second cluster or workspace is created.
 *
 * Not covered here: a real process restart. A stopped test backend keeps
 * running its task in the same Jest process (and closing its database under
 * it surfaces as an unhandled knex error), so the dead worker is imitated by
 * dropping its heartbeats in the database instead (see freezeHeartbeats).
 */
describe('task recovery (scaffolder.taskRecovery)', () => {
  let sim: RunningSimulator;
  let dir: string;

  beforeAll(async () => {
    sim = await startSimulator({
      log: () => {},
      arm: true,
      // Long enough that the first run is still waiting when recovery comes.
      timings: { nodeLaunchMs: 60_000 },
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
      // Once its heartbeats stop landing, a task is stale after 1 s.
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
      freezeHeartbeats(dir);
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
