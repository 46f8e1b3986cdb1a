import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import type { RunningSimulator } from '@kaito-backstage/kaito-simulator';
import { createKaitoClusters } from '../service';

/** A KAITO inference Workspace manifest (v1beta1). */
export function workspace(
  name: string,
  namespace = 'default',
  opts: {
    annotations?: Record<string, string>;
    preset?: string;
    apiVersion?: string;
  } = {},
) {
  return {
    apiVersion: opts.apiVersion ?? 'kaito.sh/v1beta1',
    kind: 'Workspace',
    metadata: { name, namespace, annotations: opts.annotations ?? {} },
    resource: {
      instanceType: 'Standard_NC24ads_A100_v4',
      labelSelector: { matchLabels: { apps: name } },
    },
    inference: { preset: { name: opts.preset ?? 'phi-4-mini-instruct' } },
  };
}

/** Raw API call to the simulator, as kubectl would make it. */
export async function kube(
  sim: RunningSimulator,
  method: string,
  path: string,
  body?: unknown,
) {
  const res = await fetch(`${sim.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${sim.token}`,
      'content-type': 'application/json',
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

export function createWorkspace(
  sim: RunningSimulator,
  ws: ReturnType<typeof workspace>,
) {
  const v = ws.apiVersion.split('/')[1];
  return kube(
    sim,
    'POST',
    `/apis/kaito.sh/${v}/namespaces/${ws.metadata.namespace}/workspaces`,
    ws,
  );
}

/** Polls until probe returns a value, or fails naming what it waited for. */
export async function waitFor<T>(
  probe: () => T | undefined | Promise<T | undefined>,
  what: string,
  timeoutMs = 5000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 10));
  }
}

/** Backstage config with the simulator as the only cluster (kubernetes plugin's format). */
export function simulatorConfig(
  sim: RunningSimulator,
  extra: Record<string, unknown> = {},
  name = 'sim',
) {
  return {
    kubernetes: {
      clusterLocatorMethods: [
        {
          type: 'config',
          clusters: [
            {
              name,
              url: sim.url,
              authProvider: 'serviceAccount',
              serviceAccountToken: sim.token,
              skipTLSVerify: true,
            },
          ],
        },
      ],
    },
    kaito: { watch: { backoff: { minMs: 20, maxMs: 200 } }, ...extra },
  };
}

export function kaitoFor(
  sim: RunningSimulator,
  extra: Record<string, unknown> = {},
) {
  return createKaitoClusters({
    config: new ConfigReader(simulatorConfig(sim, extra)),
    logger: mockServices.logger.mock(),
  });
}
