import { ContainerServiceClient } from '@azure/arm-containerservice';
import * as k8s from '@kubernetes/client-node';
import { startSimulator } from './simulator';
import { kube, waitFor, workspace, WS_PATH } from './__testUtils__/http';
import { DEMO_SEED } from './demoSeed';

describe('startSimulator', () => {
  it('rejects bad options with messages that say how to fix them', async () => {
    await expect(startSimulator({ host: '0.0.0.0' })).rejects.toThrow(
      /host must be a loopback address/,
    );
    await expect(
      startSimulator({ timings: { nodeLaunchMs: -1 } }),
    ).rejects.toThrow(/timing "nodeLaunchMs" must be a non-negative number/);
    await expect(
      startSimulator({ timings: { nope: 1 } as any }),
    ).rejects.toThrow(/unknown timing "nope"/);
    await expect(
      startSimulator({ faults: { 'default/x': 'meltdown' as any } }),
    ).rejects.toThrow(/unknown fault "meltdown".*quotaExceeded/);
    await expect(
      startSimulator({ faults: { x: 'oomKilled' } }),
    ).rejects.toThrow(/must be "<namespace>\/<workspace name>"/);
    await expect(
      startSimulator({ controllerVersion: 'latest' }),
    ).rejects.toThrow(/controllerVersion must look like "0.12.0"/);
    await expect(startSimulator({ token: 'a b' })).rejects.toThrow(
      /token must be at least 8 printable characters/,
    );
    await expect(
      startSimulator({
        seed: [{ apiVersion: 'v1', kind: 'Teapot', metadata: { name: 't' } }],
        log: () => {},
      }),
    ).rejects.toThrow(/seed\[0\] has kind Teapot/);
    await expect(
      startSimulator({
        seed: [{ ...workspace('bad'), resource: {} }],
        log: () => {},
      }),
    ).rejects.toThrow(
      /seed\[0\] \(Workspace bad\) was rejected: Workspace\.kaito\.sh "bad" is invalid/,
    );
  });

  it('takes a fixed token and seeds objects, creating their namespace', async () => {
    const sim = await startSimulator({
      token: 'kaito-simulator-dev-token',
      seed: DEMO_SEED,
      log: () => {},
    });
    try {
      expect(sim.token).toBe('kaito-simulator-dev-token');
      const ws = await kube(sim, 'GET', WS_PATH('kaito-demo', 'phi-4-mini'));
      expect(ws.json.metadata.labels['backstage.io/kubernetes-id']).toBe(
        'phi-4-mini',
      );
      const byLabel = await kube(
        sim,
        'GET',
        '/apis/kaito.sh/v1beta1/workspaces?labelSelector=backstage.io/kubernetes-id=phi-4-mini',
      );
      expect(byLabel.json.items).toHaveLength(1);
    } finally {
      await sim.stop();
    }
  });

  it('brings every workspace to Ready in test mode (speed: yarn bench:simulator)', async () => {
    const sim = await startSimulator({ log: () => {} });
    try {
      for (let i = 0; i < 5; i++) {
        await kube(sim, 'POST', WS_PATH('default'), workspace(`fast-${i}`));
        await waitFor(
          async () =>
            (
              await kube(sim, 'GET', WS_PATH('default', `fast-${i}`))
            ).json.status?.state === 'Ready',
          'Ready',
          30_000,
          2,
        );
      }
    } finally {
      await sim.stop();
    }
  }, 120_000);

  it('creates a simulated cluster for every ARM managed cluster, with KAITO served when enabled', async () => {
    const sim = await startSimulator({ arm: true, log: () => {} });
    try {
      expect(sim.armUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(sim.armCaPem).toContain('BEGIN CERTIFICATE');
      const credential = {
        getToken: async () => ({
          token: 'entra-token',
          expiresOnTimestamp: Date.now() + 3600e3,
        }),
      };
      const client = new ContainerServiceClient(
        credential,
        '00000000-0000-0000-0000-000000000000',
        {
          endpoint: sim.armUrl,
          tlsOptions: { ca: sim.armCaPem! },
          retryOptions: { maxRetries: 0 },
        },
      );
      const cluster = (kaito: boolean) => ({
        location: 'westus3',
        identity: { type: 'SystemAssigned' as const },
        dnsPrefix: 'sim',
        agentPoolProfiles: [
          {
            name: 'system',
            count: 1,
            vmSize: 'Standard_D4s_v5',
            mode: 'System' as const,
          },
        ],
        aiToolchainOperatorProfile: { enabled: kaito },
        oidcIssuerProfile: { enabled: true },
      });
      await client.managedClusters.beginCreateOrUpdateAndWait(
        'rg',
        'with-kaito',
        cluster(true),
        { updateIntervalInMs: 10 },
      );
      await client.managedClusters.beginCreateOrUpdateAndWait(
        'rg',
        'plain',
        cluster(false),
        { updateIntervalInMs: 10 },
      );

      const kubeconfigOf = async (name: string) => {
        const creds = await client.managedClusters.listClusterUserCredentials(
          'rg',
          name,
        );
        const kc = new k8s.KubeConfig();
        kc.loadFromString(
          Buffer.from(creds.kubeconfigs![0].value!).toString('utf8'),
        );
        return kc;
      };
      const kc = await kubeconfigOf('with-kaito');
      expect(kc.getCurrentCluster()!.server).not.toBe(sim.url);
      const objects = k8s.KubernetesObjectApi.makeApiClient(kc);
      await objects.create(workspace('remote') as k8s.KubernetesObject);
      const custom = kc.makeApiClient(k8s.CustomObjectsApi);
      await waitFor(async () => {
        const ws: any = await custom.getNamespacedCustomObject({
          group: 'kaito.sh',
          version: 'v1beta1',
          namespace: 'default',
          plural: 'workspaces',
          name: 'remote',
        });
        return ws.status?.state === 'Ready';
      }, 'workspace on the ARM-created cluster Ready');
      // The main cluster knows nothing about it: separate API servers.
      expect(
        (await kube(sim, 'GET', WS_PATH('default', 'remote'))).status,
      ).toBe(404);

      const plain = await kubeconfigOf('plain');
      const err: any = await k8s.KubernetesObjectApi.makeApiClient(plain)
        .create(workspace('nope') as k8s.KubernetesObject)
        .catch(e => e);
      expect(String(err.message ?? err)).toMatch(
        /kaito\.sh\/v1beta1|Workspace|404/,
      );

      // Enabling the add-on on an existing cluster installs the CRD.
      await client.managedClusters.beginCreateOrUpdateAndWait(
        'rg',
        'plain',
        cluster(true),
        { updateIntervalInMs: 10 },
      );
      await k8s.KubernetesObjectApi.makeApiClient(
        await kubeconfigOf('plain'),
      ).create(workspace('later') as k8s.KubernetesObject);
    } finally {
      await sim.stop();
    }
  });
});
