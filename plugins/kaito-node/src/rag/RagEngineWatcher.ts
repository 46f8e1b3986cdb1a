import { RAGEngine } from '@kaito-backstage/plugin-kaito-common';
import { KubernetesClientFactory } from '../kubernetes/KubernetesClientFactory';
import {
  RagEngineReadinessFn,
  RagEngineState,
  ragEngineState,
} from './ragEngineSnapshot';
import { readRagEngine } from './readRagEngine';
import { RagEngineKey } from './types';

export type RagEngineListener = (state: RagEngineState) => void;

interface Observation {
  state: RagEngineState;
  ragengine?: RAGEngine;
  at: number;
}

interface Group {
  key: RagEngineKey;
  listeners: Map<RagEngineListener, string | undefined>;
  timer?: NodeJS.Timeout;
  last?: Observation;
}

export interface RagEngineWatcherOptions {
  clients: KubernetesClientFactory;
  readiness: RagEngineReadinessFn;
  /** How often a watched RAGEngine is read (default 3 s). */
  pollIntervalMs?: number;
}

/**
 * Serves RAGEngine readiness by polling: each watched RAGEngine is read
 * (object, pods, events: three GETs) once per interval, however many
 * viewers it has, and only while it has any. A snapshot request reuses a
 * read younger than the interval. (RAGEngines are few and rarely watched,
 * so this costs less than a list-watch per cluster for every one of them.)
 */
export class RagEngineWatcher {
  readonly #groups = new Map<string, Group>();
  readonly #recent = new Map<string, Promise<Observation>>();
  readonly #interval: number;
  #stopped = false;

  constructor(private readonly options: RagEngineWatcherOptions) {
    this.#interval = options.pollIntervalMs ?? 3_000;
  }

  /** The RAGEngine's state and object, from a read at most one interval old. */
  async observe(key: RagEngineKey): Promise<Observation> {
    const id = idOf(key);
    const last = this.#groups.get(id)?.last;
    if (last && Date.now() - last.at < this.#interval) return last;
    let pending = this.#recent.get(id);
    if (!pending) {
      pending = this.#read(key);
      this.#recent.set(id, pending);
      // One read serves every caller of this moment; it is forgotten after the interval.
      const forget = () =>
        setTimeout(() => {
          if (this.#recent.get(id) === pending) this.#recent.delete(id);
        }, this.#interval).unref();
      pending.then(forget, () => this.#recent.delete(id));
    }
    return pending;
  }

  /** Calls listener with the current state now, then whenever it changes. Returns unsubscribe. */
  async subscribe(
    key: RagEngineKey,
    listener: RagEngineListener,
  ): Promise<() => void> {
    const id = idOf(key);
    let group = this.#groups.get(id);
    if (!group) {
      group = { key, listeners: new Map() };
      this.#groups.set(id, group);
    }
    const g = group;
    g.listeners.set(listener, undefined);
    const first = await this.observe(key);
    if (g.listeners.has(listener)) this.#deliver(g, listener, first.state);
    if (!g.timer && !this.#stopped) this.#schedule(id, g);
    return () => {
      g.listeners.delete(listener);
      if (g.listeners.size === 0 && this.#groups.get(id) === g) {
        clearTimeout(g.timer);
        this.#groups.delete(id);
      }
    };
  }

  subscriberCount(): number {
    let n = 0;
    for (const g of this.#groups.values()) n += g.listeners.size;
    return n;
  }

  stop() {
    this.#stopped = true;
    for (const g of this.#groups.values()) clearTimeout(g.timer);
    this.#groups.clear();
  }

  #schedule(id: string, g: Group) {
    g.timer = setTimeout(async () => {
      if (this.#groups.get(id) !== g || this.#stopped) return;
      try {
        const observed = await this.#read(g.key);
        g.last = observed;
        for (const listener of [...g.listeners.keys()])
          this.#deliver(g, listener, observed.state);
      } catch {
        // #read reports failures in the state; a listener's own error must
        // not stop the polling for the others.
      } finally {
        if (this.#groups.get(id) === g && !this.#stopped) this.#schedule(id, g);
      }
    }, this.#interval);
    g.timer.unref();
  }

  #deliver(g: Group, listener: RagEngineListener, state: RagEngineState) {
    const substance = substanceOf(state);
    if (g.listeners.get(listener) === substance) return;
    g.listeners.set(listener, substance);
    listener(state);
  }

  async #read(key: RagEngineKey): Promise<Observation> {
    let read;
    try {
      const client = await this.options.clients.forCluster(key.cluster);
      read = await readRagEngine(client, key);
    } catch (error) {
      read = {
        status: 'unavailable' as const,
        message: (error as Error).message,
      };
    }
    let state: RagEngineState;
    try {
      state = ragEngineState(key, read, this.options.readiness);
    } catch (error) {
      // An object the classifier cannot read is told, not thrown.
      state = ragEngineState(
        key,
        {
          status: 'unavailable',
          message: `RAGEngine ${key.namespace}/${key.name} could not be read: ${
            (error as Error).message
          }`,
        },
        this.options.readiness,
      );
    }
    const observation: Observation = {
      state,
      ragengine:
        read.status === 'found' && state.status === 'found'
          ? read.ragengine
          : undefined,
      at: Date.now(),
    };
    const g = this.#groups.get(idOf(key));
    if (g && (!g.last || g.last.at < observation.at)) g.last = observation;
    return observation;
  }
}

function idOf(key: RagEngineKey) {
  return `${key.cluster}\u0000${key.namespace}/${key.name}`;
}

/** A state without its time stamp: what makes a change worth sending. */
function substanceOf(state: RagEngineState): string {
  const { observedAt: _t, ...rest } = state;
  return JSON.stringify(rest);
}
