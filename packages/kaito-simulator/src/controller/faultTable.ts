import type { SimulatorFault } from './faults';

/** Where in the lifecycle a fault strikes. */
export type FaultStage =
  | 'launch'
  | 'containerStart'
  | 'weightsLoaded'
  | 'afterReady'
  | 'benchmark'
  | 'tuningRun';

/** What happens there. */
export type FaultEffect =
  | { kind: 'launchFailed'; cause: 'quota' }
  | { kind: 'imagePull' }
  | { kind: 'gated' }
  | { kind: 'crash'; exit: 'oom' | 'error' }
  | { kind: 'tuningOom' }
  | { kind: 'benchmarkFailed' };

export interface FaultRow {
  stage: FaultStage;
  effect: FaultEffect;
  /** Applies to inference, tuning or both. */
  modes: Array<'inference' | 'tuning'>;
  /** What a real cluster shows, for the README and the tests. */
  description: string;
}

/** Every scripted fault in one place: where it strikes and what it does. */
export const FAULT_TABLE: Record<SimulatorFault, FaultRow[]> = {
  quotaExceeded: [
    {
      stage: 'launch',
      effect: { kind: 'launchFailed', cause: 'quota' },
      modes: ['inference', 'tuning'],
      description:
        "Karpenter marks the NodeClaim Launched=Unknown/LaunchFailed with Azure's quota error and keeps retrying",
    },
  ],
  oomKilled: [
    {
      stage: 'weightsLoaded',
      effect: { kind: 'crash', exit: 'oom' },
      modes: ['inference'],
      description:
        'the inference container is OOMKilled (exit 137) while loading and crash-loops',
    },
    {
      stage: 'tuningRun',
      effect: { kind: 'tuningOom' },
      modes: ['tuning'],
      description: 'the tuning pod is OOMKilled and the Job fails',
    },
  ],
  imagePullError: [
    {
      stage: 'containerStart',
      effect: { kind: 'imagePull' },
      modes: ['inference', 'tuning'],
      description:
        'the first image (an adapter, else the base image) cannot be pulled: ImagePullBackOff',
    },
  ],
  crashLoopWhileReady: [
    {
      stage: 'afterReady',
      effect: { kind: 'crash', exit: 'error' },
      modes: ['inference'],
      description:
        'the serving container starts crashing after Ready (KAITO #931): ≤ 0.8 stays Ready, 0.9+ turns NotReady',
    },
  ],
  crashLoop: [
    {
      stage: 'weightsLoaded',
      effect: { kind: 'crash', exit: 'error' },
      modes: ['inference'],
      description:
        'the inference container exits 1 while starting and crash-loops',
    },
  ],
  gatedModelWithoutToken: [
    {
      stage: 'containerStart',
      effect: { kind: 'gated' },
      modes: ['inference'],
      description:
        'Hugging Face answers 401: ≤ 0.10 with a named but missing Secret cannot create the container; otherwise it starts and exits 1 with the 401 only in its log',
    },
  ],
  benchmarkFailed: [
    {
      stage: 'benchmark',
      effect: { kind: 'benchmarkFailed' },
      modes: ['inference'],
      description:
        'the post-load benchmark (v0.10 with kaito.sh/run-benchmark, v0.11+ by default, vLLM presets) fails: the model serves, BenchmarkCompleted and WorkspaceSucceeded are False/BenchmarkFailed, state NotReady; no effect where no benchmark runs',
    },
  ],
};

/** The fault's effect at `stage` for this mode, if it strikes there. */
export function faultAt(
  fault: SimulatorFault | undefined,
  stage: FaultStage,
  mode: 'inference' | 'tuning',
): FaultEffect | undefined {
  if (!fault) return undefined;
  return FAULT_TABLE[fault].find(
    r => r.stage === stage && r.modes.includes(mode),
  )?.effect;
}
