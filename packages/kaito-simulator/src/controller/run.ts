import { WORKSPACES } from '../kube/resources';
import type { KubeObject } from '../kube/types';
import type { RunContext, RunDeps } from './context';
import type { SimulatorFault } from './faults';
import { InferenceLifecycle } from './inference';
import { Kubelet } from './kubelet';
import * as build from './objects';
import { Provisioner } from './provisioning';
import { ReleaseStatus } from './release';
import { parseWorkspaceSpec } from './spec';
import { runIdentity, RunTimers } from './runTimers';
import { WorkspaceStatusWriter } from './status';
import { TuningLifecycle } from './tuning';

export type { RunDeps } from './context';

/**
 * One Workspace's trip through the simulated KAITO controller, node
 * provisioner and kubelet: NodeClaims → nodes → workload → weights →
 * inference ready (or a tuning Job), with the faults of the fault table on
 * the way, and the status written as the configured KAITO release writes it.
 */
export class WorkspaceRun {
  readonly ws: build.WorkspaceIdentity;
  private readonly timers: RunTimers;
  private readonly c: RunContext;
  private readonly provisioner: Provisioner;

  constructor(d: RunDeps, obj: KubeObject, fault?: SimulatorFault) {
    this.ws = runIdentity(obj);
    this.timers = new RunTimers(e => d.onError(e), true);
    const spec = parseWorkspaceSpec(obj);
    this.c = {
      d,
      ws: this.ws,
      spec,
      status: new WorkspaceStatusWriter(
        d.store,
        d.version,
        this.ws.namespace,
        this.ws.name,
      ),
      release: new ReleaseStatus(d.version, spec.mode),
      fault,
      after: (ms, step) => this.timers.after(ms, step),
      nodes: { claims: [], names: [] },
      pod: { name: '', restarts: 0 },
    };
    const kubelet = new Kubelet(this.c);
    const inference = new InferenceLifecycle(this.c, kubelet);
    const tuning = new TuningLifecycle(this.c, kubelet);
    this.provisioner = new Provisioner(this.c, () =>
      spec.mode === 'tuning' ? tuning.start() : inference.createWorkload(),
    );
  }

  start(): void {
    this.provisioner.start();
  }

  cancel(): void {
    this.timers.cancel();
  }

  /** Finalizer work: NodeClaims and nodes go (they are not owned), then the finalizer. */
  finalize(): void {
    this.cancel();
    this.c.status.update(this.c.release.deleting());
    this.c.d.inference.remove(this.ws.namespace, this.ws.name);
    this.provisioner.removeNodes();
    this.c.d.store.mutate(WORKSPACES, this.ws.namespace, this.ws.name, ws => {
      ws.metadata.finalizers = (ws.metadata.finalizers ?? []).filter(
        f => f !== build.KAITO_FINALIZER,
      );
    });
  }
}
