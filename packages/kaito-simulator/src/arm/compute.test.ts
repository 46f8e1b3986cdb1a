import {
  collect,
  computeClient,
  containerServiceClient,
  kaitoCluster,
  startTestArm,
} from './__testUtils__/armTestKit';
import { RunningArmSimulator } from './types';

const KAITO_AZURE_SIZES = [
  'Standard_NV36ads_A10_v5',
  'Standard_NV72ads_A10_v5',
  'Standard_NC24ads_A100_v4',
  'Standard_NC48ads_A100_v4',
  'Standard_NC96ads_A100_v4',
  'Standard_ND96amsr_A100_v4',
  'Standard_NC40ads_H100_v5',
  'Standard_NC80adis_H100_v5',
  'Standard_ND96isr_H100_v5',
  'Standard_NCC40ads_H100_v5',
  'Standard_ND96isr_H200_v5',
  'Standard_NG32ads_V620_v1',
  'Standard_NG32adms_V620_v1',
];

const capability = (
  sku: { capabilities?: Array<{ name?: string; value?: string }> },
  name: string,
) => sku.capabilities?.find(c => c.name === name)?.value;

describe('ARM simulator: compute usages and Resource SKUs through @azure/arm-compute', () => {
  let arm: RunningArmSimulator | undefined;

  afterEach(async () => {
    await arm?.stop();
    arm = undefined;
  });

  it('lists regional usages with per-family limits and Total Regional vCPUs', async () => {
    const started = await startTestArm({
      quotas: { standardNCADSA100v4Family: 96, cores: 150 },
    });
    arm = started.arm;
    const usages = await collect(
      computeClient(started.clientOptions).usage.list('eastus'),
    );

    const cores = usages.find(u => u.name.value === 'cores');
    expect(cores).toEqual({
      unit: 'Count',
      currentValue: 0,
      limit: 150,
      name: { value: 'cores', localizedValue: 'Total Regional vCPUs' },
    });
    // The override matched the SKU family despite different casing.
    const a100 = usages.find(u => u.name.value === 'StandardNCADSA100v4Family');
    expect(a100).toMatchObject({ unit: 'Count', currentValue: 0, limit: 96 });
    expect(a100?.name.localizedValue).toMatch(/vCPUs$/);
    // ND families start at 0, as on a new subscription.
    expect(
      usages.find(u => u.name.value === 'standardNDSH100v5Family')?.limit,
    ).toBe(0);
    expect(
      usages.every(u => u.unit === 'Count' && Number.isInteger(u.limit)),
    ).toBe(true);
  });

  it('counts a created cluster against its family and regional usage', async () => {
    const started = await startTestArm();
    arm = started.arm;
    const aks = containerServiceClient(started.clientOptions);
    await aks.managedClusters.createOrUpdate(
      'rg',
      'gpu',
      kaitoCluster('westus2', {
        agentPoolProfiles: [
          {
            name: 'system',
            mode: 'System',
            count: 2,
            vmSize: 'Standard_D4s_v5',
          },
          {
            name: 'a100',
            mode: 'User',
            count: 1,
            vmSize: 'Standard_NC24ads_A100_v4',
          },
        ],
      }),
      { updateIntervalInMs: 10 },
    );
    const compute = computeClient(started.clientOptions);
    const westus2 = await collect(compute.usage.list('westus2'));
    const byName = (name: string) =>
      westus2.find(u => u.name.value === name)?.currentValue;
    expect(byName('cores')).toBe(2 * 4 + 24);
    expect(byName('standardDSv5Family')).toBe(8);
    expect(byName('StandardNCADSA100v4Family')).toBe(24);
    expect(byName('virtualMachines')).toBe(3);
    // Usage is per region.
    const eastus = await collect(compute.usage.list('eastus'));
    expect(eastus.find(u => u.name.value === 'cores')?.currentValue).toBe(0);
  });

  it('lists Resource SKUs for every Azure GPU size KAITO supports, with capabilities', async () => {
    const started = await startTestArm();
    arm = started.arm;
    const skus = await collect(
      computeClient(started.clientOptions).resourceSkus.list(),
    );
    const names = skus.map(s => s.name);
    for (const size of KAITO_AZURE_SIZES) {
      expect(names).toContain(size);
    }
    const a100 = skus.find(s => s.name === 'Standard_NC24ads_A100_v4')!;
    expect(a100).toMatchObject({
      resourceType: 'virtualMachines',
      family: 'StandardNCADSA100v4Family',
      size: 'NC24ads_A100_v4',
      tier: 'Standard',
      restrictions: [],
    });
    expect(capability(a100, 'vCPUs')).toBe('24');
    expect(capability(a100, 'GPUs')).toBe('1');
    expect(capability(a100, 'MemoryGB')).toBe('220');
    expect(a100.locations).toContain('eastus');
    expect(a100.locationInfo?.[0].zones).toEqual(['1', '2', '3']);
    const h200 = skus.find(s => s.name === 'Standard_ND96isr_H200_v5')!;
    expect(capability(h200, 'GPUs')).toBe('8');
    expect(h200.restrictions).toEqual([
      {
        type: 'Location',
        values: ['eastus2'],
        restrictionInfo: { locations: ['eastus2'] },
        reasonCode: 'NotAvailableForSubscription',
      },
    ]);
  });

  it("narrows Resource SKUs with $filter=location eq '<region>' and rejects other filters", async () => {
    const started = await startTestArm();
    arm = started.arm;
    const compute = computeClient(started.clientOptions);
    const skus = await collect(
      compute.resourceSkus.list({ filter: "location eq 'East US 2'" }),
    );
    expect(skus.length).toBeGreaterThan(0);
    expect(
      skus.every(
        s => s.locations?.length === 1 && s.locations[0] === 'eastus2',
      ),
    ).toBe(true);
    expect(skus.map(s => s.name)).toContain('Standard_NCC40ads_H100_v5');
    const westus3 = await collect(
      compute.resourceSkus.list({ filter: "location eq 'westus3'" }),
    );
    expect(westus3.map(s => s.name)).not.toContain('Standard_NCC40ads_H100_v5');
    expect(westus3.map(s => s.name)).toContain('Standard_ND96isr_H200_v5');

    await expect(
      collect(compute.resourceSkus.list({ filter: "name eq 'x'" })),
    ).rejects.toMatchObject({
      statusCode: 400,
      code: 'InvalidFilter',
    });
  });

  it('rejects usages for a region the simulated cloud does not have', async () => {
    const started = await startTestArm();
    arm = started.arm;
    await expect(
      collect(computeClient(started.clientOptions).usage.list('mars')),
    ).rejects.toMatchObject({
      statusCode: 400,
      code: 'LocationNotAvailableForResourceType',
    });
  });
});
