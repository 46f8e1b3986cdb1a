import { randomUUID } from 'node:crypto';
import {
  alreadyExists,
  conflict,
  KubeError,
  notFound,
  STALE_OBJECT_MESSAGE,
} from './errors';
import { NAMESPACES, ResourceType, resourceKey } from './resources';
import {
  compareStrings,
  KubeObject,
  nowIso,
  stableStringify,
  WatchEventType,
} from './types';

export interface StoreEvent {
  type: WatchEventType;
  resource: ResourceType;
  /** Snapshot; never mutated after it is emitted. */
  object: KubeObject;
  /** The object before a MODIFIED event (for selector transitions in watches). */
  previous?: KubeObject;
  rv: number;
}

export type StoreListener = (event: StoreEvent) => void;

export interface WriteOptions {
  /** `dryRun=All`: validate and answer, but persist nothing. */
  dryRun?: boolean;
}

/**
 * In-memory object storage with one resourceVersion sequence (like etcd's
 * revision), an event history for resuming watches, owner-reference garbage
 * collection, and finalizer-aware deletion.
 */
export class ObjectStore {
  private rv = 0;
  private readonly objects = new Map<string, Map<string, KubeObject>>();
  private readonly history: StoreEvent[] = [];
  private compactedRv = 0;
  private readonly listeners = new Set<StoreListener>();

  constructor(private readonly historyLimit = 2000) {}

  get resourceVersion(): string {
    return String(this.rv);
  }

  /** Lowest resourceVersion a watch can still resume from (everything after it is retained). */
  get oldestResumableRv(): number {
    return this.compactedRv;
  }

  subscribe(listener: StoreListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Events newer than `rv`, or undefined when some of them were already compacted away. */
  eventsSince(rv: number): StoreEvent[] | undefined {
    if (rv < this.compactedRv) return undefined;
    let i = this.history.length;
    while (i > 0 && this.history[i - 1].rv > rv) i--;
    return this.history.slice(i);
  }

  get(
    r: ResourceType,
    namespace: string | undefined,
    name: string,
  ): KubeObject | undefined {
    const obj = this.bucket(r).get(objectKey(r, namespace, name));
    return obj ? structuredClone(obj) : undefined;
  }

  /** Read-only access without cloning, for hot paths that only look. */
  peek(
    r: ResourceType,
    namespace: string | undefined,
    name: string,
  ): KubeObject | undefined {
    return this.bucket(r).get(objectKey(r, namespace, name));
  }

  list(r: ResourceType, namespace?: string): KubeObject[] {
    const out: KubeObject[] = [];
    for (const obj of this.bucket(r).values()) {
      if (
        namespace !== undefined &&
        r.namespaced &&
        obj.metadata.namespace !== namespace
      )
        continue;
      out.push(structuredClone(obj));
    }
    return out.sort(compareObjects);
  }

  count(r: ResourceType): number {
    return this.bucket(r).size;
  }

  create(
    r: ResourceType,
    input: KubeObject,
    opts: WriteOptions = {},
  ): KubeObject {
    const meta = input.metadata;
    const name = meta.name!;
    const bucket = this.bucket(r);
    const key = objectKey(r, meta.namespace, name);
    if (bucket.has(key)) throw alreadyExists(r.group, r.plural, name);
    const obj = structuredClone(input);
    obj.metadata.uid = randomUUID();
    obj.metadata.creationTimestamp = nowIso();
    if (r.statusSubresource) obj.metadata.generation = 1;
    delete obj.metadata.deletionTimestamp;
    if (opts.dryRun) {
      obj.metadata.resourceVersion = undefined;
      delete obj.metadata.resourceVersion;
      return obj;
    }
    obj.metadata.resourceVersion = String(++this.rv);
    bucket.set(key, obj);
    this.emit('ADDED', r, obj);
    return structuredClone(obj);
  }

  /**
   * Replaces an object. `expectedRv` (the client's metadata.resourceVersion)
   * enables optimistic concurrency. A no-op write keeps the resourceVersion.
   */
  replace(
    r: ResourceType,
    input: KubeObject,
    opts: WriteOptions & { expectedRv?: string } = {},
  ): KubeObject {
    const meta = input.metadata;
    const bucket = this.bucket(r);
    const key = objectKey(r, meta.namespace, meta.name!);
    const current = bucket.get(key);
    if (!current) throw notFound(r.group, r.plural, meta.name!);
    if (
      opts.expectedRv &&
      opts.expectedRv !== current.metadata.resourceVersion
    ) {
      throw conflict(r.group, r.plural, meta.name!, STALE_OBJECT_MESSAGE);
    }
    const obj = structuredClone(input);
    // Server-owned metadata cannot be changed by writers.
    obj.metadata.uid = current.metadata.uid;
    obj.metadata.creationTimestamp = current.metadata.creationTimestamp;
    obj.metadata.deletionTimestamp = current.metadata.deletionTimestamp;
    if (!obj.metadata.deletionTimestamp) delete obj.metadata.deletionTimestamp;
    obj.metadata.resourceVersion = current.metadata.resourceVersion;
    if (r.statusSubresource) {
      obj.metadata.generation = current.metadata.generation ?? 1;
      if (!sameIgnoring(current, obj, ['metadata', 'status']))
        obj.metadata.generation! += 1;
    }
    if (sameIgnoring(current, obj, [], true)) return structuredClone(current);
    if (opts.dryRun) return obj;
    obj.metadata.resourceVersion = String(++this.rv);
    if (
      obj.metadata.deletionTimestamp &&
      !(obj.metadata.finalizers?.length ?? 0)
    ) {
      // The last finalizer is gone: the object disappears now.
      bucket.delete(key);
      this.emit('DELETED', r, obj);
      this.collectDependents(obj);
      this.afterRemoval(r, obj);
      return structuredClone(obj);
    }
    bucket.set(key, obj);
    this.emit('MODIFIED', r, obj, current);
    return structuredClone(obj);
  }

  /**
   * Read-modify-write used by the in-process controllers. `fn` may mutate the
   * clone it gets; returns the stored result, or undefined when absent.
   */
  mutate(
    r: ResourceType,
    namespace: string | undefined,
    name: string,
    fn: (obj: KubeObject) => void,
  ): KubeObject | undefined {
    const current = this.peek(r, namespace, name);
    if (!current) return undefined;
    const next = structuredClone(current);
    fn(next);
    try {
      return this.replace(r, next);
    } catch (e) {
      if (e instanceof KubeError && e.code === 404) return undefined;
      throw e;
    }
  }

  /**
   * Deletes an object. With finalizers it is only marked (deletionTimestamp);
   * it disappears when the last finalizer is removed.
   */
  remove(
    r: ResourceType,
    namespace: string | undefined,
    name: string,
    opts: WriteOptions & { expectedRv?: string; expectedUid?: string } = {},
  ): { object: KubeObject; deleted: boolean } {
    const bucket = this.bucket(r);
    const key = objectKey(r, namespace, name);
    const current = bucket.get(key);
    if (!current) throw notFound(r.group, r.plural, name);
    if (
      opts.expectedRv &&
      opts.expectedRv !== current.metadata.resourceVersion
    ) {
      throw conflict(r.group, r.plural, name, STALE_OBJECT_MESSAGE);
    }
    if (opts.expectedUid && opts.expectedUid !== current.metadata.uid) {
      throw conflict(
        r.group,
        r.plural,
        name,
        `Precondition failed: UID in precondition: ${opts.expectedUid}, UID in object meta: ${current.metadata.uid}`,
      );
    }
    const hasFinalizers =
      (current.metadata.finalizers?.length ?? 0) > 0 || r === NAMESPACES;
    if (hasFinalizers) {
      if (current.metadata.deletionTimestamp)
        return { object: structuredClone(current), deleted: false };
      const marked = structuredClone(current);
      marked.metadata.deletionTimestamp = nowIso();
      marked.metadata.deletionGracePeriodSeconds = 0;
      if (r === NAMESPACES)
        marked.status = { ...(marked.status as object), phase: 'Terminating' };
      if (opts.dryRun) return { object: marked, deleted: false };
      marked.metadata.resourceVersion = String(++this.rv);
      bucket.set(key, marked);
      this.emit('MODIFIED', r, marked, current);
      if (r === NAMESPACES) this.sweepNamespace(name);
      return { object: structuredClone(marked), deleted: false };
    }
    if (opts.dryRun) return { object: structuredClone(current), deleted: true };
    bucket.delete(key);
    const gone = structuredClone(current);
    gone.metadata.resourceVersion = String(++this.rv);
    this.emit('DELETED', r, gone);
    this.collectDependents(gone);
    this.afterRemoval(r, gone);
    return { object: structuredClone(gone), deleted: true };
  }

  /** True when the namespace exists and is not terminating. */
  namespaceState(name: string): 'Active' | 'Terminating' | undefined {
    const ns = this.peek(NAMESPACES, undefined, name);
    if (!ns) return undefined;
    return ns.metadata.deletionTimestamp ? 'Terminating' : 'Active';
  }

  private resources = new Map<string, ResourceType>();

  private bucket(r: ResourceType): Map<string, KubeObject> {
    const key = resourceKey(r);
    let b = this.objects.get(key);
    if (!b) {
      b = new Map();
      this.objects.set(key, b);
      this.resources.set(key, r);
    }
    return b;
  }

  private readonly pending: StoreEvent[] = [];
  private delivering = false;

  private emit(
    type: WatchEventType,
    r: ResourceType,
    obj: KubeObject,
    previous?: KubeObject,
  ): void {
    const event: StoreEvent = {
      type,
      resource: r,
      object: structuredClone(obj),
      rv: this.rv,
      previous,
    };
    this.history.push(event);
    if (this.history.length > this.historyLimit) {
      const dropped = this.history.splice(
        0,
        this.history.length - this.historyLimit,
      );
      this.compactedRv = dropped[dropped.length - 1].rv;
    }
    // A listener that writes while being notified must not reorder what others see.
    this.pending.push(event);
    if (this.delivering) return;
    this.delivering = true;
    try {
      while (this.pending.length) {
        const next = this.pending.shift()!;
        for (const l of [...this.listeners]) {
          try {
            l(next);
          } catch {
            // A failing listener must not break writes for everyone else.
          }
        }
      }
    } finally {
      this.delivering = false;
    }
  }

  /** Background-propagation garbage collection of owned objects. */
  private collectDependents(owner: KubeObject): void {
    const uid = owner.metadata.uid;
    if (!uid) return;
    for (const [key, bucket] of this.objects) {
      const r = this.resources.get(key)!;
      for (const obj of [...bucket.values()]) {
        if (obj.metadata.ownerReferences?.some(o => o.uid === uid)) {
          try {
            this.remove(r, obj.metadata.namespace, obj.metadata.name!);
          } catch {
            // Already gone.
          }
        }
      }
    }
  }

  private afterRemoval(r: ResourceType, obj: KubeObject): void {
    const ns = obj.metadata.namespace;
    if (r.namespaced && ns && this.namespaceState(ns) === 'Terminating')
      this.sweepNamespace(ns);
  }

  /** Namespace lifecycle: delete the contents, then the namespace once it is empty. */
  private sweepNamespace(name: string): void {
    for (const [key, bucket] of this.objects) {
      const r = this.resources.get(key)!;
      if (!r.namespaced) continue;
      for (const obj of [...bucket.values()]) {
        if (obj.metadata.namespace !== name) continue;
        if (!obj.metadata.deletionTimestamp) {
          try {
            this.remove(r, name, obj.metadata.name!);
          } catch {
            // Already gone.
          }
        }
      }
    }
    const left = [...this.objects.entries()].some(
      ([key, b]) =>
        this.resources.get(key)!.namespaced &&
        [...b.values()].some(o => o.metadata.namespace === name),
    );
    if (!left) {
      const bucket = this.bucket(NAMESPACES);
      const ns = bucket.get(name);
      if (ns?.metadata.deletionTimestamp) {
        bucket.delete(name);
        const gone = structuredClone(ns);
        gone.metadata.resourceVersion = String(++this.rv);
        this.emit('DELETED', NAMESPACES, gone);
      }
    }
  }
}

function objectKey(
  r: ResourceType,
  namespace: string | undefined,
  name: string,
): string {
  return r.namespaced ? `${namespace ?? ''}/${name}` : name;
}

function compareObjects(a: KubeObject, b: KubeObject): number {
  const ka = `${a.metadata.namespace ?? ''}/${a.metadata.name}`;
  const kb = `${b.metadata.namespace ?? ''}/${b.metadata.name}`;
  return compareStrings(ka, kb);
}

/** Deep equality, ignoring top-level keys and (optionally) volatile metadata. */
function sameIgnoring(
  a: KubeObject,
  b: KubeObject,
  topKeys: string[],
  ignoreVolatile = false,
): boolean {
  const strip = (o: KubeObject) => {
    const copy: Record<string, unknown> = { ...o };
    for (const k of topKeys) delete copy[k];
    if (ignoreVolatile && copy.metadata) {
      const m = { ...(copy.metadata as Record<string, unknown>) };
      delete m.resourceVersion;
      delete m.generation;
      if (Array.isArray(m.managedFields)) {
        m.managedFields = (
          m.managedFields as Array<Record<string, unknown>>
        ).map(e => ({ ...e, time: undefined }));
      }
      copy.metadata = m;
    }
    return copy;
  };
  return stableStringify(strip(a)) === stableStringify(strip(b));
}
