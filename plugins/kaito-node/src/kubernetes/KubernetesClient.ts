import type { KubeConfig } from '@kubernetes/client-node';
import http, { IncomingMessage } from 'node:http';
import https from 'node:https';
import { ConnectLookup, pinnedLookup } from '../clusters/pinnedLookup';
import { ClusterConnectionDetails, KaitoCluster } from '../clusters/types';
import { SendOptions, sendRequest } from '../httpRequest';
import { ClusterTokenSource } from './clusterAuth';
import { loadClientNode } from './loadClientNode';

/** A failed request to a cluster's API server; never carries credentials. */
export class KubernetesRequestError extends Error {
  readonly name = 'KubernetesRequestError';
  constructor(
    message: string,
    /** HTTP status, or undefined when no response arrived. */
    readonly statusCode?: number,
    /** Kubernetes Status reason, e.g. `NotFound`, `Expired`. */
    readonly reason?: string,
  ) {
    super(message);
  }
}

/** One event from a Kubernetes watch stream. */
export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR' | string;
  object: any;
}

export type Query = Record<string, string | number | boolean | undefined>;

export type { SendOptions };

/**
 * Talks to one cluster's API server. TLS settings come from
 * `@kubernetes/client-node`'s KubeConfig; requests share a keep-alive agent
 * so the inference relay does not pay a TLS handshake per call.
 */
export class KubernetesClient {
  readonly cluster: KaitoCluster;
  readonly #details: ClusterConnectionDetails;
  readonly #tokens: ClusterTokenSource;
  #agent?: Promise<http.Agent>;
  #kubeConfig?: { token: string | undefined; kc: KubeConfig };
  /** Answers the host name with the checked addresses only (catalog clusters). */
  readonly #lookup?: ConnectLookup;

  constructor(details: ClusterConnectionDetails, tokens: ClusterTokenSource) {
    this.#details = details;
    this.#tokens = tokens;
    const {
      serviceAccountToken: _t,
      caData: _c,
      caFile: _f,
      pinnedAddresses,
      ...cluster
    } = details;
    this.cluster = cluster;
    if (pinnedAddresses) {
      this.#lookup = pinnedLookup(
        new URL(details.url).hostname,
        pinnedAddresses,
      );
    }
  }

  /** Authorization headers for the cluster, refreshed as tokens rotate. */
  async authHeaders(): Promise<Record<string, string>> {
    const token = await this.#tokens.getToken();
    return token ? { authorization: `Bearer ${token}` } : {};
  }

  /** A client-node KubeConfig for this cluster with the current token. */
  async kubeConfig(): Promise<KubeConfig> {
    const token = await this.#tokens.getToken();
    if (this.#kubeConfig && this.#kubeConfig.token === token) {
      return this.#kubeConfig.kc;
    }
    const { KubeConfig: KC } = await loadClientNode();
    const kc = new KC();
    const d = this.#details;
    kc.loadFromOptions({
      clusters: [
        {
          name: d.name,
          server: d.url,
          caData: d.caData,
          caFile: d.caFile,
          // client-node refuses plain http unless TLS checks are off; over
          // http there is no TLS to check (kubectl proxy, the simulator).
          skipTLSVerify: d.skipTLSVerify || d.url.startsWith('http:'),
        },
      ],
      users: [{ name: 'backstage', ...(token ? { token } : {}) }],
      contexts: [{ name: d.name, cluster: d.name, user: 'backstage' }],
      currentContext: d.name,
    });
    this.#pinAgents(kc);
    this.#kubeConfig = { token, kc };
    return kc;
  }

  /**
   * client-node builds its own agents (watches, API clients); give them the
   * pinned lookup too, so no connection to this cluster resolves the name
   * again.
   */
  #pinAgents(kc: KubeConfig) {
    const lookup = this.#lookup;
    if (!lookup) return;
    const target = kc as unknown as {
      createAgent(cluster: unknown, options: Record<string, unknown>): unknown;
    };
    const createAgent = target.createAgent.bind(kc);
    target.createAgent = (cluster, options) =>
      createAgent(cluster, { ...options, lookup });
  }

  /** The shared keep-alive agent, with the cluster's TLS settings. */
  agent(): Promise<http.Agent> {
    if (!this.#agent) {
      this.#agent = this.#createAgent();
      this.#agent.catch(() => {
        this.#agent = undefined;
      });
    }
    return this.#agent;
  }

  async #createAgent(): Promise<http.Agent> {
    const base = {
      keepAlive: true,
      keepAliveMsecs: 30_000,
      scheduling: 'lifo' as const,
      ...(this.#lookup ? { lookup: this.#lookup } : {}),
    };
    if (this.#details.url.startsWith('http:')) {
      return new http.Agent(base);
    }
    const tls: https.AgentOptions = {};
    await (await this.kubeConfig()).applyToHTTPSOptions(tls as any);
    return new https.Agent({
      ...base,
      ca: tls.ca,
      cert: tls.cert,
      key: tls.key,
      servername: tls.servername,
      rejectUnauthorized: !this.#details.skipTLSVerify,
    });
  }

  /** Absolute URL for an API path (the path is not re-encoded). */
  url(path: string, query?: Query): URL {
    const url = new URL(this.#details.url + path);
    for (const [k, v] of Object.entries(query ?? {})) {
      if (v !== undefined) url.searchParams.set(k, String(v));
    }
    return url;
  }

  /**
   * Sends one request and resolves with the response once its headers are
   * in. The body is left unread for the caller to stream.
   */
  async send(
    path: string,
    options: SendOptions = {},
    query?: Query,
  ): Promise<IncomingMessage> {
    const url = this.url(path, query);
    const [agent, auth] = await Promise.all([this.agent(), this.authHeaders()]);
    return sendRequest(url, agent, {
      ...options,
      headers: { ...options.headers, ...auth },
    });
  }

  /** GET a JSON document; throws KubernetesRequestError on any non-2xx. */
  async getJson<T = any>(
    path: string,
    query?: Query,
    options: { signal?: AbortSignal; timeoutMs?: number } = {},
  ): Promise<T> {
    const signal = AbortSignal.any(
      [options.signal, AbortSignal.timeout(options.timeoutMs ?? 30_000)].filter(
        (s): s is AbortSignal => !!s,
      ),
    );
    let res: IncomingMessage;
    try {
      res = await this.send(
        path,
        { headers: { accept: 'application/json' }, signal },
        query,
      );
    } catch (error) {
      throw new KubernetesRequestError(
        `Cluster '${this.cluster.name}' is unreachable: ${describeNetworkError(
          error,
        )}`,
      );
    }
    const text = await readBody(res, 64 * 1024 * 1024);
    if (res.statusCode! < 200 || res.statusCode! >= 300) {
      throw statusError(this.cluster.name, res.statusCode!, text);
    }
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new KubernetesRequestError(
        `Cluster '${this.cluster.name}' answered ${path} with invalid JSON`,
        res.statusCode,
      );
    }
  }

  /**
   * Opens a watch (client-node's Watch) and resolves when the server closes
   * it cleanly; rejects with KubernetesRequestError when it fails.
   */
  async watch(
    path: string,
    query: Query,
    onEvent: (event: WatchEvent) => void,
    signal: AbortSignal,
  ): Promise<void> {
    const { Watch } = await loadClientNode();
    const watch = new Watch(await this.kubeConfig());
    return new Promise<void>((resolve, reject) => {
      let controller: AbortController | undefined;
      const onAbort = () => controller?.abort();
      signal.addEventListener('abort', onAbort, { once: true });
      const finish = (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        if (!err || signal.aborted) resolve();
        else reject(toRequestError(this.cluster.name, err));
      };
      watch
        .watch(path, query, (type, object) => onEvent({ type, object }), finish)
        .then(c => {
          controller = c;
          if (signal.aborted) c.abort();
        }, finish);
    });
  }
}

function toRequestError(cluster: string, err: unknown): KubernetesRequestError {
  if (err instanceof KubernetesRequestError) return err;
  const statusCode = (err as { statusCode?: number }).statusCode;
  if (statusCode) {
    return new KubernetesRequestError(
      `Cluster '${cluster}' refused the watch with HTTP ${statusCode}`,
      statusCode,
    );
  }
  return new KubernetesRequestError(
    `Watch on cluster '${cluster}' failed: ${describeNetworkError(err)}`,
  );
}

function statusError(cluster: string, status: number, body: string) {
  let reason: string | undefined;
  let message = '';
  try {
    const parsed = JSON.parse(body);
    reason = typeof parsed?.reason === 'string' ? parsed.reason : undefined;
    message = typeof parsed?.message === 'string' ? parsed.message : '';
  } catch {
    // not a Status object
  }
  const detail = message ? `: ${message.slice(0, 300)}` : '';
  return new KubernetesRequestError(
    `Cluster '${cluster}' answered HTTP ${status}${detail}`,
    status,
    reason,
  );
}

/** A network error in words, without URLs that might carry tokens. */
export function describeNetworkError(err: unknown): string {
  const e = err as { code?: string; name?: string; message?: string };
  if (e?.name === 'AbortError' || e?.name === 'TimeoutError')
    return 'request timed out or was aborted';
  if (e?.code) return e.code;
  return (e?.message ?? String(err)).slice(0, 200);
}

/** Reads a response body as text, refusing more than maxBytes. */
export function readBody(
  res: IncomingMessage,
  maxBytes: number,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (c: Buffer) => {
      size += c.length;
      if (size > maxBytes) {
        res.destroy();
        reject(new Error(`response larger than ${maxBytes} bytes`));
        return;
      }
      chunks.push(c);
    });
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', reject);
    res.on('aborted', () => reject(new Error('response aborted')));
  });
}
