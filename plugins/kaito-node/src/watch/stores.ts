import { KubeEvent, isWorkspace } from '@kaito-backstage/plugin-kaito-common';
import type { ReflectorHandlers } from './Reflector';
import { ObjectRef, WorkspaceRef, objectRef, workspaceRef } from './refs';

/** Events kept per object: enough to explain, bounded for memory. */
export const MAX_EVENTS_PER_OBJECT = 10;

/** How a store tells the cache what changed. */
export interface StoreChanges {
  /** One Workspace's objects changed (undefined: nothing that belongs to one). */
  changed(ref: WorkspaceRef | undefined): void;
  /** The whole set was replaced (after a list). */
  reset(): void;
  /** A list or watch failed. */
  failed(error: Error): void;
}

interface Named {
  metadata: { name?: string; namespace?: string };
}

/** The raw Workspaces of the cluster, by ref. */
export class WorkspaceStore {
  readonly #items = new Map<WorkspaceRef, unknown>();

  get(ref: WorkspaceRef): unknown {
    return this.#items.get(ref);
  }

  refs(): WorkspaceRef[] {
    return [...this.#items.keys()].sort();
  }

  handlers(changes: StoreChanges): ReflectorHandlers {
    const refOf = (o: unknown): WorkspaceRef | undefined =>
      isWorkspace(o)
        ? workspaceRef(o.metadata.namespace, o.metadata.name!)
        : undefined;
    return {
      onReset: items => {
        this.#items.clear();
        for (const item of items) {
          const ref = refOf(item);
          if (ref) this.#items.set(ref, item);
        }
        changes.reset();
      },
      onEvent: (type, obj) => {
        const ref = refOf(obj);
        if (!ref) return;
        if (type === 'DELETED') this.#items.delete(ref);
        else this.#items.set(ref, obj);
        changes.changed(ref);
      },
      onError: e => changes.failed(e),
    };
  }
}

/**
 * Objects (pods, NodeClaims) grouped by the Workspace that owns them, with a
 * reverse index from each object to its Workspace.
 */
export class GroupedStore<T extends Named> {
  readonly #groups = new Map<WorkspaceRef, Map<ObjectRef, T>>();
  readonly #owner = new Map<ObjectRef, WorkspaceRef>();
  readonly #ownerOf: (o: T) => WorkspaceRef | undefined;

  /** ownerOf names the owning Workspace of an object, if it has one. */
  constructor(ownerOf: (o: T) => WorkspaceRef | undefined) {
    this.#ownerOf = ownerOf;
  }

  of(ref: WorkspaceRef): T[] {
    return [...(this.#groups.get(ref)?.values() ?? [])];
  }

  /** The Workspace an object belongs to, if it is stored. */
  ownerOf(ref: ObjectRef): WorkspaceRef | undefined {
    return this.#owner.get(ref);
  }

  #put(owner: WorkspaceRef, id: ObjectRef, o: T) {
    let group = this.#groups.get(owner);
    if (!group) this.#groups.set(owner, (group = new Map()));
    group.set(id, o);
    this.#owner.set(id, owner);
  }

  #remove(id: ObjectRef): WorkspaceRef | undefined {
    const owner = this.#owner.get(id);
    if (!owner) return undefined;
    this.#owner.delete(id);
    const group = this.#groups.get(owner);
    group?.delete(id);
    if (group?.size === 0) this.#groups.delete(owner);
    return owner;
  }

  handlers(changes: StoreChanges): ReflectorHandlers {
    const id = (o: T) => objectRef(o.metadata.namespace, o.metadata.name);
    return {
      onReset: items => {
        this.#groups.clear();
        this.#owner.clear();
        for (const item of items as T[]) {
          const owner = this.#ownerOf(item);
          if (owner) this.#put(owner, id(item), item);
        }
        changes.reset();
      },
      onEvent: (type, obj: T) => {
        const objId = id(obj);
        const previous = this.#remove(objId);
        const owner = type === 'DELETED' ? undefined : this.#ownerOf(obj);
        if (owner) this.#put(owner, objId, obj);
        changes.changed(previous);
        if (owner !== previous) changes.changed(owner);
      },
      onError: e => changes.failed(e),
    };
  }
}

/** The kinds whose core/v1 Events explain a Workspace. */
export type EventSubjectKind = 'Workspace' | 'Pod' | 'NodeClaim';
const SUBJECT_KINDS: readonly string[] = ['Workspace', 'Pod', 'NodeClaim'];

/** The last Events about each Workspace, pod and NodeClaim, bounded per object. */
export class EventStore {
  readonly #byKind = new Map<EventSubjectKind, Map<ObjectRef, KubeEvent[]>>();
  readonly #ownerOf: (
    kind: EventSubjectKind,
    ref: ObjectRef,
  ) => WorkspaceRef | undefined;

  /** ownerOf names the Workspace an Event's object belongs to. */
  constructor(
    ownerOf: (
      kind: EventSubjectKind,
      ref: ObjectRef,
    ) => WorkspaceRef | undefined,
  ) {
    this.#ownerOf = ownerOf;
  }

  of(kind: EventSubjectKind, ref: ObjectRef): KubeEvent[] {
    return this.#byKind.get(kind)?.get(ref) ?? [];
  }

  /** Where an Event belongs: its object's kind and ref, when that kind explains a Workspace. */
  static subject(
    e: KubeEvent,
  ): { kind: EventSubjectKind; ref: ObjectRef } | undefined {
    const o = e.involvedObject;
    if (!o?.kind || !o.name || !SUBJECT_KINDS.includes(o.kind)) {
      return undefined;
    }
    const kind = o.kind as EventSubjectKind;
    // NodeClaims are cluster-scoped, whatever the Event says.
    const namespace = kind === 'NodeClaim' ? undefined : o.namespace;
    return { kind, ref: objectRef(namespace, o.name) };
  }

  #list(kind: EventSubjectKind) {
    let list = this.#byKind.get(kind);
    if (!list) this.#byKind.set(kind, (list = new Map()));
    return list;
  }

  #without(kind: EventSubjectKind, ref: ObjectRef, e: KubeEvent) {
    const uid = e.metadata?.uid ?? e.metadata?.name;
    return this.of(kind, ref).filter(
      x => (x.metadata?.uid ?? x.metadata?.name) !== uid,
    );
  }

  #put(e: KubeEvent) {
    const at = EventStore.subject(e);
    if (!at) return;
    const list = this.#without(at.kind, at.ref, e);
    list.push(e);
    this.#list(at.kind).set(at.ref, list.slice(-MAX_EVENTS_PER_OBJECT));
  }

  handlers(changes: StoreChanges): ReflectorHandlers {
    return {
      onReset: items => {
        this.#byKind.clear();
        (items as KubeEvent[]).forEach(e => this.#put(e));
        changes.reset();
      },
      onEvent: (type, obj: KubeEvent) => {
        const at = EventStore.subject(obj);
        if (!at) return;
        if (type === 'DELETED') {
          const rest = this.#without(at.kind, at.ref, obj);
          if (rest.length) this.#list(at.kind).set(at.ref, rest);
          else this.#list(at.kind).delete(at.ref);
        } else {
          this.#put(obj);
        }
        changes.changed(
          at.kind === 'Workspace'
            ? (at.ref as string as WorkspaceRef)
            : this.#ownerOf(at.kind, at.ref),
        );
      },
      // Events only explain; a failing Event watch must not mark the cache stale.
      onError: () => {},
    };
  }
}
