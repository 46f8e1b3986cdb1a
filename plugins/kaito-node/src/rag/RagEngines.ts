import { Config } from '@backstage/config';
import { ragEngineReadiness } from '@kaito-backstage/plugin-kaito-common';
import { InferenceSettings } from '../inference/InferenceUpstreams';
import { KubernetesClientFactory } from '../kubernetes/KubernetesClientFactory';
import { RagChatUpstream } from './RagChatUpstream';
import { RagEngineClient } from './RagEngineClient';
import { RagEngineReadinessFn } from './ragEngineSnapshot';
import {
  RagEngineTarget,
  ragClusterDnsTarget,
  ragServiceProxyTarget,
} from './ragEngineTarget';
import { RagEngineWatcher } from './RagEngineWatcher';
import { DEFAULT_RAG_SETTINGS, RagEngineKey, RagSettings } from './types';

/** Reads `kaito.rag.*` (connection part); access and cluster domain follow `kaito.inference`. */
export function readRagSettings(
  config: Config,
  inference: Pick<InferenceSettings, 'access' | 'clusterDomain'>,
): RagSettings {
  const c = config.getOptionalConfig('kaito.rag');
  const positive = (key: keyof typeof DEFAULT_RAG_SETTINGS) => {
    const fallback = DEFAULT_RAG_SETTINGS[key] as number;
    const v = c?.getOptionalNumber(key) ?? fallback;
    if (!Number.isFinite(v) || v <= 0) {
      throw new Error(`kaito.rag.${key} must be a positive number, got ${v}`);
    }
    return v;
  };
  return {
    access: inference.access,
    clusterDomain: inference.clusterDomain,
    servicePort:
      c?.getOptionalString('servicePort') ?? DEFAULT_RAG_SETTINGS.servicePort,
    timeoutMs: positive('timeoutMs'),
    indexTimeoutMs: positive('indexTimeoutMs'),
    maxResponseBytes: positive('maxResponseBytes'),
    pollIntervalMs: positive('pollIntervalMs'),
  };
}

const MAX_CACHED = 1_000;

/**
 * Everything the backend needs for RAGEngines: their readiness (polled,
 * shared between viewers), an HTTP client per engine and the chat upstream
 * per engine and index.
 */
export class RagEngines {
  readonly watcher: RagEngineWatcher;
  readonly #clients = new Map<string, RagEngineClient>();

  constructor(
    readonly settings: RagSettings,
    private readonly kube: KubernetesClientFactory,
    readiness: RagEngineReadinessFn = ragEngineReadiness,
  ) {
    this.watcher = new RagEngineWatcher({
      clients: kube,
      readiness,
      pollIntervalMs: settings.pollIntervalMs,
    });
  }

  /** The engine's HTTP client (same access mode as Workspaces). */
  async client(key: RagEngineKey): Promise<RagEngineClient> {
    const kube = await this.kube.forCluster(key.cluster);
    let target: RagEngineTarget;
    if (this.settings.access === 'clusterDns') {
      target = ragClusterDnsTarget(key, this.settings.clusterDomain);
    } else {
      target = ragServiceProxyTarget(kube, key, this.settings.servicePort);
    }
    // Keyed by the cluster's URL too: a re-registered cluster gets a new client.
    const id = `${target.id}@${kube.cluster.url}`;
    let client = this.#clients.get(id);
    if (!client) {
      if (this.#clients.size >= MAX_CACHED)
        this.#clients.delete(this.#clients.keys().next().value!);
      client = new RagEngineClient(target, {
        timeoutMs: this.settings.timeoutMs,
        indexTimeoutMs: this.settings.indexTimeoutMs,
        maxResponseBytes: this.settings.maxResponseBytes,
      });
      this.#clients.set(id, client);
    }
    return client;
  }

  /** The chat upstream for one engine and index; `model` is the engine's LLM when known. */
  async chat(
    key: RagEngineKey,
    index: string,
    model?: string,
  ): Promise<RagChatUpstream> {
    return new RagChatUpstream(await this.client(key), index, model);
  }

  stop() {
    this.watcher.stop();
  }
}
