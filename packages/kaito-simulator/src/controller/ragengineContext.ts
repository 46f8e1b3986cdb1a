import type { ObjectStore } from '../kube/store';
import type { WorkspaceResolver } from '../rag/llm';
import type { RagRegistry } from '../rag/registry';
import type { EventRecorder } from './events';
import type { SimulatorFault } from './faults';
import type { RagIdentity } from './ragengineObjects';
import type { RagEngineSpec } from './ragengineSpec';
import type { RagEngineStatusWriter } from './ragengineStatus';
import type { SimulatorTimings } from './timings';

export interface RagRunDeps {
  store: ObjectStore;
  timings: SimulatorTimings;
  rag: RagRegistry;
  resolveWorkspace: WorkspaceResolver;
  events: EventRecorder;
  location: string;
  /** Container logs by `<namespace>/<pod>/<container>`, for the pods/log API. */
  logs?: Map<string, string>;
  onError(err: unknown): void;
}

/** What the parts of one RAGEngine's run share. */
export interface RagRunContext {
  d: RagRunDeps;
  id: RagIdentity;
  /** Replaced when the spec changes. */
  spec: RagEngineSpec;
  status: RagEngineStatusWriter;
  fault?: SimulatorFault;
  /** Runs `step` after `ms` unless the run was cancelled. */
  after(ms: number, step: () => void): void;
}
