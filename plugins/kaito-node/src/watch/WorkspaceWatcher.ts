import { LoggerService } from '@backstage/backend-plugin-api';
import {
  Workspace,
  WorkspaceSnapshot,
} from '@kaito-backstage/plugin-kaito-common';
import { ClusterRegistry } from '../clusters/ClusterRegistry';
import { KubernetesClientFactory } from '../kubernetes/KubernetesClientFactory';
import { ClusterWorkspaceCache, WatchSettings } from './ClusterWorkspaceCache';
import { DEFAULT_CONTAINER_LOG_SETTINGS } from './ContainerLogs';
import { ReflectorStats } from './Reflector';
import { parseWorkspaceRef, workspaceRef } from './refs';
import { ClusterWorkspaces, WorkspaceKey } from './types';

export interface WorkspaceWatcherOptions extends Partial<WatchSettings> {
  registry: ClusterRegistry;
  clients: KubernetesClientFactory;
  logger: LoggerService;
  /** How long a first answer from a cluster is awaited (default 10 s). */
  syncTimeoutMs?: number;
  /** Stop a cluster's watches after this long unused (default 10 min). */
  idleStopMs?: number;
  /** Re-derive subscribed readiness this often, for time-based phases (default 30 s). */
  recomputeIntervalMs?: number;
}

/** Receives a snapshot whenever a subscribed Workspace's readiness changes. */
export type SnapshotListener = (snapshot: WorkspaceSnapshot) => void;

interface Subscription {
  listener: SnapshotListener;
  last?: string;
}

/**
 * Serves Workspace readiness to any number of viewers from one shared
 * list-watch per cluster and resource type; no viewer ever causes a request
 * to the cluster, apart from one bounded log read per crashed container. Watches start on first use and stop when unused.
 */
export class WorkspaceWatcher {
  readonly #opts: WorkspaceWatcherOptions;
  readonly #settings: WatchSettings;
  readonly #caches = new Map<
    string,
    { cache: ClusterWorkspaceCache; usedAt: number }
  >();
  readonly #subs = new Map<
    string,
    {
      cache: ClusterWorkspaceCache;
      subs: Set<Subscription>;
      off: () => void;
      scheduled: boolean;
    }
  >();
  readonly #timer: NodeJS.Timeout;
  #stopped = false;

  constructor(options: WorkspaceWatcherOptions) {
    this.#opts = options;
    this.#settings = {
      watchTimeoutSeconds: options.watchTimeoutSeconds ?? 300,
      pods: options.pods ?? true,
      nodeClaims: options.nodeClaims ?? true,
      events: options.events ?? 'warnings',
      backoffMs: options.backoffMs ?? { min: 500, max: 30_000 },
      containerLogs: options.containerLogs ?? DEFAULT_CONTAINER_LOG_SETTINGS,
    };
    const interval = options.recomputeIntervalMs ?? 30_000;
    this.#timer = setInterval(() => this.#tick(), interval);
    this.#timer.unref();
  }

  /** The current readiness of one Workspace (waits for the first sync). */
  async snapshot(key: WorkspaceKey): Promise<WorkspaceSnapshot> {
    const cache = await this.#cache(key.cluster);
    await cache.waitUntilSynced(this.#opts.syncTimeoutMs ?? 10_000);
    return cache.snapshot(key.namespace, key.name);
  }

  /** The snapshot plus the normalized Workspace, for the inference relay. */
  async workspace(
    key: WorkspaceKey,
  ): Promise<{ snapshot: WorkspaceSnapshot; workspace?: Workspace }> {
    const cache = await this.#cache(key.cluster);
    await cache.waitUntilSynced(this.#opts.syncTimeoutMs ?? 10_000);
    return {
      snapshot: cache.snapshot(key.namespace, key.name),
      workspace: cache.workspace(workspaceRef(key.namespace, key.name)),
    };
  }

  /**
   * Calls listener with the current snapshot once the cluster has answered
   * (or the sync timeout passed), then on every change. Returns unsubscribe.
   */
  async subscribe(
    key: WorkspaceKey,
    listener: SnapshotListener,
  ): Promise<() => void> {
    const cache = await this.#cache(key.cluster);
    const id = `${key.cluster}\u0000${key.namespace}/${key.name}`;
    let entry = this.#subs.get(id);
    if (!entry || entry.cache !== cache) {
      entry?.off();
      const created = {
        cache,
        subs: new Set<Subscription>(),
        scheduled: false,
        off: cache.onChange(workspaceRef(key.namespace, key.name), () =>
          this.#schedule(id),
        ),
      };
      this.#subs.set(id, created);
      entry = created;
    }
    const sub: Subscription = { listener };
    entry.subs.add(sub);
    const target = entry;
    await cache.waitUntilSynced(this.#opts.syncTimeoutMs ?? 10_000);
    if (target.subs.has(sub)) {
      const snapshot = cache.snapshot(key.namespace, key.name);
      this.#deliver(sub, snapshot, substanceOf(snapshot));
    }
    return () => {
      target.subs.delete(sub);
      if (target.subs.size === 0 && this.#subs.get(id) === target) {
        target.off();
        this.#subs.delete(id);
      }
    };
  }

  /** Every Workspace on every cluster; a cluster that fails is reported, not thrown. */
  async listAll(): Promise<ClusterWorkspaces[]> {
    const clusters = await this.#opts.registry.listClusters();
    return Promise.all(
      clusters.map(async ({ name }): Promise<ClusterWorkspaces> => {
        try {
          const cache = await this.#cache(name);
          const synced = await cache.waitUntilSynced(
            this.#opts.syncTimeoutMs ?? 10_000,
          );
          if (!synced) {
            return {
              cluster: name,
              status: 'unavailable',
              message: cache.error ?? 'no answer yet',
              workspaces: [],
            };
          }
          const now = Date.now();
          return {
            cluster: name,
            status: 'ok',
            workspaces: cache.refs().map(ref => {
              const { namespace, name: n } = parseWorkspaceRef(ref);
              return cache.snapshot(namespace, n, now);
            }),
          };
        } catch (error) {
          return {
            cluster: name,
            status: 'unavailable',
            message: (error as Error).message,
            workspaces: [],
          };
        }
      }),
    );
  }

  /** List/watch counters per cluster and resource type. */
  stats(): Record<string, Record<string, ReflectorStats>> {
    return Object.fromEntries(
      [...this.#caches].map(([name, { cache }]) => [name, cache.stats()]),
    );
  }

  /** Number of open subscriptions (all viewers of all Workspaces). */
  subscriberCount(): number {
    let n = 0;
    for (const e of this.#subs.values()) n += e.subs.size;
    return n;
  }

  async stop() {
    this.#stopped = true;
    clearInterval(this.#timer);
    await Promise.all(
      [...this.#caches.values()].map(({ cache }) => cache.stop()),
    );
    this.#caches.clear();
  }

  async #cache(clusterName: string): Promise<ClusterWorkspaceCache> {
    const stopped = () =>
      new Error('The KAITO workspace watcher has been stopped');
    if (this.#stopped) throw stopped();
    const details = await this.#opts.registry.getConnectionDetails(clusterName);
    // stop() may have run during the lookup; a cache started now would never stop.
    if (this.#stopped) throw stopped();
    const client = this.#opts.clients.forDetails(details);
    const existing = this.#caches.get(details.name);
    if (existing && existing.cache.client === client) {
      existing.usedAt = Date.now();
      return existing.cache;
    }
    // Cluster config changed (e.g. a catalog refresh): start over.
    if (existing) void existing.cache.stop();
    const cache = new ClusterWorkspaceCache(
      client,
      this.#opts.logger,
      this.#settings,
    );
    this.#caches.set(details.name, { cache, usedAt: Date.now() });
    cache.start();
    return cache;
  }

  #schedule(id: string) {
    const entry = this.#subs.get(id);
    if (!entry || entry.scheduled) return;
    entry.scheduled = true;
    // Coalesce a burst of watch events (pod + workspace + event) into one push.
    setImmediate(() => {
      entry.scheduled = false;
      this.#publish(id);
    });
  }

  #publish(id: string) {
    const entry = this.#subs.get(id);
    if (!entry) return;
    const [, key] = id.split('\u0000');
    const [ns, name] = key.split('/');
    const snapshot = entry.cache.snapshot(ns, name);
    const text = substanceOf(snapshot);
    for (const sub of entry.subs) this.#deliver(sub, snapshot, text);
  }

  #deliver(sub: Subscription, snapshot: WorkspaceSnapshot, text: string) {
    if (text === sub.last) return;
    sub.last = text;
    try {
      sub.listener(snapshot);
    } catch (error) {
      this.#opts.logger.warn(
        `Workspace snapshot listener failed: ${(error as Error).message}`,
      );
    }
  }

  #tick() {
    for (const id of this.#subs.keys()) this.#schedule(id);
    const idle = this.#opts.idleStopMs ?? 600_000;
    const now = Date.now();
    for (const [name, { cache, usedAt }] of this.#caches) {
      if (!cache.hasListeners() && now - usedAt > idle) {
        this.#caches.delete(name);
        void cache.stop();
      }
    }
  }
}

/** observedAt changes every time; only a change in substance is news. */
function substanceOf(snapshot: WorkspaceSnapshot): string {
  const { observedAt: _at, ...substance } = snapshot;
  return JSON.stringify(substance);
}
