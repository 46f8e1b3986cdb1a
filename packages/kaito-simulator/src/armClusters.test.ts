import { ContainerServiceClient } from '@azure/arm-containerservice';
import { ClientSecretCredential } from '@azure/identity';
import { AKS_AUDIENCE } from './arm';
import { RunningSimulator, startSimulator } from './simulator';

describe('clusters created through the simulated ARM', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({
      log: () => {},
      arm: { operationDelayMs: 10 },
    });
  });
  afterAll(() => sim.stop());

  it('accept Entra tokens for the AKS server app (as Entra-enabled AKS does) and go away on DELETE', async () => {
    const credential = new ClientSecretCredential(
      sim.entra!.tenantId,
      sim.entra!.clientId,
      sim.entra!.clientSecret,
      {
        authorityHost: sim.armUrl,
        disableInstanceDiscovery: true,
        tlsOptions: { ca: sim.armCaPem! },
      } as any,
    );
    const aks = new ContainerServiceClient(
      credential,
      '00000000-0000-0000-0000-000000000000',
      {
        endpoint: sim.armUrl,
        tlsOptions: { ca: sim.armCaPem! },
      },
    );
    await aks.managedClusters.createOrUpdate(
      'rg',
      'entra',
      {
        location: 'eastus',
        agentPoolProfiles: [
          {
            name: 'system',
            mode: 'System',
            count: 1,
            vmSize: 'Standard_D4s_v5',
          },
        ],
        oidcIssuerProfile: { enabled: true },
        aiToolchainOperatorProfile: { enabled: true },
      },
      { updateIntervalInMs: 10 },
    );
    const url = sim.armClusters()['rg/entra'];
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const get = async (token: string) =>
      (
        await fetch(`${url}/apis/kaito.sh/v1beta1/workspaces`, {
          headers: { authorization: `Bearer ${token}` },
        })
      ).status;
    expect(
      await get((await credential.getToken(`${AKS_AUDIENCE}/.default`)).token),
    ).toBe(200);
    expect(
      await get(
        (
          await credential.getToken('https://management.azure.com/.default')
        ).token,
      ),
    ).toBe(401);
    expect(await get('not-a-token')).toBe(401);

    await aks.managedClusters.delete('rg', 'entra', { updateIntervalInMs: 10 });
    expect(sim.armClusters()).toEqual({});
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });
});
