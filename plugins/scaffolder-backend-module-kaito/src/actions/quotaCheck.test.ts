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
import { createQuotaCheckAction } from './quotaCheck';

jest.setTimeout(30_000);

const a100 = {
  model: 'phi-4-mini-instruct',
  instanceType: 'Standard_NC24ads_A100_v4',
  location: 'eastus',
};

describe('kaito:quota:check input validation (fails before any call)', () => {
  let counter: Awaited<ReturnType<typeof connectionCounter>>;
  let clusters: KaitoClusters;

  beforeAll(async () => {
    counter = await connectionCounter();
    clusters = clustersFor({
      kaito: {
        azure: {
          subscriptionId: '00000000-0000-0000-0000-000000000000',
          armEndpoint: `https://127.0.0.1:${counter.port}`,
          credential: 'clientSecret',
          tenantId: '00000000-0000-0000-0000-00000000beef',
          clientId: '11111111-1111-1111-1111-111111111111',
          clientSecret: 'x',
          authorityHost: `https://127.0.0.1:${counter.port}`,
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
      { model: 'no-such-model' },
      /^model: 'no-such-model' is not in KAITO's model catalog/,
    ],
    [
      { instanceType: 'Standard_NC12s_v3' },
      /^instanceType: NVIDIA V100 sizes were removed from KAITO's SKU table/,
    ],
    [
      { instanceType: 'Standard_Nope' },
      /^instanceType: 'Standard_Nope' is not a GPU size KAITO knows/,
    ],
    [
      { instanceType: 'Standard_NG32ads_V620_v1' },
      /^instanceType: Cannot run on Standard_NG32ads_V620_v1.*AMD/,
    ],
    [
      { location: 'mars-base!' },
      /^location: 'mars-base!' is not an Azure region name/,
    ],
    [{ subscriptionId: 'nope' }, /^subscriptionId must be a subscription GUID/],
  ])('rejects %j naming the field', async (override, message) => {
    const { ctx } = actionContext({ ...a100, ...override });
    await expect(
      createQuotaCheckAction({ clusters }).handler(ctx as any),
    ).rejects.toThrow(message);
    expect(counter.count).toBe(0);
  });
});

describe('kaito:quota:check against the simulator ARM', () => {
  let sim: RunningSimulator;
  let clusters: KaitoClusters;

  beforeAll(async () => {
    sim = await startSimulator({
      log: () => {},
      arm: { quotas: { 'westus2:cores': 20 } },
    });
    clusters = clustersFor(simConfig(sim));
  });
  afterAll(async () => {
    await clusters?.stop();
    await sim?.stop();
  });

  it('passes with the figures when quota covers the nodes', async () => {
    const { ctx, outputs } = actionContext(a100);
    await createQuotaCheckAction({ clusters }).handler(ctx as any);
    expect(outputs).toEqual({
      nodes: 1,
      family: 'StandardNCADSA100v4Family',
      vCpusNeeded: 24,
      familyUsage: 0,
      familyLimit: 48,
      regionalUsage: 0,
      regionalLimit: 200,
      ok: true,
    });
  });

  it('fails on a family shortfall with the numbers and where to request more', async () => {
    const { ctx } = actionContext({ ...a100, count: 3 });
    await expect(
      createQuotaCheckAction({ clusters }).handler(ctx as any),
    ).rejects.toThrow(
      'Not enough quota in eastus for 3 × Standard_NC24ads_A100_v4 (24 vCPUs each): StandardNCADSA100v4Family vCPU quota: 0 of 48 in use, 72 needed (new limit at least 72). ' +
        'Request more in the Azure portal under Quotas → Compute (https://portal.azure.com/#view/Microsoft_Azure_Capacity/QuotaMenuBlade/~/myQuotas) for subscription 00000000-0000-0000-0000-000000000000, region eastus, or pick a region or size with free quota.',
    );
  });

  it('fails on a regional vCPU shortfall (per-region quota)', async () => {
    const { ctx } = actionContext({ ...a100, location: 'westus2' });
    await expect(
      createQuotaCheckAction({ clusters }).handler(ctx as any),
    ).rejects.toThrow(
      /Total Regional vCPUs \(cores\): 0 of 20 in use, 24 needed \(new limit at least 24\)/,
    );
  });

  it('fails for a size restricted in the region, listing sizes that fit and are offered there', async () => {
    const { ctx } = actionContext({
      ...a100,
      instanceType: 'Standard_ND96isr_H200_v5',
      location: 'eastus2',
    });
    await expect(
      createQuotaCheckAction({ clusters }).handler(ctx as any),
    ).rejects.toThrow(
      /^instanceType: Standard_ND96isr_H200_v5 is restricted in eastus2 for this subscription \(NotAvailableForSubscription\)\. Sizes in eastus2 that fit microsoft\/Phi-4-mini-instruct: Standard_NC24ads_A100_v4 \(1 node\), .*Standard_NV36ads_A10_v5 \(1 node\)/,
    );
  });

  it('fails for a size not offered in the region', async () => {
    const { ctx } = actionContext({
      ...a100,
      instanceType: 'Standard_NC40ads_H100_v5',
      location: 'westeurope',
    });
    await expect(
      createQuotaCheckAction({ clusters }).handler(ctx as any),
    ).rejects.toThrow(
      /^instanceType: Standard_NC40ads_H100_v5 is not offered in westeurope\. Sizes in westeurope that fit microsoft\/Phi-4-mini-instruct: Standard_NC24ads_A100_v4 \(1 node\)/,
    );
  });

  it('runs the same read-only check in a dry run', async () => {
    const { ctx, outputs } = actionContext(a100, { isDryRun: true });
    await createQuotaCheckAction({ clusters }).handler(ctx as any);
    expect(outputs.ok).toBe(true);
  });
});
