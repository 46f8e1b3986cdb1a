import { RAGENGINES } from '../kube/resources';
import type { StoreEvent } from '../kube/store';
import type { KubeObject } from '../kube/types';
import { FAULT_ANNOTATION, isFault, SimulatorFault } from './faults';
import { RAGENGINE_FINALIZER } from './ragengineObjects';
import { RagEngineRun, RagRunDeps } from './ragengineRun';

/**
 * The simulated KAITO RAGEngine controller: one run per RAGEngine, started
 * on creation, finalized on deletion, reacting to store events as a real
 * controller reacts to its informer.
 */
export class RagEngineController {
  private readonly runs = new Map<string, RagEngineRun>();
  private unsubscribe?: () => void;
  private stopped = false;

  constructor(
    private readonly d: RagRunDeps,
    private readonly faults: Record<string, SimulatorFault>,
  ) {}

  start(): void {
    this.unsubscribe = this.d.store.subscribe(ev => {
      if (ev.resource !== RAGENGINES) return;
      queueMicrotask(() => this.onEvent(ev));
    });
    for (const r of this.d.store.list(RAGENGINES)) this.reconcile(r);
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe?.();
    for (const r of this.runs.values()) r.cancel();
    this.runs.clear();
  }

  private faultFor(obj: KubeObject): SimulatorFault | undefined {
    const configured =
      this.faults[`${obj.metadata.namespace}/${obj.metadata.name}`];
    if (configured) return configured;
    const annotated = obj.metadata.annotations?.[FAULT_ANNOTATION];
    return isFault(annotated) ? annotated : undefined;
  }

  private onEvent(ev: StoreEvent): void {
    if (this.stopped) return;
    try {
      const key = `${ev.object.metadata.namespace}/${ev.object.metadata.name}`;
      if (ev.type === 'DELETED') {
        const run = this.runs.get(key);
        if (run && run.id.uid === ev.object.metadata.uid) {
          run.cancel();
          this.runs.delete(key);
          this.d.rag.remove(run.id.namespace, run.id.name);
        }
        return;
      }
      const current = this.d.store.peek(
        RAGENGINES,
        ev.object.metadata.namespace,
        ev.object.metadata.name!,
      );
      if (current && current.metadata.uid === ev.object.metadata.uid)
        this.reconcile(current);
    } catch (e) {
      this.d.onError(e);
    }
  }

  private reconcile(obj: KubeObject): void {
    const key = `${obj.metadata.namespace}/${obj.metadata.name}`;
    let run = this.runs.get(key);
    if (run && run.id.uid !== obj.metadata.uid) {
      run.cancel();
      run = undefined;
    }
    if (obj.metadata.deletionTimestamp) {
      if (!obj.metadata.finalizers?.includes(RAGENGINE_FINALIZER)) return;
      const finalizer =
        run ?? new RagEngineRun(this.d, obj, this.faultFor(obj));
      this.runs.delete(key);
      finalizer.finalize();
      return;
    }
    if (run) {
      run.respec(obj);
      return;
    }
    run = new RagEngineRun(this.d, obj, this.faultFor(obj));
    this.runs.set(key, run);
    run.start();
  }
}
