/**
 * The scripted fault scripts/e2e.sh gives one Workspace on the simulator's main cluster
 * (KAITO_SIMULATOR_FAULTS, `{"<namespace>/<name>": "<fault>"}`).
 */
const port = process.env.KAITO_SIMULATOR_PORT;
const token = process.env.KAITO_SIMULATOR_TOKEN ?? 'kaito-simulator-dev-token';

/** The namespace and name of the Workspace that meets `fault`. */
export function scriptedFault(fault: string) {
  const raw = process.env.KAITO_SIMULATOR_FAULTS ?? '{}';
  const key = Object.entries(JSON.parse(raw) as Record<string, string>).find(
    ([, f]) => f === fault,
  )?.[0];
  if (!key || !port) {
    throw new Error(
      `no ${fault} scripted (KAITO_SIMULATOR_FAULTS=${raw}, KAITO_SIMULATOR_PORT=${port}); run through scripts/e2e.sh`,
    );
  }
  const [namespace, name] = key.split('/');
  return { namespace, name };
}

/** Deletes the Workspace if an earlier attempt left it behind, and waits until it is gone. */
export async function deleteWorkspaceIfPresent(ns: string, name: string) {
  const url = `http://127.0.0.1:${port}/apis/kaito.sh/v1beta1/namespaces/${ns}/workspaces/${name}`;
  const call = (method: string) =>
    fetch(url, { method, headers: { Authorization: `Bearer ${token}` } });
  const deleted = await call('DELETE');
  if (deleted.status === 404) return;
  if (!deleted.ok) throw new Error(`DELETE ${ns}/${name}: ${deleted.status}`);
  while ((await call('GET')).status !== 404) {
    await new Promise(r => setTimeout(r, 200));
  }
}
