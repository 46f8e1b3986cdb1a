import {
  RunningSimulator,
  startSimulator,
} from '@kaito-backstage/kaito-simulator';
import type { KaitoClusters } from '../service';
import { RecordingProxy } from './RecordingProxy';
import { kaitoFor } from './simulator';

/** A fresh simulator for each test, reached through a recording proxy. */
export interface SimulatorBehindProxy {
  /** The simulator of the running test. */
  readonly sim: RunningSimulator;
  /** The proxy in front of it, recording every request. */
  readonly proxy: RecordingProxy;
  /** KaitoClusters with the simulator, through the proxy, as its only cluster. */
  through(extra?: Record<string, unknown>): KaitoClusters;
}

/**
 * Registers the hooks that start a simulator seeded with `seed()` and a
 * recording proxy in front of it before each test, and stop both after it:
 * `beforeStop` first, to stop what the test started on them.
 */
export function simulatorBehindProxy(options: {
  seed: () => object[];
  beforeStop?: () => Promise<void>;
}): SimulatorBehindProxy {
  let sim: RunningSimulator | undefined;
  let proxy: RecordingProxy | undefined;
  beforeEach(async () => {
    sim = await startSimulator({ log: () => {}, seed: options.seed() });
    proxy = await RecordingProxy.start(sim.url);
  });
  afterEach(async () => {
    await options.beforeStop?.();
    await proxy?.stop();
    await sim?.stop();
    proxy = undefined;
    sim = undefined;
  });
  const running = <T>(v: T | undefined, what: string): T => {
    if (!v) throw new Error(`no ${what}: only a test (or its hooks) has one`);
    return v;
  };
  return {
    get sim() {
      return running(sim, 'simulator');
    },
    get proxy() {
      return running(proxy, 'proxy');
    },
    through(extra = {}) {
      const s = running(sim, 'simulator');
      return kaitoFor({ ...s, url: running(proxy, 'proxy').url }, extra);
    },
  };
}
