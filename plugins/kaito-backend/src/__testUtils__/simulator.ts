import type { RunningSimulator } from '@kaito-backstage/kaito-simulator';
import { workspaceManifest } from './entities';

/** Config with clusters (kubernetes plugin format) pointing at simulators, plus kaito.* keys. */
export function clusterConfig(
  clusters: Array<{ name: string; url: string; token: string }>,
  kaito: Record<string, unknown> = {},
) {
  return {
    kubernetes: {
      clusterLocatorMethods: [
        {
          type: 'config',
          clusters: clusters.map(c => ({
            name: c.name,
            url: c.url,
            authProvider: 'serviceAccount',
            serviceAccountToken: c.token,
            skipTLSVerify: true,
          })),
        },
      ],
    },
    kaito: { watch: { backoff: { minMs: 20, maxMs: 200 } }, ...kaito },
  };
}

export async function createWorkspace(
  sim: RunningSimulator,
  manifest: ReturnType<typeof workspaceManifest>,
) {
  const ns = manifest.metadata.namespace;
  const res = await fetch(
    `${sim.url}/apis/kaito.sh/v1beta1/namespaces/${ns}/workspaces`,
    {
      method: 'POST',
      headers: {
        authorization: `Bearer ${sim.token}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify(manifest),
    },
  );
  if (!res.ok)
    throw new Error(`create workspace: ${res.status} ${await res.text()}`);
}

/** Polls until probe returns a truthy value. */
export async function waitFor<T>(
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  timeoutMs = 5000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 20));
  }
}
