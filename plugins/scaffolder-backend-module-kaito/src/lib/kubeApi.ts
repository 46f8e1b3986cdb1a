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

const PATH =
  '(?:[A-Za-z_][\\w-]*(?:\\[[^\\]]*\\])?(?:\\.[A-Za-z_][\\w-]*(?:\\[[^\\]]*\\])?)+|resource|inference|tuning|name)';
const DENIAL_LINE = new RegExp(`^([\\s\\S]*?): (${PATH}(?:, ${PATH})*)$`);

/**
 * The field errors in an admission webhook's denial, as the API server
 * relays it (400, no details): `admission webhook "<name>" denied the request:
 * validation failed: <message>: <field>[, <field>]` per line (knative's
 * FieldError, which KAITO's webhook returns). One cause per field; a line
 * without a field keeps its message alone. Anything else: no causes.
 */
export function webhookDenialCauses(
  message: string,
): Array<{ field?: string; message?: string }> {
  const m =
    /^admission webhook "[^"]+" denied the request: (?:validation failed: )?([\s\S]+)$/.exec(
      message,
    );
  if (!m) return [];
  return m[1]
    .split('\n')
    .filter(line => line.trim())
    .flatMap(line => {
      const f = DENIAL_LINE.exec(line);
      if (!f) return [{ message: line }];
      return f[2].split(', ').map(field => ({ field, message: f[1] }));
    });
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
        Array.isArray(body?.details?.causes)
          ? body.details.causes
          : webhookDenialCauses(message),
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
