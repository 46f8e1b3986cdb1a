import { ContainerServiceClient } from '@azure/arm-containerservice';
import {
  startSimulator,
  RunningSimulator,
} from '@kaito-backstage/kaito-simulator';
import type { KaitoClusters } from '@kaito-backstage/plugin-kaito-node';
import {
  actionContext,
  clustersFor,
  connectionCounter,
  simConfig,
} from '../__testUtils__/kit';
import { createAksCreateAction } from './aksCreate';
import { createQuotaCheckAction } from './quotaCheck';
import { createWorkspaceApplyAction } from './workspaceApply';
import { createWorkspaceWaitAction } from './workspaceWait';

jest.setTimeout(60_000);

const SUB = '00000000-0000-0000-0000-000000000000';
const cluster = (name: string, extra: object = {}) => ({
  resourceGroup: 'rg-kaito',
  location: 'eastus',
  name,
  systemPoolCount: 1,
  ...extra,
});

describe('kaito:aks:create input validation (fails before any call)', () => {
  let counter: Awaited<ReturnType<typeof connectionCounter>>;
  let clusters: KaitoClusters;

  beforeAll(async () => {
    counter = await connectionCounter();
    clusters = clustersFor({
      kaito: {
        azure: {
          tenantId: '00000000-0000-0000-0000-00000000beef',
          clientId: '11111111-1111-1111-1111-111111111111',
          clientSecret: 'x',
          armEndpoint: `https://127.0.0.1:${counter.port}`,
          authorityHost: `https://127.0.0.1:${counter.port}`,
          disableInstanceDiscovery: true,
        },
      },
    });
  });
  afterAll(async () => {
    await clusters.stop();
    await counter.stop();
  });

  it.each([
    [
      {},
      /^subscriptionId is required: pass a subscription GUID or set kaito\.azure\.subscriptionId/,
    ],
    [{ subscriptionId: 'abc' }, /^subscriptionId must be a subscription GUID/],
    [
      { subscriptionId: SUB, name: '-bad-' },
      /^name: '-bad-' is not a valid AKS cluster name/,
    ],
    [
      { subscriptionId: SUB, resourceGroup: 'rg/with/slash' },
      /^resourceGroup: /,
    ],
    [
      { subscriptionId: SUB, location: 'East US!' },
      /^location: 'East US!' is not an Azure region name/,
    ],
    [{ subscriptionId: SUB, tags: ['a'] }, /^tags: must be a map of tag names/],
    [
      { subscriptionId: SUB, tags: { 'a/b': 'x' } },
      /^tags\.a\/b: tag names are/,
    ],
    [
      { subscriptionId: SUB, tags: { env: 5 } },
      /^tags\.env: tag values must be strings/,
    ],
    [
      { subscriptionId: SUB, kubernetesVersion: 'latest' },
      /^kubernetesVersion: 'latest' must look like 1\.33/,
    ],
    [
      { subscriptionId: SUB, systemPoolCount: 0 },
      /^systemPoolCount: must be a whole number from 1 to 1000/,
    ],
    [
      {
        subscriptionId: SUB,
        networkPlugin: 'kubenet',
        networkPluginMode: 'overlay',
      },
      /^networkPluginMode: overlay mode needs networkPlugin azure/,
    ],
  ])('rejects %j naming the field', async (override, message) => {
    const { ctx } = actionContext({ ...cluster('aks'), ...override });
    await expect(
      createAksCreateAction({ clusters }).handler(ctx as any),
    ).rejects.toThrow(message);
    expect(counter.count).toBe(0);
  });

  it('says how to configure Azure when kaito.azure is absent', async () => {
    const none = clustersFor({});
    const { ctx } = actionContext(cluster('aks'));
    await expect(
      createAksCreateAction({ clusters: none }).handler(ctx as any),
    ).rejects.toThrow(/^Azure is not configured: add kaito\.azure/);
    await none.stop();
  });
});

describe('kaito:aks:create against the simulator ARM with the real SDK clients', () => {
  let sim: RunningSimulator;
  let clusters: KaitoClusters;
  let aks: ContainerServiceClient;

  beforeAll(async () => {
    sim = await startSimulator({ log: () => {}, arm: true });
    clusters = clustersFor(simConfig(sim));
    aks = clusters.azure!.containerService(SUB);
  });
  afterAll(async () => {
    await clusters?.stop();
    await sim?.stop();
  });

  it('create → quota → apply → wait reaches Ready on the new cluster', async () => {
    const create = actionContext(
      cluster('aks-kaito', {
        createResourceGroup: true,
        owner: 'group:default/ml',
        system: 'llm',
        tags: { env: 'dev' },
      }),
    );
    await createAksCreateAction({ clusters }).handler(create.ctx as any);
    const out = create.outputs;
    expect(out).toMatchObject({
      clusterId: expect.stringMatching(
        /\/resourcegroups\/rg-kaito\/providers\/Microsoft\.ContainerService\/managedClusters\/aks-kaito$/i,
      ),
      clusterName: 'aks-kaito',
      apiServerUrl: sim.armClusters()['rg-kaito/aks-kaito'],
      oidcIssuerUrl: expect.stringMatching(
        /^https:\/\/eastus\.oic\.prod-aks\.azure\.com\//,
      ),
      nodeResourceGroup: 'MC_rg-kaito_aks-kaito_eastus',
      caData: '',
      location: 'eastus',
      subscriptionId: SUB,
    });
    expect(
      create.lines.some(l =>
        /provisioningState (Creating|Succeeded) \(after \d+s\)/.test(l),
      ),
    ).toBe(true);
    const mc = await aks.managedClusters.get('rg-kaito', 'aks-kaito');
    expect(mc.tags).toEqual({
      env: 'dev',
      'backstage-owner': 'group:default/ml',
      'backstage-system': 'llm',
    });
    expect(mc.aiToolchainOperatorProfile?.enabled).toBe(true);
    expect(mc.oidcIssuerProfile?.enabled).toBe(true);
    const rg = await clusters
      .azure!.resources(SUB)
      .resourceGroups.get('rg-kaito');
    expect(rg.location).toBe('eastus');
    expect(await clusters.registry.getCluster('aks-kaito')).toMatchObject({
      source: 'runtime',
      authProvider: 'azure',
    });

    const quota = actionContext({
      model: 'phi-4-mini-instruct',
      instanceType: 'Standard_NC24ads_A100_v4',
      location: 'eastus',
    });
    await createQuotaCheckAction({ clusters }).handler(quota.ctx as any);
    expect(quota.outputs).toMatchObject({
      ok: true,
      nodes: 1,
      family: 'StandardNCADSA100v4Family',
      vCpusNeeded: 24,
    });

    await createWorkspaceApplyAction({ clusters }).handler(
      actionContext({
        cluster: 'aks-kaito',
        namespace: 'default',
        name: 'phi',
        model: 'phi-4-mini-instruct',
        instanceType: 'Standard_NC24ads_A100_v4',
      }).ctx as any,
    );
    const wait = actionContext({
      cluster: 'aks-kaito',
      workspace: 'default/phi',
      timeoutMinutes: 1,
    });
    await createWorkspaceWaitAction({ clusters }).handler(wait.ctx as any);
    expect(wait.outputs).toMatchObject({ phase: 'Ready', ready: true });
  });

  it('retries ARM 429 with Retry-After and transient 5xx', async () => {
    sim.armFaults!.inject({
      status: 429,
      retryAfterSeconds: 0,
      method: 'PUT',
      pathIncludes: '/managedClusters/aks-retry',
    });
    sim.armFaults!.inject({
      status: 503,
      method: 'PUT',
      pathIncludes: '/managedClusters/aks-retry',
    });
    sim.armFaults!.inject({
      status: 500,
      method: 'POST',
      pathIncludes: '/managedClusters/aks-retry/listClusterUserCredential',
    });
    const { ctx, outputs } = actionContext(cluster('aks-retry'));
    await createAksCreateAction({ clusters }).handler(ctx as any);
    expect(outputs.clusterName).toBe('aks-retry');
    // Every injected answer was consumed: the SDK retried past each one.
    expect(
      sim.armFaults!.take('PUT', '/managedClusters/aks-retry'),
    ).toBeUndefined();
  });

  it("reports a failed long-running operation with Azure's code and message", async () => {
    sim.armFaults!.failNextOperation({
      clusterName: 'aks-fail',
      code: 'VMExtensionProvisioningError',
      message:
        'VM has reported a failure when processing extension vmssCSE (exit status=50).',
    });
    const { ctx } = actionContext(cluster('aks-fail'));
    await expect(
      createAksCreateAction({ clusters }).handler(ctx as any),
    ).rejects.toThrow(
      /^Azure could not create or update cluster 'aks-fail' in resource group 'rg-kaito': .*VMExtensionProvisioningError.*vmssCSE \(exit status=50\)/,
    );
  });

  it('a re-run from a checkpoint creates no second cluster, and registers it again', async () => {
    const checkpoints = new Map<string, unknown>();
    const first = actionContext(cluster('aks-once'), { checkpoints });
    await createAksCreateAction({ clusters }).handler(first.ctx as any);
    clusters.registry.unregisterCluster('aks-once');
    // Any further PUT would now fail: the re-run must not send one.
    sim.armFaults!.inject({
      status: 400,
      code: 'Unexpected',
      method: 'PUT',
      pathIncludes: '/managedClusters/aks-once',
      times: 100,
    });
    const again = actionContext(cluster('aks-once'), { checkpoints });
    await createAksCreateAction({ clusters }).handler(again.ctx as any);
    expect(again.outputs.clusterId).toBe(first.outputs.clusterId);
    expect(await clusters.registry.getCluster('aks-once')).toMatchObject({
      source: 'runtime',
    });
    expect([...checkpoints.keys()]).toEqual([
      `kaito.aks.create.${SUB}.rg-kaito.aks-once`,
    ]);
  });

  it('dry run returns the ARM request body and creates nothing', async () => {
    const { ctx, outputs } = actionContext(
      cluster('aks-dry', { owner: 'group:default/ml' }),
      { isDryRun: true },
    );
    await createAksCreateAction({ clusters }).handler(ctx as any);
    const body = JSON.parse(outputs.requestBody as string);
    expect(body).toMatchObject({
      location: 'eastus',
      tags: { 'backstage-owner': 'group:default/ml' },
      aiToolchainOperatorProfile: { enabled: true },
      oidcIssuerProfile: { enabled: true },
      agentPoolProfiles: [
        {
          name: 'system',
          mode: 'System',
          count: 1,
          vmSize: 'Standard_D4ds_v5',
        },
      ],
    });
    expect(outputs.clusterName).toBe('aks-dry');
    await expect(
      aks.managedClusters.get('rg-kaito', 'aks-dry'),
    ).rejects.toMatchObject({ statusCode: 404 });
  });
});
