/**
 * The KAITO simulator's Kubernetes API as scripts/e2e.sh starts it, to recreate the example
 * Workspace so a test can watch it provision from scratch.
 */
const port = process.env.KAITO_SIMULATOR_PORT;
const token = process.env.KAITO_SIMULATOR_TOKEN ?? 'kaito-simulator-dev-token';
const base = port ? `http://127.0.0.1:${port}` : undefined;

const path = (ns: string, name?: string) =>
  `/apis/kaito.sh/v1beta1/namespaces/${ns}/workspaces${name ? `/${name}` : ''}`;

async function call(method: string, url: string, body?: unknown) {
  return fetch(`${base}${url}`, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      'Content-Type': 'application/json',
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

export const simulatorAvailable = () => base !== undefined;

/** Deletes the Workspace, waits until it is gone, and creates it again from its own spec. */
export async function recreateWorkspace(ns: string, name: string) {
  const current = await call('GET', path(ns, name));
  if (!current.ok) {
    throw new Error(`GET workspace ${ns}/${name}: ${current.status}`);
  }
  const ws = await current.json();
  const { metadata } = ws;
  const fresh = {
    apiVersion: ws.apiVersion,
    kind: ws.kind,
    metadata: {
      name: metadata.name,
      namespace: metadata.namespace,
      labels: metadata.labels,
      annotations: metadata.annotations,
    },
    resource: ws.resource,
    ...(ws.inference ? { inference: ws.inference } : {}),
    ...(ws.tuning ? { tuning: ws.tuning } : {}),
  };
  const deleted = await call('DELETE', path(ns, name));
  if (!deleted.ok) throw new Error(`DELETE workspace: ${deleted.status}`);
  for (;;) {
    const res = await call('GET', path(ns, name));
    if (res.status === 404) break;
    await new Promise(r => setTimeout(r, 200));
  }
  const created = await call('POST', path(ns), fresh);
  if (!created.ok) {
    throw new Error(
      `POST workspace: ${created.status} ${await created.text()}`,
    );
  }
}
