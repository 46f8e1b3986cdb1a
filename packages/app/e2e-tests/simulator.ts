/**
 * The KAITO simulator's Kubernetes API as scripts/e2e.sh starts it, to recreate the example
 * Workspace so a test can watch it provision from scratch, or create Workspaces on either
 * simulated cluster (the default one, KAITO v0.12, or the v0.8 one on KAITO_SIMULATOR_V08_PORT).
 */
const port = process.env.KAITO_SIMULATOR_PORT;
const token = process.env.KAITO_SIMULATOR_TOKEN ?? 'kaito-simulator-dev-token';
const base = port ? `http://127.0.0.1:${port}` : undefined;

const path = (ns: string, name?: string) =>
  `/apis/kaito.sh/v1beta1/namespaces/${ns}/workspaces${name ? `/${name}` : ''}`;

/** The simulated clusters scripts/e2e.sh starts, by the name app-config.e2e.yaml gives them. */
export const SIMULATED_CLUSTERS = {
  'kaito-simulator': process.env.KAITO_SIMULATOR_PORT,
  'kaito-simulator-v08': process.env.KAITO_SIMULATOR_V08_PORT,
} as const;

async function call(
  method: string,
  url: string,
  body?: unknown,
  on: string | undefined = base,
) {
  return fetch(`${on}${url}`, {
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

/**
 * Creates `ws` (a Workspace) on the named simulated cluster, in a namespace created if missing,
 * after deleting any copy an earlier run left behind.
 */
export async function createWorkspaceOn(
  cluster: keyof typeof SIMULATED_CLUSTERS,
  ws: {
    metadata: { name: string; namespace: string } & Record<string, unknown>;
  } & Record<string, unknown>,
) {
  const p = SIMULATED_CLUSTERS[cluster];
  if (!p) {
    throw new Error(
      `no port for simulated cluster ${cluster}; run through scripts/e2e.sh`,
    );
  }
  const on = `http://127.0.0.1:${p}`;
  const { name, namespace } = ws.metadata;
  const ns = await call(
    'POST',
    '/api/v1/namespaces',
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } },
    on,
  );
  if (!ns.ok && ns.status !== 409) {
    throw new Error(`POST namespace ${namespace} on ${cluster}: ${ns.status}`);
  }
  const deleted = await call('DELETE', path(namespace, name), undefined, on);
  if (deleted.ok) {
    while (
      (await call('GET', path(namespace, name), undefined, on)).status !== 404
    ) {
      await new Promise(r => setTimeout(r, 200));
    }
  }
  const created = await call('POST', path(namespace), ws, on);
  if (!created.ok) {
    throw new Error(
      `POST workspace ${namespace}/${name} on ${cluster}: ${
        created.status
      } ${await created.text()}`,
    );
  }
}
