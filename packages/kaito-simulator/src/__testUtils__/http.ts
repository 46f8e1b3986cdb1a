import type { RunningSimulator } from '../simulator';

/** Raw HTTP against the simulated API server, as a client without any SDK would talk to it. */
export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

export async function kube(
  sim: Pick<RunningSimulator, 'url' | 'token'>,
  method: string,
  path: string,
  body?: unknown,
  opts: {
    contentType?: string;
    token?: string | null;
    headers?: Record<string, string>;
  } = {},
): Promise<RawResponse> {
  const headers: Record<string, string> = { ...opts.headers };
  const token = opts.token === undefined ? sim.token : opts.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  let payload: string | Buffer | undefined;
  if (body !== undefined) {
    payload =
      typeof body === 'string' || Buffer.isBuffer(body)
        ? body
        : JSON.stringify(body);
    headers['content-type'] = opts.contentType ?? 'application/json';
  }
  const res = await fetch(`${sim.url}${path}`, {
    method,
    headers,
    body: payload,
  });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

export async function waitFor<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  what: string,
  timeoutMs = 3000,
  everyMs = 5,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== null && (v as unknown) !== false) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${
          last ? ` (last error: ${String(last)})` : ''
        }`,
      );
    }
    await new Promise(r => setTimeout(r, everyMs));
  }
}

export const WS_PATH = (ns: string, name = '') =>
  `/apis/kaito.sh/v1beta1/namespaces/${ns}/workspaces${name ? `/${name}` : ''}`;

export function workspace(
  name: string,
  namespace = 'default',
  extra: Record<string, unknown> = {},
) {
  return {
    apiVersion: 'kaito.sh/v1beta1',
    kind: 'Workspace',
    metadata: { name, namespace, ...(extra.metadata as object) },
    resource: {
      instanceType: 'Standard_NC24ads_A100_v4',
      labelSelector: { matchLabels: { apps: name } },
    },
    inference: { preset: { name: 'phi-4-mini-instruct' } },
    ...Object.fromEntries(
      Object.entries(extra).filter(([k]) => k !== 'metadata'),
    ),
  };
}

export function condition(ws: any, type: string): any {
  return ws?.status?.conditions?.find((c: any) => c.type === type);
}

/** Reads an SSE body into its `data:` payloads. */
export async function readSse(res: Response): Promise<string[]> {
  const text = await res.text();
  return text
    .split('\n\n')
    .filter(Boolean)
    .map(frame => frame.replace(/^data: /, ''));
}
