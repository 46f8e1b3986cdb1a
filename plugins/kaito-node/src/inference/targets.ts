import http, { IncomingMessage } from 'node:http';
import https from 'node:https';
import { dns1123LabelProblem } from '@kaito-backstage/plugin-kaito-common';
import { SendOptions, sendRequest } from '../httpRequest';
import { KubernetesClient } from '../kubernetes/KubernetesClient';

/**
 * Where inference requests for one model go. Paths are the model server's
 * own (`/v1/models`, `/v1/chat/completions`, legacy `/chat`); the target
 * decides how they are reached. Every target is built from configuration and
 * validated names only, never from request input.
 */
export interface InferenceTarget {
  /** Stable id for caches and metrics. */
  readonly id: string;
  /** Words for messages, e.g. `Workspace default/phi-4 on cluster 'aks'`. */
  readonly label: string;
  /** False for external endpoints, which never speak the legacy protocol. */
  readonly allowsLegacy: boolean;
  /** Model to use when the server cannot list its models. */
  readonly defaultModel?: string;
  /** The model's context length (tokens) from the catalog, when known. */
  readonly contextLength?: number;
  /**
   * Field that carries the completion limit: `max_tokens` (KAITO's vLLM and
   * Transformers) or `max_completion_tokens` (OpenAI and Azure OpenAI, whose
   * reasoning models refuse `max_tokens`).
   */
  readonly maxTokensField: 'max_tokens' | 'max_completion_tokens';
  send(path: string, options: SendOptions): Promise<IncomingMessage>;
}

function assertLabel(what: string, value: string) {
  const problem = dns1123LabelProblem(value);
  if (problem) throw new Error(`Invalid ${what}: ${problem}`);
}

/** Paths the model server serves (and its Prometheus `/metrics`); anything else is refused before it leaves. */
function assertModelPath(path: string) {
  if (!/^\/(v1\/[a-z][a-z/_-]*|chat|metrics)$/.test(path)) {
    throw new Error(
      `Refusing to send to model server path "${path.slice(0, 60)}"`,
    );
  }
}

/**
 * Through the API server's service proxy:
 * `/api/v1/namespaces/<ns>/services/<ws>:<port>/proxy/...`. Works from
 * outside the cluster; needs `services/proxy` RBAC.
 */
export function serviceProxyTarget(options: {
  client: KubernetesClient;
  namespace: string;
  name: string;
  /** Service port name or number (KAITO: `http` = 80 -> 5000). */
  port?: string;
  defaultModel?: string;
  contextLength?: number;
}): InferenceTarget {
  const { client, namespace, name } = options;
  const port = options.port ?? 'http';
  assertLabel('namespace', namespace);
  assertLabel('workspace name', name);
  if (!/^([a-z0-9-]{1,15}|[0-9]{1,5})$/.test(port)) {
    throw new Error(`Invalid service port "${port}"`);
  }
  const prefix = `/api/v1/namespaces/${namespace}/services/${name}:${port}/proxy`;
  return {
    id: `proxy:${client.cluster.name}/${namespace}/${name}`,
    label: `Workspace ${namespace}/${name} on cluster '${client.cluster.name}'`,
    allowsLegacy: true,
    defaultModel: options.defaultModel,
    contextLength: options.contextLength,
    maxTokensField: 'max_tokens',
    send(path, sendOptions) {
      assertModelPath(path);
      return client.send(prefix + path, sendOptions);
    },
  };
}

const dnsAgent = new http.Agent({
  keepAlive: true,
  keepAliveMsecs: 30_000,
  scheduling: 'lifo',
});

/**
 * Straight to the Service by cluster DNS, `http://<ws>.<ns>.svc.<domain>`,
 * for a Backstage that runs inside the cluster.
 */
export function clusterDnsTarget(options: {
  cluster: string;
  namespace: string;
  name: string;
  clusterDomain?: string;
  port?: number;
  defaultModel?: string;
  contextLength?: number;
}): InferenceTarget {
  const { namespace, name } = options;
  assertLabel('namespace', namespace);
  assertLabel('workspace name', name);
  const domain = options.clusterDomain ?? 'cluster.local';
  if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(domain)) {
    throw new Error(`Invalid cluster domain "${domain}"`);
  }
  const base = `http://${name}.${namespace}.svc.${domain}:${
    options.port ?? 80
  }`;
  return {
    id: `dns:${options.cluster}/${namespace}/${name}`,
    label: `Workspace ${namespace}/${name} on cluster '${options.cluster}'`,
    allowsLegacy: true,
    defaultModel: options.defaultModel,
    contextLength: options.contextLength,
    maxTokensField: 'max_tokens',
    send(path, sendOptions) {
      assertModelPath(path);
      return sendRequest(new URL(base + path), dnsAgent, sendOptions);
    },
  };
}

/** An OpenAI-compatible endpoint named in config (e.g. Azure OpenAI). */
export interface ExternalTargetConfig {
  name: string;
  /** OpenAI base URL including `/v1` (or Azure's `/openai/v1`). */
  baseUrl: string;
  apiKey?: string;
  /** Header that carries the key: `authorization` (Bearer, default) or `api-key` (Azure). */
  apiKeyHeader?: 'authorization' | 'api-key';
  model?: string;
  /** Field for the completion limit (default `max_completion_tokens`). */
  maxTokensField?: 'max_tokens' | 'max_completion_tokens';
}

const externalAgents = {
  'http:': new http.Agent({ keepAlive: true, scheduling: 'lifo' }),
  'https:': new https.Agent({ keepAlive: true, scheduling: 'lifo' }),
};

export function externalTarget(config: ExternalTargetConfig): InferenceTarget {
  const base = new URL(config.baseUrl.replace(/\/+$/, ''));
  if (base.protocol !== 'https:' && base.protocol !== 'http:') {
    throw new Error(`External target '${config.name}' baseUrl must be http(s)`);
  }
  const auth: Record<string, string> = {};
  if (config.apiKey) {
    if (config.apiKeyHeader === 'api-key') auth['api-key'] = config.apiKey;
    else auth.authorization = `Bearer ${config.apiKey}`;
  }
  return {
    id: `external:${config.name}`,
    label: `External model endpoint '${config.name}'`,
    allowsLegacy: false,
    defaultModel: config.model,
    maxTokensField: config.maxTokensField ?? 'max_completion_tokens',
    send(path, sendOptions) {
      assertModelPath(path);
      if (!path.startsWith('/v1/')) {
        throw new Error(
          `External target '${config.name}' speaks only the OpenAI API`,
        );
      }
      const url = new URL(base.href);
      url.pathname = `${url.pathname.replace(/\/+$/, '')}/${path.slice(4)}`;
      return sendRequest(
        url,
        externalAgents[base.protocol as 'http:' | 'https:'],
        {
          ...sendOptions,
          headers: { ...sendOptions.headers, ...auth },
        },
      );
    },
  };
}
