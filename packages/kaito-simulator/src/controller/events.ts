import { EVENTS } from '../kube/resources';
import type { ObjectStore } from '../kube/store';
import { KubeObject, nowIso } from '../kube/types';
import { event, EventInput } from './objects';

/** Records core/v1 Events, folding repeats into `count` like the kubelet's event aggregator. */
export class EventRecorder {
  private readonly seen = new Map<string, string>();

  constructor(private readonly store: ObjectStore) {}

  record(e: EventInput): void {
    const m = e.involved.metadata;
    const key = `${m.uid}|${e.type}|${e.reason}|${e.message}`;
    const ns = m.namespace ?? 'default';
    const existing = this.seen.get(key);
    if (existing) {
      const updated = this.store.mutate(EVENTS, ns, existing, ev => {
        ev.count = Number(ev.count ?? 1) + 1;
        ev.lastTimestamp = nowIso();
      });
      if (updated) return;
    }
    if (!this.store.namespaceState(ns)) return;
    try {
      const created: KubeObject = this.store.create(EVENTS, event(e));
      this.seen.set(key, created.metadata.name!);
    } catch {
      // Events are best effort, as in a real cluster.
    }
  }
}
