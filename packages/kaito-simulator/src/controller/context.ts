import type { InferenceRegistry } from '../inference/registry';
import type { ObjectStore } from '../kube/store';
import type { EventRecorder } from './events';
import type { SimulatorFault } from './faults';
import type { WorkspaceIdentity } from './objects';
import type { ReleaseStatus } from './release';
import type { WorkspaceSpec } from './spec';
import type { WorkspaceStatusWriter } from './status';
import type { SimulatorTimings } from './timings';
import type { ControllerVersion } from './version';

export interface RunDeps {
  store: ObjectStore;
  timings: SimulatorTimings;
  version: ControllerVersion;
  inference: InferenceRegistry;
  events: EventRecorder;
  location: string;
  tokensPerSecond: number;
  maxConcurrency: number;
  /** Container logs by `<namespace>/<pod>/<container>`, for the pods/log API. */
  logs?: Map<string, string>;
  onError(err: unknown): void;
}

/** What the parts of one Workspace's run share. */
export interface RunContext {
  d: RunDeps;
  ws: WorkspaceIdentity;
  spec: WorkspaceSpec;
  status: WorkspaceStatusWriter;
  release: ReleaseStatus;
  fault?: SimulatorFault;
  /** Runs `step` after `ms` unless the run was cancelled. */
  after(ms: number, step: () => void): void;
  nodes: { claims: string[]; names: string[] };
  pod: { name: string; restarts: number };
}
