import { HttpError } from './errors';

/**
 * How the engine reaches `spec.inferenceService.url` (LLM_INFERENCE_URL)
 * inside the simulator: the URL's host names a workspace Service
 * (`<ws>`, `<ws>.<ns>`, `<ws>.<ns>.svc`, `<ws>.<ns>.svc.cluster.local`),
 * which resolves to that workspace's simulated inference server. A name
 * that resolves to nothing fails like DNS; a workspace that is not serving
 * fails like a refused connection (httpx's words).
 */

export type WorkspaceEndpoint =
  | { url: string }
  | { error: 'unknownHost' | 'refused' };

/** Finds a workspace's inference server: its loopback base URL when it serves. */
export type WorkspaceResolver = (
  namespace: string,
  workspace: string,
) => Promise<WorkspaceEndpoint>;

export class LlmRequestError extends Error {}

export const UNKNOWN_HOST = '[Errno -2] Name or service not known';
export const REFUSED = 'All connection attempts failed';

/** `<ws>[.<ns>[.svc[.cluster.local]]]` → namespace and workspace; undefined for any other host. */
export function serviceOf(
  host: string,
  defaultNamespace: string,
): { namespace: string; workspace: string } | undefined {
  const parts = host.toLowerCase().split('.');
  const [workspace, ns] = parts;
  const tail = parts.slice(2).join('.');
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(workspace ?? ''))
    return undefined;
  if (parts.length === 1) return { namespace: defaultNamespace, workspace };
  if (tail === '' || tail === 'svc' || tail === 'svc.cluster.local')
    return { namespace: ns, workspace };
  return undefined;
}

export class LlmClient {
  constructor(
    readonly inferenceUrl: string,
    private readonly namespace: string,
    private readonly resolve: WorkspaceResolver,
  ) {}

  get supportsChat(): boolean {
    return this.inferenceUrl.includes('/chat/completions');
  }

  /** POSTs a JSON body to LLM_INFERENCE_URL; throws LlmRequestError when nothing answers. */
  async post(body: unknown, signal?: AbortSignal): Promise<Response> {
    let url: URL;
    try {
      url = new URL(this.inferenceUrl);
    } catch {
      throw new LlmRequestError(
        `Request URL is missing an 'http://' or 'https://' protocol.`,
      );
    }
    const target = serviceOf(url.hostname, this.namespace);
    if (!target) throw new LlmRequestError(UNKNOWN_HOST);
    if (url.port && url.port !== '80') throw new LlmRequestError(REFUSED);
    const endpoint = await this.resolve(target.namespace, target.workspace);
    if ('error' in endpoint)
      throw new LlmRequestError(
        endpoint.error === 'unknownHost' ? UNKNOWN_HOST : REFUSED,
      );
    try {
      return await fetch(`${endpoint.url}${url.pathname}${url.search}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
        },
        body: JSON.stringify(body),
        signal,
      });
    } catch (e) {
      if (signal?.aborted) throw e;
      throw new LlmRequestError(REFUSED);
    }
  }

  /** The passthrough's answer to an upstream error status: the same code, the body as Python prints bytes. */
  static async upstreamError(res: Response): Promise<HttpError> {
    const text = await res.text().catch(() => '');
    return new HttpError(
      res.status,
      `b'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`,
    );
  }
}
