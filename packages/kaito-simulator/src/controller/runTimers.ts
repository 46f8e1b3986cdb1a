import type { KubeObject } from '../kube/types';

/** Who a run acts for: the object's namespace, name, uid and apiVersion (for owner references). */
export function runIdentity(obj: KubeObject) {
  const m = obj.metadata;
  return {
    namespace: m.namespace!,
    name: m.name!,
    uid: m.uid!,
    apiVersion: String(obj.apiVersion),
  };
}

/**
 * The delayed steps of one object's run (Workspace, RAGEngine): each step runs
 * once after its delay, its error goes to `onError`, and `cancel()` drops the
 * steps still waiting. Timers are unref'd so a run never holds the process.
 */
export class RunTimers {
  private readonly timers = new Set<NodeJS.Timeout>();
  private cancelled = false;

  /**
   * @param skipAfterCancel - also skip steps scheduled after `cancel()` (the
   *   Workspace run's behaviour; the RAGEngine run still runs them).
   */
  constructor(
    private readonly onError: (err: unknown) => void,
    private readonly skipAfterCancel = false,
  ) {}

  after(ms: number, step: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (this.skipAfterCancel && this.cancelled) return;
      try {
        step();
      } catch (e) {
        this.onError(e);
      }
    }, ms);
    t.unref();
    this.timers.add(t);
  }

  cancel(): void {
    this.cancelled = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
