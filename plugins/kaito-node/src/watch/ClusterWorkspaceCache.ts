import { LoggerService } from '@backstage/backend-plugin-api';
import {
  KAITO_GROUP,
  KAITO_WORKSPACE_LABEL,
  KAITO_WORKSPACE_NAMESPACE_LABEL,
  KubeEvent,
  KubePod,
  NodeClaim,
  Workspace,
  WorkspaceSnapshot,
  WorkspaceSummary,
  WORKSPACE_PLURAL,
  WORKSPACE_VERSIONS,
  isWorkspace,
  normalizeWorkspace,
  workspacePresetName,
  workspaceReadiness,
  workspaceRuntime,
} from '@kaito-backstage/plugin-kaito-common';
import {
  KubernetesClient,
  KubernetesRequestError,
} from '../kubernetes/KubernetesClient';
import { ListWatch, ListWatchStats } from './ListWatch';
import { sleep } from './sleep';

/** Events kept per object: enough to explain, bounded for memory. */
const MAX_EVENTS_PER_OBJECT = 10;

export interface WatchSettings {
  watchTimeoutSeconds: number;
  pods: boolean;
  nodeClaims: boolean;
  /** Which core/v1 Events to watch: Warnings only, all, or none. */
  events: 'warnings' | 'all' | 'none';
  backoffMs: { min: number; max: number };
}

type Listener = () => void;

/**
 * Everything kaito-node knows about the Workspaces of one cluster, kept
 * current by one shared list-watch per resource type. Readiness is derived
 * here, so any number of viewers cost the cluster nothing extra.
 */
export class ClusterWorkspaceCache {
  readonly client: KubernetesClient;
  readonly #logger: LoggerService;
  readonly #settings: WatchSettings;
  readonly #workspaces = new Map<string, unknown>();
  readonly #pods = new Map<string, Map<string, KubePod>>();
  readonly #podKey = new Map<string, string>();
  readonly #claims = new Map<string, Map<string, NodeClaim>>();
  readonly #claimKey = new Map<string, string>();
  readonly #events = new Map<string, KubeEvent[]>();
  readonly #listeners = new Map<string, Set<Listener>>();
  /** Derived snapshots, dropped on any change to their Workspace (readiness is not free). */
  readonly #memo = new Map<
    string,
    { snapshot: WorkspaceSnapshot; workspace?: Workspace; at: number }
  >();
  readonly #watches: Record<string, ListWatch> = {};
  readonly #stopped = new AbortController();
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

  stats(): Record<string, ListWatchStats> {
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
    await Promise.all(Object.values(this.#watches).map(w => w.stop()));
  }

  /** Calls listener (with no arguments) whenever anything about key changes. */
  onChange(key: string, listener: Listener): () => void {
    let set = this.#listeners.get(key);
    if (!set) this.#listeners.set(key, (set = new Set()));
    set.add(listener);
    return () => {
      set!.delete(listener);
      if (set!.size === 0) this.#listeners.delete(key);
    };
  }

  hasListeners() {
    return this.#listeners.size > 0;
  }

  keys(): string[] {
    return [...this.#workspaces.keys()].sort();
  }

  /** The normalized Workspace, when it exists and parses. */
  workspace(key: string): Workspace | undefined {
    const memo = this.#memo.get(key);
    if (memo && memo.workspace) return memo.workspace;
    const raw = this.#workspaces.get(key);
    return raw ? normalizeWorkspace(raw) : undefined;
  }

  /**
   * Readiness for one Workspace from the cached objects. Reuses the last
   * derivation while nothing changed, for up to a second (phases that
   * depend on elapsed time are re-derived after that).
   */
  snapshot(
    namespace: string,
    name: string,
    now = Date.now(),
  ): WorkspaceSnapshot {
    const key = `${namespace}/${name}`;
    const memo = this.#memo.get(key);
    if (memo && now - memo.at < 1000 && now >= memo.at) return memo.snapshot;
    const snapshot = this.#derive(namespace, name, now);
    const raw = this.#workspaces.get(key);
    this.#memo.set(key, {
      snapshot,
      workspace: raw ? normalizeWorkspace(raw) : undefined,
      at: now,
    });
    return snapshot;
  }

  #derive(namespace: string, name: string, now: number): WorkspaceSnapshot {
    const key = `${namespace}/${name}`;
    const base = {
      cluster: this.name,
      namespace,
      name,
      observedAt: new Date(now).toISOString(),
    };
    const raw = this.#workspaces.get(key);
    const synced = this.#watches.workspaces?.synced;
    if (!raw) {
      if (!synced) {
        return {
          ...base,
          status: 'unavailable',
          message: this.#error ?? `Cluster '${this.name}' has not answered yet`,
        };
      }
      return {
        ...base,
        status: 'notFound',
        message: `Workspace ${key} does not exist on cluster '${this.name}'`,
      };
    }
    const ws = normalizeWorkspace(raw);
    const pods = [...(this.#pods.get(key)?.values() ?? [])];
    const nodeClaims = [...(this.#claims.get(key)?.values() ?? [])];
    const events = [
      ...(this.#events.get(`Workspace/${key}`) ?? []),
      ...pods.flatMap(
        p => this.#events.get(`Pod/${namespace}/${p.metadata.name}`) ?? [],
      ),
      ...nodeClaims.flatMap(
        c => this.#events.get(`NodeClaim//${c.metadata.name}`) ?? [],
      ),
    ];
    const summary = summarize(ws);
    const stale = Object.values(this.#watches).some(w => w.synced && !w.healthy)
      ? `Lost contact with cluster '${this.name}' (${
          this.#error ?? 'watch failed'
        }); showing the last known state`
      : undefined;
    try {
      const readiness = workspaceReadiness(ws, {
        pods,
        nodeClaims,
        events,
        now,
      });
      return {
        ...base,
        status: 'found',
        readiness,
        workspace: summary,
        ...(stale ? { message: stale } : {}),
      };
    } catch (error) {
      return {
        ...base,
        status: 'found',
        workspace: summary,
        message: `Could not derive readiness: ${(error as Error).message}`,
      };
    }
  }

  async #start() {
    const version = await this.#detectVersion();
    // stop() may have run while the version was being detected.
    if (!version || this.#stopped.signal.aborted) return;
    const common = {
      client: this.client,
      logger: this.#logger,
      watchTimeoutSeconds: this.#settings.watchTimeoutSeconds,
      backoffMs: this.#settings.backoffMs,
    };
    const pending: ListWatch[] = [];
    const add = (id: string, watch: ListWatch, gate: boolean) => {
      this.#watches[id] = watch;
      if (gate) pending.push(watch);
      watch.start();
    };
    add(
      'workspaces',
      new ListWatch(
        {
          ...common,
          path: `/apis/${KAITO_GROUP}/${version}/${WORKSPACE_PLURAL}`,
        },
        this.#collection(this.#workspaces, o => this.#workspaceKeyOf(o)),
      ),
      true,
    );
    if (this.#settings.pods) {
      add(
        'pods',
        new ListWatch(
          {
            ...common,
            path: '/api/v1/pods',
            labelSelector: KAITO_WORKSPACE_LABEL,
          },
          this.#grouped(this.#pods, this.#podKey, p => {
            const ws = p?.metadata?.labels?.[KAITO_WORKSPACE_LABEL];
            return ws ? `${p.metadata.namespace}/${ws}` : undefined;
          }),
        ),
        true,
      );
    }
    if (this.#settings.nodeClaims) {
      add(
        'nodeClaims',
        new ListWatch(
          {
            ...common,
            path: '/apis/karpenter.sh/v1/nodeclaims',
            labelSelector: KAITO_WORKSPACE_LABEL,
            optional: true,
          },
          this.#grouped(this.#claims, this.#claimKey, c => {
            const labels = c?.metadata?.labels ?? {};
            const ws = labels[KAITO_WORKSPACE_LABEL];
            return ws
              ? `${labels[KAITO_WORKSPACE_NAMESPACE_LABEL] ?? 'default'}/${ws}`
              : undefined;
          }),
        ),
        // No Karpenter (BYO nodes) is normal: readiness must not wait for it.
        false,
      );
    }
    if (this.#settings.events !== 'none') {
      add(
        'events',
        new ListWatch(
          {
            ...common,
            path: '/api/v1/events',
            fieldSelector:
              this.#settings.events === 'warnings' ? 'type=Warning' : undefined,
          },
          this.#eventHandlers(),
        ),
        false,
      );
    }
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

  /** Picks the served Workspace version (v1beta1 preferred); retries while absent. */
  async #detectVersion(): Promise<string | undefined> {
    const { min, max } = this.#settings.backoffMs;
    for (let attempt = 0; !this.#stopped.signal.aborted; attempt++) {
      try {
        const group = await this.client.getJson(
          `/apis/${KAITO_GROUP}`,
          undefined,
          {
            signal: this.#stopped.signal,
            timeoutMs: 10_000,
          },
        );
        const served: string[] = (group?.versions ?? []).map(
          (v: any) => v.version,
        );
        const version = WORKSPACE_VERSIONS.find(v => served.includes(v));
        if (version) return version;
        this.#error = `KAITO on cluster '${
          this.name
        }' serves none of the Workspace versions ${WORKSPACE_VERSIONS.join(
          ', ',
        )}`;
      } catch (error) {
        if (this.#stopped.signal.aborted) return undefined;
        const e = error as KubernetesRequestError;
        this.#error =
          e.statusCode === 404
            ? `KAITO is not installed on cluster '${this.name}' (no ${KAITO_GROUP} API group)`
            : e.message;
      }
      this.#logger.warn(this.#error!);
      await sleep(Math.min(max, min * 2 ** attempt), this.#stopped.signal);
    }
    return undefined;
  }

  #workspaceKeyOf(o: any): string | undefined {
    if (!isWorkspace(o)) return undefined;
    return `${o.metadata.namespace ?? 'default'}/${o.metadata.name}`;
  }

  #notify(key: string | undefined) {
    if (!key) return;
    this.#memo.delete(key);
    this.#listeners.get(key)?.forEach(l => l());
  }

  #notifyAll() {
    this.#memo.clear();
    for (const set of this.#listeners.values()) set.forEach(l => l());
  }

  #collection(
    store: Map<string, unknown>,
    keyOf: (o: any) => string | undefined,
  ) {
    return {
      onReset: (items: any[]) => {
        store.clear();
        for (const item of items) {
          const key = keyOf(item);
          if (key) store.set(key, item);
        }
        this.#notifyAll();
      },
      onEvent: (type: string, obj: any) => {
        const key = keyOf(obj);
        if (!key) return;
        if (type === 'DELETED') store.delete(key);
        else store.set(key, obj);
        this.#notify(key);
      },
      onError: (e: Error) => this.#onError(e),
    };
  }

  /** Objects grouped by owning Workspace key, with a reverse name -> key index. */
  #grouped<T extends { metadata: { name?: string; namespace?: string } }>(
    groups: Map<string, Map<string, T>>,
    index: Map<string, string>,
    keyOf: (o: any) => string | undefined,
  ) {
    const id = (o: T) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    const remove = (objId: string) => {
      const key = index.get(objId);
      if (!key) return undefined;
      index.delete(objId);
      const group = groups.get(key);
      group?.delete(objId);
      if (group?.size === 0) groups.delete(key);
      return key;
    };
    return {
      onReset: (items: any[]) => {
        groups.clear();
        index.clear();
        for (const item of items) {
          const key = keyOf(item);
          if (!key) continue;
          if (!groups.has(key)) groups.set(key, new Map());
          groups.get(key)!.set(id(item), item);
          index.set(id(item), key);
        }
        this.#notifyAll();
      },
      onEvent: (type: string, obj: any) => {
        const objId = id(obj);
        const previous = remove(objId);
        const key = type === 'DELETED' ? undefined : keyOf(obj);
        if (key) {
          if (!groups.has(key)) groups.set(key, new Map());
          groups.get(key)!.set(objId, obj);
          index.set(objId, key);
        }
        this.#notify(previous);
        if (key !== previous) this.#notify(key);
      },
      onError: (e: Error) => this.#onError(e),
    };
  }

  #eventHandlers() {
    const keyOf = (e: KubeEvent) => {
      const o = e.involvedObject;
      if (!o?.kind || !o.name) return undefined;
      if (!['Workspace', 'Pod', 'NodeClaim'].includes(o.kind)) return undefined;
      return `${o.kind}/${o.kind === 'NodeClaim' ? '' : o.namespace ?? ''}/${
        o.name
      }`;
    };
    const put = (e: KubeEvent) => {
      const key = keyOf(e);
      if (!key) return undefined;
      const uid = e.metadata?.uid ?? e.metadata?.name;
      const list = (this.#events.get(key) ?? []).filter(
        x => (x.metadata?.uid ?? x.metadata?.name) !== uid,
      );
      list.push(e);
      this.#events.set(key, list.slice(-MAX_EVENTS_PER_OBJECT));
      return key;
    };
    // Events attach to a Workspace, or to its pods and NodeClaims.
    const owner = (key: string) => {
      const [kind, ns, name] = key.split('/');
      if (kind === 'Workspace') return `${ns}/${name}`;
      if (kind === 'Pod') return this.#podKey.get(`${ns}/${name}`);
      return this.#claimKey.get(`/${name}`);
    };
    return {
      onReset: (items: any[]) => {
        this.#events.clear();
        items.forEach(put);
        this.#notifyAll();
      },
      onEvent: (type: string, obj: any) => {
        const key = keyOf(obj);
        if (!key) return;
        if (type === 'DELETED') {
          const uid = obj.metadata?.uid ?? obj.metadata?.name;
          const rest = (this.#events.get(key) ?? []).filter(
            x => (x.metadata?.uid ?? x.metadata?.name) !== uid,
          );
          if (rest.length) this.#events.set(key, rest);
          else this.#events.delete(key);
        } else {
          put(obj);
        }
        this.#notify(owner(key));
      },
      onError: () => {},
    };
  }

  #onError(error: Error) {
    this.#error = error.message;
    this.#memo.clear();
  }
}

function summarize(ws: Workspace): WorkspaceSummary {
  const m = ws.metadata;
  return {
    apiVersion: ws.sourceApiVersion,
    resourceVersion:
      typeof m.resourceVersion === 'string' ? m.resourceVersion : undefined,
    generation: typeof m.generation === 'number' ? m.generation : undefined,
    createdAt:
      typeof m.creationTimestamp === 'string' ? m.creationTimestamp : undefined,
    preset: workspacePresetName(ws),
    instanceType: ws.resource.instanceType,
    runtime: workspaceRuntime(ws),
    state: typeof ws.status.state === 'string' ? ws.status.state : undefined,
    targetNodeCount: ws.status.targetNodeCount,
    workerNodes: ws.status.workerNodes,
    deleting: !!m.deletionTimestamp,
    ...(ws.status.performance ? { performance: ws.status.performance } : {}),
  };
}
