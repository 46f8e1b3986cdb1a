import { LoggerService } from '@backstage/backend-plugin-api';
import {
  KubePod,
  NodeClaim,
  Workspace,
  WorkspaceSnapshot,
  normalizeWorkspace,
} from '@kaito-backstage/plugin-kaito-common';
import { KubernetesClient } from '../kubernetes/KubernetesClient';
import { ContainerLogSettings, ContainerLogs } from './ContainerLogs';
import { deriveSnapshot } from './deriveSnapshot';
import { detectWorkspaceVersion } from './detectWorkspaceVersion';
import { Reflector, ReflectorStats } from './Reflector';
import { startReflectors } from './startReflectors';
import {
  ObjectRef,
  WorkspaceRef,
  claimOwner,
  objectRef,
  podOwner,
  workspaceRef,
} from './refs';
import {
  EventStore,
  EventSubjectKind,
  GroupedStore,
  StoreChanges,
  WorkspaceStore,
} from './stores';

export interface WatchSettings {
  watchTimeoutSeconds: number;
  pods: boolean;
  nodeClaims: boolean;
  /** Which core/v1 Events to watch: Warnings only, all, or none. */
  events: 'warnings' | 'all' | 'none';
  backoffMs: { min: number; max: number };
  /** Reading the log of a crashed container, so readiness can name the cause. */
  containerLogs: ContainerLogSettings;
}

type Listener = () => void;

/**
 * Everything kaito-node knows about the Workspaces of one cluster, kept
 * current by one shared reflector per resource type. Readiness is derived
 * here, so any number of viewers cost the cluster nothing extra.
 */
export class ClusterWorkspaceCache {
  readonly client: KubernetesClient;
  readonly #logger: LoggerService;
  readonly #settings: WatchSettings;
  readonly #workspaces = new WorkspaceStore();
  readonly #pods = new GroupedStore<KubePod>(podOwner);
  readonly #claims = new GroupedStore<NodeClaim>(claimOwner);
  readonly #events = new EventStore((kind, ref) => this.#ownerOf(kind, ref));
  readonly #logs: ContainerLogs;
  readonly #listeners = new Map<WorkspaceRef, Set<Listener>>();
  /** Derived snapshots, dropped on any change to their Workspace (readiness is not free). */
  readonly #memo = new Map<
    WorkspaceRef,
    { snapshot: WorkspaceSnapshot; workspace?: Workspace; at: number }
  >();
  readonly #watches: Record<string, Reflector> = {};
  readonly #stopped = new AbortController();
  /** What the stores report to the cache. */
  readonly #changes: StoreChanges = {
    changed: ref => this.#notify(ref),
    reset: () => this.#notifyAll(),
    failed: error => this.#onError(error),
  };
  #error?: string;
  #ready: Promise<void>;
  #resolveReady!: () => void;
  /** True once #ready resolved: every chat asks, so skip the timer and race. */
  #isReady = false;
  #started?: Promise<void>;

  constructor(
    client: KubernetesClient,
    logger: LoggerService,
    settings: WatchSettings,
  ) {
    this.client = client;
    this.#logger = logger;
    this.#settings = settings;
    this.#logs = new ContainerLogs(
      client,
      logger,
      settings.containerLogs,
      ref => this.#notify(ref),
    );
    this.#ready = new Promise(r => {
      this.#resolveReady = r;
    });
  }

  get name() {
    return this.client.cluster.name;
  }

  /** The last error that keeps this cache from being current, if any. */
  get error(): string | undefined {
    return this.#error;
  }

  stats(): Record<string, ReflectorStats> {
    return Object.fromEntries(
      Object.entries(this.#watches).map(([k, w]) => [k, { ...w.stats }]),
    );
  }

  start(): void {
    this.#started ??= this.#start();
  }

  /** Resolves when the first lists are in, or after timeoutMs (false). */
  async waitUntilSynced(timeoutMs: number): Promise<boolean> {
    this.start();
    if (this.#isReady) return true;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>(r => {
      timer = setTimeout(() => r(false), timeoutMs);
    });
    const ok = await Promise.race([
      this.#ready.then(() => true as const),
      timeout,
    ]);
    clearTimeout(timer);
    return ok;
  }

  async stop() {
    this.#stopped.abort();
    this.#logs.stop();
    await Promise.all(Object.values(this.#watches).map(w => w.stop()));
  }

  /** Calls listener (with no arguments) whenever anything about the Workspace changes. */
  onChange(ref: WorkspaceRef, listener: Listener): () => void {
    let set = this.#listeners.get(ref);
    if (!set) this.#listeners.set(ref, (set = new Set()));
    set.add(listener);
    return () => {
      set!.delete(listener);
      if (set!.size === 0) this.#listeners.delete(ref);
    };
  }

  hasListeners() {
    return this.#listeners.size > 0;
  }

  refs(): WorkspaceRef[] {
    return this.#workspaces.refs();
  }

  /** The normalized Workspace, when it exists and parses. */
  workspace(ref: WorkspaceRef): Workspace | undefined {
    const memo = this.#memo.get(ref);
    if (memo && memo.workspace) return memo.workspace;
    const raw = this.#workspaces.get(ref);
    return raw ? normalizeWorkspace(raw) : undefined;
  }

  /**
   * Readiness for one Workspace from the cached objects (and the log of a
   * crashed container, read once per crash). Reuses the last
   * derivation while nothing changed, for up to a second (phases that
   * depend on elapsed time are re-derived after that).
   */
  snapshot(
    namespace: string,
    name: string,
    now = Date.now(),
  ): WorkspaceSnapshot {
    const ref = workspaceRef(namespace, name);
    const memo = this.#memo.get(ref);
    if (memo && now - memo.at < 1000 && now >= memo.at) return memo.snapshot;
    const raw = this.#workspaces.get(ref);
    const pods = this.#pods.of(ref);
    const nodeClaims = this.#claims.of(ref);
    const snapshot = deriveSnapshot({
      cluster: this.name,
      namespace,
      name,
      raw,
      synced: !!this.#watches.workspaces?.synced,
      pods,
      nodeClaims,
      events: [
        ...this.#events.of('Workspace', ref as string as ObjectRef),
        ...pods.flatMap(p =>
          this.#events.of('Pod', objectRef(namespace, p.metadata.name)),
        ),
        ...nodeClaims.flatMap(c =>
          this.#events.of('NodeClaim', objectRef(undefined, c.metadata.name)),
        ),
      ],
      containerLog: raw ? this.#logs.current(ref, pods, now) : undefined,
      error: this.#error,
      stale: Object.values(this.#watches).some(w => w.synced && !w.healthy),
      now,
    });
    this.#memo.set(ref, {
      snapshot,
      workspace: raw ? normalizeWorkspace(raw) : undefined,
      at: now,
    });
    return snapshot;
  }

  /** The Workspace an Event's pod or NodeClaim belongs to. */
  #ownerOf(kind: EventSubjectKind, ref: ObjectRef): WorkspaceRef | undefined {
    if (kind === 'Workspace') return ref as string as WorkspaceRef;
    return (kind === 'Pod' ? this.#pods : this.#claims).ownerOf(ref);
  }

  async #start() {
    const detected = await detectWorkspaceVersion({
      client: this.client,
      logger: this.#logger,
      backoffMs: this.#settings.backoffMs,
      signal: this.#stopped.signal,
      onError: message => {
        this.#error = message;
      },
    });
    // stop() may have run while the version was being detected.
    if (!detected || this.#stopped.signal.aborted) return;
    const { watches, gating: pending } = startReflectors({
      client: this.client,
      logger: this.#logger,
      settings: this.#settings,
      version: detected.version,
      targets: {
        workspaces: this.#workspaces.handlers(this.#changes),
        pods: this.#pods.handlers(this.#changes),
        nodeClaims: this.#claims.handlers(this.#changes),
        events: this.#events.handlers(this.#changes),
      },
    });
    Object.assign(this.#watches, watches);
    const stopped = this.#stopped.signal;
    let onStop: (() => void) | undefined;
    await Promise.race([
      Promise.all(pending.map(w => w.whenSynced)),
      new Promise<void>(r => {
        onStop = () => r();
        stopped.addEventListener('abort', onStop, { once: true });
      }),
    ]);
    stopped.removeEventListener('abort', onStop!);
    this.#error = undefined;
    this.#isReady = true;
    this.#resolveReady();
  }

  #notify(ref: WorkspaceRef | undefined) {
    if (!ref) return;
    this.#memo.delete(ref);
    this.#listeners.get(ref)?.forEach(l => l());
  }

  #notifyAll() {
    this.#memo.clear();
    for (const set of this.#listeners.values()) set.forEach(l => l());
  }

  #onError(error: Error) {
    this.#error = error.message;
    this.#memo.clear();
  }
}
