import type { InferenceRegistry } from '../inference/registry';
import { WORKSPACES } from '../kube/resources';
import type { ObjectStore, StoreEvent } from '../kube/store';
import { KubeObject } from '../kube/types';
import { EventRecorder } from './events';
import { FAULT_ANNOTATION, isFault, SimulatorFault } from './faults';
import { WorkspaceRun } from './run';
import { SimulatorTimings } from './timings';
import { ControllerVersion } from './version';

export interface ControllerOptions {
  store: ObjectStore;
  inference: InferenceRegistry;
  timings: SimulatorTimings;
  version: ControllerVersion;
  /** Faults by `<namespace>/<name>`. */
  faults: Record<string, SimulatorFault>;
  /** Azure region named in quota errors. */
  location: string;
  tokensPerSecond: number;
  maxConcurrency: number;
  /** Container logs by `<namespace>/<pod>/<container>`, served by the pods/log API. */
  logs?: Map<string, string>;
  onError?(err: unknown): void;
}

/**
 * The simulated KAITO workspace controller: one run per Workspace, started
 * on creation, finalized on deletion. Reacts asynchronously to store events,
 * as a real controller reacts to its informer.
 */
export class KaitoController {
  private readonly runs = new Map<string, WorkspaceRun>();
  private readonly events: EventRecorder;
  private unsubscribe?: () => void;
  private stopped = false;

  constructor(private readonly o: ControllerOptions) {
    this.events = new EventRecorder(o.store);
  }

  start(): void {
    this.unsubscribe = this.o.store.subscribe(ev => {
      if (ev.resource !== WORKSPACES) return;
      queueMicrotask(() => this.onEvent(ev));
    });
    for (const ws of this.o.store.list(WORKSPACES)) this.reconcile(ws);
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe?.();
    for (const r of this.runs.values()) r.cancel();
    this.runs.clear();
  }

  /** The fault a workspace runs with: simulator config wins over the annotation. */
  faultFor(ws: KubeObject): SimulatorFault | undefined {
    const key = `${ws.metadata.namespace}/${ws.metadata.name}`;
    const configured = this.o.faults[key];
    if (configured) return configured;
    const annotated = ws.metadata.annotations?.[FAULT_ANNOTATION];
    return isFault(annotated) ? annotated : undefined;
  }

  private onEvent(ev: StoreEvent): void {
    if (this.stopped) return;
    try {
      if (ev.type === 'DELETED') {
        const key = `${ev.object.metadata.namespace}/${ev.object.metadata.name}`;
        const run = this.runs.get(key);
        if (run && run.ws.uid === ev.object.metadata.uid) {
          run.cancel();
          this.runs.delete(key);
          this.o.inference.remove(run.ws.namespace, run.ws.name);
        }
        return;
      }
      // Always act on the latest state, not the (possibly stale) event snapshot.
      const current = this.o.store.peek(
        WORKSPACES,
        ev.object.metadata.namespace,
        ev.object.metadata.name!,
      );
      if (current && current.metadata.uid === ev.object.metadata.uid)
        this.reconcile(current);
    } catch (e) {
      this.o.onError?.(e);
    }
  }

  private reconcile(ws: KubeObject): void {
    const key = `${ws.metadata.namespace}/${ws.metadata.name}`;
    let run = this.runs.get(key);
    if (run && run.ws.uid !== ws.metadata.uid) {
      run.cancel();
      run = undefined;
    }
    if (ws.metadata.deletionTimestamp) {
      if (!ws.metadata.finalizers?.includes('workspace.finalizer.kaito.sh'))
        return;
      const finalizer = run ?? this.newRun(ws);
      this.runs.delete(key);
      finalizer.finalize();
      return;
    }
    if (run) return;
    run = this.newRun(ws);
    this.runs.set(key, run);
    run.start();
  }

  private newRun(ws: KubeObject): WorkspaceRun {
    return new WorkspaceRun(
      {
        store: this.o.store,
        timings: this.o.timings,
        version: this.o.version,
        inference: this.o.inference,
        events: this.events,
        location: this.o.location,
        tokensPerSecond: this.o.tokensPerSecond,
        maxConcurrency: this.o.maxConcurrency,
        logs: this.o.logs,
        onError: e => this.o.onError?.(e),
      },
      ws,
      this.faultFor(ws),
    );
  }
}
