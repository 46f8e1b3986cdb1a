import http, { IncomingMessage } from 'node:http';
import { dns1123LabelProblem } from '@kaito-backstage/plugin-kaito-common';
import { SendOptions, sendRequest } from '../httpRequest';
import { KubernetesClient } from '../kubernetes/KubernetesClient';
import { RagEngineKey } from './types';

/**
 * Where requests for one RAGEngine go: its Service `<rag>` (port `http`),
 * through the API server's service proxy or by cluster DNS, like Workspaces
 * (see inference/targets.ts). Built from validated names only.
 */
export interface RagEngineTarget {
  readonly id: string;
  /** Words for messages, e.g. `RAGEngine default/docs on cluster 'aks'`. */
  readonly label: string;
  send(path: string, options: SendOptions): Promise<IncomingMessage>;
}

/** Index names as the engine's URL paths take them (see ragAnnotations.ts). */
const INDEX_SEGMENT = '[A-Za-z0-9][A-Za-z0-9_.-]{0,62}';
const PATHS = new RegExp(
  `^/(health|index|indexes|retrieve|v1/chat/completions|indexes/${INDEX_SEGMENT}(/documents(/delete)?)?)(\\?[A-Za-z0-9_=&%.-]*)?$`,
);

/** The engine's own routes; anything else is refused before it leaves. */
export function assertRagPath(path: string) {
  if (!PATHS.test(path)) {
    throw new Error(
      `Refusing to send to RAGEngine path "${path.slice(0, 80)}"`,
    );
  }
}

function assertLabel(what: string, value: string) {
  const problem = dns1123LabelProblem(value);
  if (problem) throw new Error(`Invalid ${what}: ${problem}`);
}

function labelOf(key: RagEngineKey) {
  return `RAGEngine ${key.namespace}/${key.name} on cluster '${key.cluster}'`;
}

/** `/api/v1/namespaces/<ns>/services/<rag>:<port>/proxy/...` on the cluster's API server. */
export function ragServiceProxyTarget(
  client: KubernetesClient,
  key: RagEngineKey,
  port = 'http',
): RagEngineTarget {
  assertLabel('namespace', key.namespace);
  assertLabel('RAGEngine name', key.name);
  if (!/^([a-z0-9-]{1,15}|[0-9]{1,5})$/.test(port)) {
    throw new Error(`Invalid service port "${port}"`);
  }
  const prefix = `/api/v1/namespaces/${key.namespace}/services/${key.name}:${port}/proxy`;
  return {
    id: `rag-proxy:${key.cluster}/${key.namespace}/${key.name}`,
    label: labelOf(key),
    send(path, options) {
      assertRagPath(path);
      return client.send(prefix + path, options);
    },
  };
}

const dnsAgent = new http.Agent({
  keepAlive: true,
  keepAliveMsecs: 30_000,
  scheduling: 'lifo',
});

/** `http://<rag>.<ns>.svc.<domain>:80`, for a Backstage inside the cluster. */
export function ragClusterDnsTarget(
  key: RagEngineKey,
  clusterDomain = 'cluster.local',
  port = 80,
): RagEngineTarget {
  assertLabel('namespace', key.namespace);
  assertLabel('RAGEngine name', key.name);
  if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(clusterDomain)) {
    throw new Error(`Invalid cluster domain "${clusterDomain}"`);
  }
  const base = `http://${key.name}.${key.namespace}.svc.${clusterDomain}:${port}`;
  return {
    id: `rag-dns:${key.cluster}/${key.namespace}/${key.name}`,
    label: labelOf(key),
    send(path, options) {
      assertRagPath(path);
      return sendRequest(new URL(base + path), dnsAgent, options);
    },
  };
}
