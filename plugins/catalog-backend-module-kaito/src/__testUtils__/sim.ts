/* Test-only helpers around the KAITO simulator. */
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { createKaitoClusters } from '@kaito-backstage/plugin-kaito-node';
import type { RunningSimulator } from '@kaito-backstage/kaito-simulator';

export const SUBSCRIPTION = '00000000-0000-0000-0000-000000000000';

/** A credential the simulated ARM accepts (it takes any bearer token). */
export const staticCredential = {
  getToken: async () => ({
    token: 'simulated-arm-token',
    expiresOnTimestamp: Date.now() + 3600_000,
  }),
};

export function simConfig(sim: RunningSimulator, extra: object = {}) {
  return {
    kubernetes: {
      clusterLocatorMethods: [
        {
          type: 'config',
          clusters: [
            {
              name: 'sim',
              url: sim.url,
              authProvider: 'serviceAccount',
              serviceAccountToken: sim.token,
              skipTLSVerify: true,
            },
          ],
        },
      ],
    },
    kaito: {
      watch: { backoff: { minMs: 20, maxMs: 200 } },
      ...(sim.armUrl
        ? {
            azure: {
              subscriptionId: SUBSCRIPTION,
              armEndpoint: sim.armUrl,
              tls: { caPem: sim.armCaPem },
              retry: { retryDelayInMs: 20, maxRetryDelayInMs: 200 },
              pollIntervalMs: 20,
            },
          }
        : {}),
    },
    ...extra,
  };
}

export function clustersFor(sim: RunningSimulator, extra: object = {}) {
  return createKaitoClusters({
    config: new ConfigReader(simConfig(sim, extra) as any),
    logger: mockServices.logger.mock(),
    azureCredential: staticCredential,
  });
}

/** One request to a simulated Kubernetes API server. */
export async function kube(
  cluster: { url: string; token: string },
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${cluster.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${cluster.token}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** A v1beta1 Workspace as the apply action writes it (owner annotation optional). */
export function workspace(
  name: string,
  annotations: Record<string, string> = {},
  labels: Record<string, string> = {},
) {
  return {
    apiVersion: 'kaito.sh/v1beta1',
    kind: 'Workspace',
    metadata: { name, namespace: 'default', annotations, labels },
    resource: {
      instanceType: 'Standard_NC24ads_A100_v4',
      labelSelector: { matchLabels: { apps: name } },
    },
    inference: { preset: { name: 'microsoft/Phi-4-mini-instruct' } },
  };
}
