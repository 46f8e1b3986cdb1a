import type { RunningSimulator } from '../simulator';

export { mintSelfSignedCertificate } from '../arm/tls';
export type { MintedCertificate } from '../arm/tls';

/**
 * Test kit shared by the packages that test against the simulator
 * (kaito-node, kaito-backend, the scaffolder module): Backstage config
 * pointing at a running simulator, seeding and waiting.
 */

/** A KAITO inference Workspace manifest (v1beta1 unless apiVersion says otherwise). */
export function workspaceManifest(
  name: string,
  namespace = 'default',
  opts: {
    annotations?: Record<string, string>;
    preset?: string;
    apiVersion?: string;
    instanceType?: string;
  } = {},
) {
  return {
    apiVersion: opts.apiVersion ?? 'kaito.sh/v1beta1',
    kind: 'Workspace',
    metadata: { name, namespace, annotations: opts.annotations ?? {} },
    resource: {
      instanceType: opts.instanceType ?? 'Standard_NC24ads_A100_v4',
      labelSelector: { matchLabels: { apps: name } },
    },
    inference: { preset: { name: opts.preset ?? 'phi-4-mini-instruct' } },
  };
}

/** One Kubernetes API call to a simulated cluster, as kubectl would make it. */
export async function kubeRequest(
  cluster: { url: string; token: string },
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${cluster.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${cluster.token}`,
      'content-type': 'application/json',
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = text;
  }
  return { status: res.status, body: parsed };
}

/** Creates a Workspace (POST) and fails with the API's answer when refused. */
export async function seedWorkspace(
  cluster: { url: string; token: string },
  manifest: ReturnType<typeof workspaceManifest>,
) {
  const v = manifest.apiVersion.split('/')[1];
  const res = await kubeRequest(
    cluster,
    'POST',
    `/apis/kaito.sh/${v}/namespaces/${manifest.metadata.namespace}/workspaces`,
    manifest,
  );
  if (res.status !== 201) {
    throw new Error(
      `create workspace: ${res.status} ${JSON.stringify(res.body)}`,
    );
  }
  return res.body;
}

/** Polls until probe returns a truthy value, or fails naming what it waited for. */
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

/** `kubernetes.clusterLocatorMethods` (Kubernetes plugin format) with the simulator's main cluster. */
export function simulatorClusterConfig(sim: RunningSimulator, name = 'sim') {
  return {
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
  };
}

/**
 * `kaito.azure` pointing at the simulator's ARM and Entra token endpoint
 * (undefined when the simulator was started without `arm`).
 */
export function simulatorAzureConfig(sim: RunningSimulator) {
  if (!sim.armUrl || !sim.entra) return undefined;
  return {
    subscriptionId: '00000000-0000-0000-0000-000000000000',
    tenantId: sim.entra.tenantId,
    clientId: sim.entra.clientId,
    clientSecret: sim.entra.clientSecret,
    armEndpoint: sim.armUrl,
    authorityHost: sim.armUrl,
    disableInstanceDiscovery: true,
    tls: { caPem: sim.armCaPem },
    retry: { retryDelayInMs: 20, maxRetryDelayInMs: 200 },
    pollIntervalMs: 20,
  };
}

/** Full Backstage config: the simulator cluster as `sim`, fast watch backoff, and kaito.azure when ARM is on. */
export function simulatorBackstageConfig(
  sim: RunningSimulator,
  kaito: Record<string, unknown> = {},
) {
  const azure = simulatorAzureConfig(sim);
  return {
    kubernetes: simulatorClusterConfig(sim),
    kaito: {
      watch: { backoff: { minMs: 20, maxMs: 200 } },
      ...(azure ? { azure } : {}),
      ...kaito,
    },
  };
}
