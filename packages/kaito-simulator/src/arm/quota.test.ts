import {
  containerServiceClient,
  kaitoCluster,
  startTestArm,
} from './__testUtils__/armTestKit';
import { RunningArmSimulator } from './types';

const withGpuPool = (vmSize: string, count: number) =>
  kaitoCluster('eastus', {
    agentPoolProfiles: [
      { name: 'system', mode: 'System', count: 1, vmSize: 'Standard_D4s_v5' },
      { name: 'gpu', mode: 'User', count, vmSize },
    ],
  });

describe('ARM simulator: quota preflight on managed cluster PUT', () => {
  let arm: RunningArmSimulator | undefined;

  afterEach(async () => {
    await arm?.stop();
    arm = undefined;
  });

  it('fails a GPU pool that needs more vCPUs than the family quota with an Azure-worded QuotaExceeded', async () => {
    const started = await startTestArm({
      quotas: { standardNCADSA100v4Family: 24 },
    });
    arm = started.arm;
    const client = containerServiceClient(started.clientOptions);

    const error = await client.managedClusters
      .createOrUpdate(
        'rg-q',
        'aksq',
        withGpuPool('Standard_NC48ads_A100_v4', 1),
        { updateIntervalInMs: 10 },
      )
      .then(
        () => undefined,
        (e: unknown) =>
          e as { statusCode?: number; code?: string; message: string },
      );

    expect(error).toMatchObject({ statusCode: 400, code: 'QuotaExceeded' });
    expect(error!.message).toContain(
      'Preflight validation check for resource(s) for container service aksq in resource group MC_rg-q_aksq_eastus failed. ' +
        'Message: Operation could not be completed as it results in exceeding approved StandardNCADSA100v4Family Cores quota. ' +
        'Additional details - Deployment Model: Resource Manager, Location: eastus, Current Limit: 24, Current Usage: 0, ' +
        'Additional Required: 48, (Minimum) New Limit Required: 48.',
    );
    expect(error!.message).toContain('https://aka.ms/ProdportalCRP/');
    // Nothing was created and the collaborator was never asked.
    expect(started.calls).toHaveLength(0);
    await expect(
      client.managedClusters.get('rg-q', 'aksq'),
    ).rejects.toMatchObject({ statusCode: 404 });

    // The same pool fits once it is small enough.
    const ok = await client.managedClusters.createOrUpdate(
      'rg-q',
      'aksq',
      withGpuPool('Standard_NC24ads_A100_v4', 1),
      {
        updateIntervalInMs: 10,
      },
    );
    expect(ok.provisioningState).toBe('Succeeded');
  });

  it('counts existing clusters and reports the regional vCPU total when that is what runs out', async () => {
    const started = await startTestArm({
      quotas: { cores: 40, StandardNVADSA10v5Family: 200 },
    });
    arm = started.arm;
    const client = containerServiceClient(started.clientOptions);
    // 1 x 4 (system) = 4 regional vCPUs used.
    await client.managedClusters.createOrUpdate('rg', 'first', kaitoCluster(), {
      updateIntervalInMs: 10,
    });
    await client.managedClusters.createOrUpdate(
      'rg',
      'first2',
      kaitoCluster(),
      { updateIntervalInMs: 10 },
    );

    await expect(
      client.managedClusters.createOrUpdate(
        'rg',
        'second',
        withGpuPool('Standard_NV36ads_A10_v5', 1),
        {
          updateIntervalInMs: 10,
        },
      ),
    ).rejects.toMatchObject({
      code: 'QuotaExceeded',
      message: expect.stringContaining(
        'exceeding approved Total Regional Cores quota. Additional details - Deployment Model: Resource Manager, ' +
          'Location: eastus, Current Limit: 40, Current Usage: 16, Additional Required: 40, (Minimum) New Limit Required: 56.',
      ),
    });
  });

  it('checks an update only for the vCPUs it adds', async () => {
    const started = await startTestArm({
      quotas: { StandardNCADSA100v4Family: 48 },
    });
    arm = started.arm;
    const client = containerServiceClient(started.clientOptions);
    await client.managedClusters.createOrUpdate(
      'rg',
      'grow',
      withGpuPool('Standard_NC24ads_A100_v4', 2),
      {
        updateIntervalInMs: 10,
      },
    );
    // Re-PUT of the same shape needs nothing new.
    await client.managedClusters.createOrUpdate(
      'rg',
      'grow',
      withGpuPool('Standard_NC24ads_A100_v4', 2),
      {
        updateIntervalInMs: 10,
      },
    );
    await expect(
      client.managedClusters.createOrUpdate(
        'rg',
        'grow',
        withGpuPool('Standard_NC24ads_A100_v4', 3),
        {
          updateIntervalInMs: 10,
        },
      ),
    ).rejects.toMatchObject({
      code: 'QuotaExceeded',
      message: expect.stringContaining(
        'Current Limit: 48, Current Usage: 48, Additional Required: 24',
      ),
    });
  });
});
