import { ResourceManagementClient } from '@azure/arm-resources';
import {
  collect,
  computeClient,
  containerServiceClient,
  fixedTokenCredential,
  kaitoCluster,
  startTestArm,
  SUBSCRIPTION_ID,
} from './__testUtils__/armTestKit';

describe('ARM simulator: delete, resource groups, per-region quota and scripted faults', () => {
  let t: Awaited<ReturnType<typeof startTestArm>>;
  const deleted: string[] = [];
  beforeAll(async () => {
    t = await startTestArm({
      quotas: { 'westus2:cores': 6 },
      deleteCluster: async req => {
        deleted.push(`${req.resourceGroup}/${req.name}`);
      },
    });
  });
  afterAll(() => t.arm.stop());

  it('DELETE is a long-running operation that removes the cluster and frees its quota', async () => {
    const aks = containerServiceClient(t.clientOptions);
    await aks.managedClusters.createOrUpdate('rg', 'gone', kaitoCluster(), {
      updateIntervalInMs: 10,
    });
    const usage = async () =>
      (await collect(computeClient(t.clientOptions).usage.list('eastus'))).find(
        u => u.name.value === 'cores',
      )!.currentValue;
    expect(await usage()).toBe(8);
    await aks.managedClusters.delete('rg', 'gone', { updateIntervalInMs: 10 });
    await expect(aks.managedClusters.get('rg', 'gone')).rejects.toMatchObject({
      statusCode: 404,
      code: 'ResourceNotFound',
    });
    expect(deleted).toEqual(['rg/gone']);
    expect(await usage()).toBe(0);
    // Deleting what is not there succeeds (204), as ARM does.
    await aks.managedClusters.delete('rg', 'gone', { updateIntervalInMs: 10 });
  });

  it('creates and reads resource groups, refusing a move to another region', async () => {
    const rm = new ResourceManagementClient(
      fixedTokenCredential,
      SUBSCRIPTION_ID,
      t.clientOptions,
    );
    const rg = await rm.resourceGroups.createOrUpdate('rg-new', {
      location: 'East US',
      tags: { env: 'dev' },
    });
    expect(rg).toMatchObject({
      name: 'rg-new',
      location: 'eastus',
      tags: { env: 'dev' },
    });
    expect((await rm.resourceGroups.get('RG-NEW')).location).toBe('eastus');
    await expect(
      rm.resourceGroups.createOrUpdate('rg-new', { location: 'westus2' }),
    ).rejects.toMatchObject({
      statusCode: 409,
      code: 'InvalidResourceGroupLocation',
    });
    await expect(rm.resourceGroups.get('rg-missing')).rejects.toMatchObject({
      statusCode: 404,
      code: 'ResourceGroupNotFound',
    });
  });

  it('applies a per-region quota override (<region>:<family>)', async () => {
    const compute = computeClient(t.clientOptions);
    const cores = async (loc: string) =>
      (await collect(compute.usage.list(loc))).find(
        u => u.name.value === 'cores',
      )!.limit;
    expect(await cores('westus2')).toBe(6);
    expect(await cores('eastus')).toBe(200);
    const aks = containerServiceClient(t.clientOptions);
    await expect(
      aks.managedClusters.createOrUpdate(
        'rg',
        'small',
        kaitoCluster('westus2'),
        { updateIntervalInMs: 10 },
      ),
    ).rejects.toMatchObject({ code: 'QuotaExceeded' });
  });

  it('answers injected 429 (with Retry-After) and 5xx, which the SDK retries', async () => {
    t.arm.faults.inject({
      status: 429,
      retryAfterSeconds: 0,
      method: 'GET',
      pathIncludes: '/usages',
    });
    t.arm.faults.inject({
      status: 503,
      method: 'GET',
      pathIncludes: '/usages',
    });
    const compute = computeClient({
      ...t.clientOptions,
      retryOptions: { maxRetries: 3, retryDelayInMs: 10 },
    } as any);
    const usages = await collect(compute.usage.list('eastus'));
    expect(usages.length).toBeGreaterThan(0);
    expect(t.arm.faults.take('GET', '/usages')).toBeUndefined();
  });

  it('fails a scripted operation with its code and message', async () => {
    t.arm.faults.failNextOperation({
      clusterName: 'boom',
      code: 'ClusterFailed',
      message: 'scripted failure',
    });
    const aks = containerServiceClient(t.clientOptions);
    await expect(
      aks.managedClusters.createOrUpdate('rg', 'boom', kaitoCluster(), {
        updateIntervalInMs: 10,
      }),
    ).rejects.toThrow(/scripted failure/);
    expect(
      (await aks.managedClusters.get('rg', 'boom')).provisioningState,
    ).toBe('Failed');
  });
});
