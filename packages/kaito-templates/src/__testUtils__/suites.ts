/* Test-only: the simulator and a portal started once per test file, stopped after it. */
import type { Entity } from '@backstage/catalog-model';
import {
  RunningSimulator,
  startSimulator,
} from '@kaito-backstage/kaito-simulator';
import {
  runTask,
  startDryRunPortal,
  startPortal,
  waitForEntity,
} from './portal';

type SimulatorOptions = Parameters<typeof startSimulator>[0];

/** What {@link useDryRunPortal} gives a test file; filled in by its `beforeAll`. */
export interface DryRunSuite<S> {
  sim: RunningSimulator;
  server: any;
  /** The state `state` read once the portal was up, for "a dry run leaves it untouched". */
  before: S;
}

/**
 * Registers `beforeAll`/`afterAll`: the simulator, `seed` on it, the scaffolder
 * backend for dry runs with a fixed catalog of `entities`, and `state` read.
 */
export function useDryRunPortal<S>(opts: {
  simulator: SimulatorOptions;
  seed?: (sim: RunningSimulator) => Promise<void>;
  entities: Entity[];
  state: (sim: RunningSimulator) => Promise<S>;
}): DryRunSuite<S> {
  const s = {} as DryRunSuite<S>;
  let stop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    s.sim = await startSimulator(opts.simulator);
    await opts.seed?.(s.sim);
    const backend = await startDryRunPortal(s.sim, opts.entities);
    s.server = backend.server;
    stop = () => backend.stop();
    s.before = await opts.state(s.sim);
  });
  afterAll(async () => {
    await stop?.();
    await s.sim?.stop();
  });
  return s;
}

/** What {@link useRealPortal} gives a test file; filled in by its `beforeAll`. */
export interface RealPortalSuite {
  sim: RunningSimulator;
  portal: Awaited<ReturnType<typeof startPortal>>;
}

/**
 * Registers `beforeAll`/`afterAll`: the simulator and the whole portal (real
 * catalog with the KAITO provider, scaffolder, KAITO backend) with `templates`
 * registered and in the catalog.
 */
export function useRealPortal(
  simulator: SimulatorOptions,
  templates: string[],
): RealPortalSuite {
  const s = {} as RealPortalSuite;
  beforeAll(async () => {
    s.sim = await startSimulator(simulator);
    s.portal = await startPortal(s.sim, templates);
    for (const name of templates) {
      await waitForEntity(s.portal.baseUrl, { kind: 'template', name });
    }
  });
  afterAll(async () => {
    await s.portal?.stop();
    await s.sim?.stop();
  });
  return s;
}

/** Expects a task completed; otherwise the failure shows its log. */
export function expectCompleted(run: Awaited<ReturnType<typeof runTask>>) {
  expect({
    status: run.status,
    log: run.status === 'completed' ? [] : run.log,
  }).toEqual({ status: 'completed', log: [] });
}

/** kaito-workspace form values: Phi-4-mini on an A100 in team-a on cluster `sim`, applied directly, waited for (2 min). */
export function directWorkspaceValues(name: string) {
  return {
    name,
    namespace: 'team-a',
    cluster: 'sim',
    model: 'microsoft/Phi-4-mini-instruct',
    instanceType: 'Standard_NC24ads_A100_v4',
    runtime: 'vllm',
    adapters: [],
    owner: 'user:default/mock',
    mode: 'direct',
    waitForReady: true,
    timeoutMinutes: 2,
  };
}
