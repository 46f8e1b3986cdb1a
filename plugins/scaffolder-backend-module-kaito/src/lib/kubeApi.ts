import type { KubernetesClient } from '@kaito-backstage/plugin-kaito-node';
import { IncomingMessage } from 'node:http';

/** The field manager this module's server-side applies are recorded under. */
export const FIELD_MANAGER = 'backstage-kaito';

/** A Kubernetes API answer that was not 2xx, with the Status details. */
export class KubeApiError extends Error {
  readonly name = 'KubeApiError';
  constructor(
    message: string,
    readonly statusCode: number,
    readonly reason?: string,
    readonly causes: Array<{ field?: string; message?: string }> = [],
  ) {
    super(message);
  }
}

function readText(
  res: IncomingMessage,
  max = 16 * 1024 * 1024,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) {
        res.destroy();
        reject(new Error('response too large'));
      } else chunks.push(c);
    });
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', reject);
  });
}

/**
 * Small JSON helper over kaito-node's KubernetesClient (which carries the
 * cluster's URL, TLS and token): get, server-side apply, delete, list.
 */
export class KubeApi {
  constructor(private readonly client: KubernetesClient) {}

  get clusterName() {
    return this.client.cluster.name;
  }

  async request<T = any>(
    method: string,
    path: string,
    options: {
      body?: unknown;
      contentType?: string;
      query?: Record<string, string | undefined>;
      signal?: AbortSignal;
    } = {},
  ): Promise<T> {
    const signal = AbortSignal.any(
      [options.signal, AbortSignal.timeout(60_000)].filter(
        (s): s is AbortSignal => !!s,
      ),
    );
    let res: IncomingMessage;
    try {
      res = await this.client.send(
        path,
        {
          method,
          signal,
          headers: {
            accept: 'application/json',
            ...(options.body !== undefined
              ? { 'content-type': options.contentType ?? 'application/json' }
              : {}),
          },
          body:
            options.body === undefined
              ? undefined
              : JSON.stringify(options.body),
        },
        options.query,
      );
    } catch (error) {
      const e = error as { name?: string; code?: string; message?: string };
      throw new Error(
        `Cluster '${this.clusterName}' is unreachable: ${
          e.name === 'AbortError' || e.name === 'TimeoutError'
            ? 'request timed out or was cancelled'
            : e.code ?? e.message
        }`,
      );
    }
    const text = await readText(res);
    const status = res.statusCode ?? 0;
    let body: any;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    if (status < 200 || status >= 300) {
      const message =
        typeof body?.message === 'string' ? body.message : `HTTP ${status}`;
      throw new KubeApiError(
        `Cluster '${this.clusterName}' answered ${status}: ${message.slice(
          0,
          1000,
        )}`,
        status,
        body?.reason,
        Array.isArray(body?.details?.causes) ? body.details.causes : [],
      );
    }
    return body as T;
  }

  /** The object, or undefined on 404. */
  async getOptional<T = any>(path: string, signal?: AbortSignal) {
    try {
      return await this.request<T>('GET', path, { signal });
    } catch (error) {
      if (error instanceof KubeApiError && error.statusCode === 404)
        return undefined;
      throw error;
    }
  }

  /** Server-side apply (force: this module owns the fields it sets). */
  apply<T = any>(
    path: string,
    object: unknown,
    options: { dryRun?: boolean; signal?: AbortSignal } = {},
  ) {
    return this.request<T>('PATCH', path, {
      body: object,
      contentType: 'application/apply-patch+yaml',
      query: {
        fieldManager: FIELD_MANAGER,
        force: 'true',
        dryRun: options.dryRun ? 'All' : undefined,
      },
      signal: options.signal,
    });
  }

  /** Deletes; true when it existed. */
  async delete(path: string, signal?: AbortSignal): Promise<boolean> {
    try {
      await this.request('DELETE', path, {
        query: { propagationPolicy: 'Background' },
        signal,
      });
      return true;
    } catch (error) {
      if (error instanceof KubeApiError && error.statusCode === 404)
        return false;
      throw error;
    }
  }
}

/** API path of a Workspace (collection when name is omitted). */
export function workspacePath(
  apiVersion: string,
  namespace: string,
  name?: string,
): string {
  const base = `/apis/${apiVersion}/namespaces/${encodeURIComponent(
    namespace,
  )}/workspaces`;
  return name ? `${base}/${encodeURIComponent(name)}` : base;
}
