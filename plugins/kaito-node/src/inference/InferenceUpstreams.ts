import { Config } from '@backstage/config';
import { NotFoundError } from '@backstage/errors';
import {
  Workspace,
  findModel,
  servedModelName,
  workspacePresetName,
} from '@kaito-backstage/plugin-kaito-common';
import { KubernetesClientFactory } from '../kubernetes/KubernetesClientFactory';
import { WorkspaceKey } from '../watch/types';
import { InferenceUpstream } from './InferenceUpstream';
import {
  ExternalTargetConfig,
  InferenceTarget,
  clusterDnsTarget,
  externalTarget,
  serviceProxyTarget,
} from './targets';

/** How the backend reaches Workspace model servers. */
export type InferenceAccess = 'serviceProxy' | 'clusterDns';

export interface InferenceSettings {
  access: InferenceAccess;
  /** Service port for the service proxy (default `http`). */
  servicePort: string;
  /** Cluster DNS domain for `clusterDns` (default `cluster.local`). */
  clusterDomain: string;
  /** How long a detected protocol / model list is trusted (default 60 s). */
  detectTtlMs: number;
  externalTargets: ExternalTargetConfig[];
}

/** Reads `kaito.inference.*` and `kaito.externalTargets[]`. */
export function readInferenceSettings(config: Config): InferenceSettings {
  const access =
    config.getOptionalString('kaito.inference.access') ?? 'serviceProxy';
  if (access !== 'serviceProxy' && access !== 'clusterDns') {
    throw new Error(
      `kaito.inference.access must be 'serviceProxy' or 'clusterDns', got '${access}'`,
    );
  }
  const names = new Set<string>();
  const externalTargets = (
    config.getOptionalConfigArray('kaito.externalTargets') ?? []
  ).map(c => {
    const name = c.getString('name');
    if (names.has(name))
      throw new Error(`Duplicate kaito.externalTargets name '${name}'`);
    names.add(name);
    const maxTokensField =
      c.getOptionalString('maxTokensField') ?? 'max_completion_tokens';
    if (
      maxTokensField !== 'max_tokens' &&
      maxTokensField !== 'max_completion_tokens'
    ) {
      throw new Error(
        `kaito.externalTargets '${name}'.maxTokensField must be 'max_tokens' or 'max_completion_tokens'`,
      );
    }
    const apiKeyHeader = c.getOptionalString('apiKeyHeader') ?? 'authorization';
    if (apiKeyHeader !== 'authorization' && apiKeyHeader !== 'api-key') {
      throw new Error(
        `kaito.externalTargets '${name}'.apiKeyHeader must be 'authorization' or 'api-key'`,
      );
    }
    const baseUrl = c.getString('baseUrl');
    try {
      const u = new URL(baseUrl);
      if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error();
    } catch {
      throw new Error(
        `kaito.externalTargets '${name}'.baseUrl must be an http(s) URL`,
      );
    }
    return {
      name,
      baseUrl,
      apiKey: c.getOptionalString('apiKey'),
      apiKeyHeader: apiKeyHeader as 'authorization' | 'api-key',
      model: c.getOptionalString('model'),
      maxTokensField: maxTokensField as 'max_tokens' | 'max_completion_tokens',
    };
  });
  return {
    access,
    servicePort:
      config.getOptionalString('kaito.inference.servicePort') ?? 'http',
    clusterDomain:
      config.getOptionalString('kaito.inference.clusterDomain') ??
      'cluster.local',
    detectTtlMs:
      config.getOptionalNumber('kaito.inference.detectTtlMs') ?? 60_000,
    externalTargets,
  };
}

const MAX_UPSTREAMS = 5_000;

/** Hands out one InferenceUpstream per Workspace or external target. */
export class InferenceUpstreams {
  readonly settings: InferenceSettings;
  readonly #clients: KubernetesClientFactory;
  readonly #cache = new Map<
    string,
    { fingerprint: string; upstream: InferenceUpstream }
  >();

  constructor(settings: InferenceSettings, clients: KubernetesClientFactory) {
    this.settings = settings;
    this.#clients = clients;
  }

  /** The upstream for a Workspace; its served model name comes from the preset. */
  async forWorkspace(
    key: WorkspaceKey,
    workspace?: Workspace,
  ): Promise<InferenceUpstream> {
    const client = await this.#clients.forCluster(key.cluster);
    const preset = workspace ? workspacePresetName(workspace) : undefined;
    const defaultModel = preset ? servedModelName(preset) : undefined;
    const contextLength = preset ? findModel(preset)?.contextLength : undefined;
    // The Workspace object version: a redeploy may change runtime or model.
    const generation = `${workspace?.metadata.uid ?? ''}:${
      workspace?.metadata.generation ?? ''
    }:${defaultModel ?? ''}`;
    let target: InferenceTarget;
    if (this.settings.access === 'clusterDns') {
      target = clusterDnsTarget({
        cluster: client.cluster.name,
        namespace: key.namespace,
        name: key.name,
        clusterDomain: this.settings.clusterDomain,
        defaultModel,
        contextLength,
      });
    } else {
      target = serviceProxyTarget({
        client,
        namespace: key.namespace,
        name: key.name,
        port: this.settings.servicePort,
        defaultModel,
        contextLength,
      });
    }
    return this.#get(target, `${generation}:${client.cluster.url}`);
  }

  /** The upstream for a configured external target, by name. */
  forExternal(name: string): InferenceUpstream {
    const config = this.settings.externalTargets.find(t => t.name === name);
    if (!config) {
      throw new NotFoundError(
        `External target '${name}' is not configured; configured targets: ${
          this.settings.externalTargets.map(t => t.name).join(', ') || '(none)'
        }`,
      );
    }
    const target = externalTarget(config);
    return this.#get(target, '');
  }

  #get(target: InferenceTarget, fingerprint: string) {
    const cached = this.#cache.get(target.id);
    if (cached?.fingerprint === fingerprint) return cached.upstream;
    // Bounded: entries come from catalog annotations, which anyone may write.
    if (this.#cache.size >= MAX_UPSTREAMS)
      this.#cache.delete(this.#cache.keys().next().value!);
    const upstream = new InferenceUpstream(target, {
      detectTtlMs: this.settings.detectTtlMs,
    });
    this.#cache.set(target.id, { fingerprint, upstream });
    return upstream;
  }
}
