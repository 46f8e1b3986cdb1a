import { LoggerService } from '@backstage/backend-plugin-api';
import {
  ContainerStatus,
  KubePod,
  redactSecrets,
} from '@kaito-backstage/plugin-kaito-common';
import { KubernetesClient } from '../kubernetes/KubernetesClient';
import { loadClientNode } from '../kubernetes/loadClientNode';
import type { WorkspaceRef } from './refs';

/** `kaito.watch.containerLogs`: reading the log of a crashed inference container. */
export interface ContainerLogSettings {
  /** Read logs at all. */
  enabled: boolean;
  /** Lines asked for from the end of the log (`tailLines`). */
  tailLines: number;
  /** Bytes asked for at most (`limitBytes`); longer answers are cut to this too. */
  limitBytes: number;
  /** A container's log is read again at most this often while it keeps crashing, ms. */
  refreshMs: number;
  /** How long one read may take, ms. */
  timeoutMs: number;
}

export const DEFAULT_CONTAINER_LOG_SETTINGS: ContainerLogSettings = {
  enabled: true,
  tailLines: 50,
  limitBytes: 16 * 1024,
  refreshMs: 30_000,
  timeoutMs: 10_000,
};

/** Containers whose logs are kept; the oldest read is dropped beyond it. */
const MAX_ENTRIES = 200;

/** A container that crashed, whose log may say why. */
export interface CrashedContainer {
  namespace: string;
  pod: string;
  container: string;
  restarts: number;
}

function crashed(cs: ContainerStatus): boolean {
  const waiting = cs.state?.waiting?.reason;
  const term = cs.state?.terminated;
  const last = cs.lastState?.terminated;
  if (waiting === 'CrashLoopBackOff') return true;
  if (term && term.exitCode !== 0) return true;
  // Restarted after an error or OOM kill and not ready again yet.
  return !!last && last.exitCode !== 0 && !cs.ready;
}

/** The first main container of these pods that crashed (CrashLoopBackOff, OOM, error exit). */
export function crashedContainer(
  pods: KubePod[],
): CrashedContainer | undefined {
  for (const pod of pods) {
    const name = pod.metadata?.name;
    if (!name || pod.metadata?.deletionTimestamp) continue;
    const cs = (pod.status?.containerStatuses ?? []).find(crashed);
    if (cs?.name) {
      return {
        namespace: pod.metadata.namespace ?? 'default',
        pod: name,
        container: cs.name,
        restarts: cs.restartCount ?? 0,
      };
    }
  }
  return undefined;
}

interface Entry {
  restarts: number;
  readAt: number;
  text?: string;
  reading?: Promise<void>;
}

/** The log read for one container, as readiness takes it. */
export interface ContainerLogText {
  pod: string;
  container: string;
  text: string;
}

/**
 * The last lines of crashed containers' logs, read through the pods/log API
 * (client-node), bounded (`tailLines`, `limitBytes`), redacted before they are
 * kept, and cached per container: read again only after a new crash, at most
 * every `refreshMs`. Reads are started by `current()` and announced through
 * `onRead` so the Workspace's snapshot is derived again with the log.
 */
export class ContainerLogs {
  readonly #client: KubernetesClient;
  readonly #logger: LoggerService;
  readonly #settings: ContainerLogSettings;
  readonly #onRead: (ref: WorkspaceRef) => void;
  readonly #entries = new Map<string, Entry>();
  readonly #stopped = new AbortController();
  /** Reads made, for tests and stats. */
  reads = 0;

  constructor(
    client: KubernetesClient,
    logger: LoggerService,
    settings: ContainerLogSettings,
    onRead: (ref: WorkspaceRef) => void,
  ) {
    this.#client = client;
    this.#logger = logger;
    this.#settings = settings;
    this.#onRead = onRead;
  }

  /**
   * The log of the crashed container among a Workspace's pods, as last read;
   * starts a read when there is none yet, or the container crashed again
   * since and the last read is older than `refreshMs`.
   */
  current(
    ref: WorkspaceRef,
    pods: KubePod[],
    now: number,
  ): ContainerLogText | undefined {
    if (!this.#settings.enabled || this.#stopped.signal.aborted) {
      return undefined;
    }
    const c = crashedContainer(pods);
    if (!c) return undefined;
    const id = `${c.namespace}/${c.pod}/${c.container}`;
    const entry = this.#entries.get(id);
    const due =
      !entry ||
      (entry.restarts !== c.restarts &&
        now - entry.readAt >= this.#settings.refreshMs);
    if (due && !entry?.reading) this.#read(ref, id, c, now, entry);
    return entry?.text !== undefined
      ? { pod: c.pod, container: c.container, text: entry.text }
      : undefined;
  }

  stop() {
    this.#stopped.abort();
  }

  #read(
    ref: WorkspaceRef,
    id: string,
    c: CrashedContainer,
    now: number,
    previous: Entry | undefined,
  ) {
    const entry: Entry = {
      restarts: c.restarts,
      readAt: now,
      text: previous?.text,
    };
    this.#entries.delete(id);
    this.#entries.set(id, entry);
    if (this.#entries.size > MAX_ENTRIES) {
      this.#entries.delete(this.#entries.keys().next().value!);
    }
    this.reads++;
    entry.reading = this.#fetch(c).then(
      text => {
        entry.reading = undefined;
        if (this.#stopped.signal.aborted) return;
        entry.text = text;
        this.#onRead(ref);
      },
      error => {
        entry.reading = undefined;
        if (this.#stopped.signal.aborted) return;
        this.#logger.info(
          `Could not read the log of ${c.namespace}/${c.pod} (${
            c.container
          }): ${(error as Error).message}`,
          { cluster: this.#client.cluster.name },
        );
      },
    );
  }

  async #fetch(c: CrashedContainer): Promise<string> {
    const { CoreV1Api, Observable } = await loadClientNode();
    const api = (await this.#client.kubeConfig()).makeApiClient(CoreV1Api);
    const signal = AbortSignal.any([
      this.#stopped.signal,
      AbortSignal.timeout(this.#settings.timeoutMs),
    ]);
    const text = await api.readNamespacedPodLog(
      {
        namespace: c.namespace,
        name: c.pod,
        container: c.container,
        tailLines: this.#settings.tailLines,
        limitBytes: this.#settings.limitBytes,
      },
      {
        // client-node's request options take observable middleware; this one only sets the signal.
        middleware: [
          {
            pre: ctx => {
              ctx.setSignal(signal);
              return new Observable(Promise.resolve(ctx));
            },
            post: response => new Observable(Promise.resolve(response)),
          },
        ],
        middlewareMergeStrategy: 'append',
      },
    );
    const bounded = Buffer.from(String(text ?? ''), 'utf8')
      .subarray(0, this.#settings.limitBytes)
      .toString('utf8');
    return redactSecrets(bounded);
  }
}
