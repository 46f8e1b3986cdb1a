import { KaitoValidationError } from '../errors';
import { cheapestFit, costOf, instanceTypeOptions } from './cost';
import { findModel } from './models';
import { PriceTable } from './prices';

const llama70b = findModel('meta-llama/Llama-3.3-70B-Instruct')!;
const phi4mini = findModel('microsoft/Phi-4-mini-instruct')!;

describe('costOf', () => {
  const prices = PriceTable.builtIn();

  it('multiplies nodes by the regional node price', () => {
    // 3 × 3.673 = 11.019 (East US list price of NC24ads_A100_v4).
    expect(
      costOf(prices, {
        instanceType: 'Standard_NC24ads_A100_v4',
        region: 'eastus',
        nodes: 3,
      }),
    ).toMatchObject({
      perNodeHour: 3.673,
      perHour: 11.019,
      currency: 'USD',
      asOf: '2026-11-01',
      approximate: true,
    });
    // West Europe is East US × 1.1: 3.2 × 1.1 = 3.52; 2 nodes = 7.04.
    expect(
      costOf(prices, {
        instanceType: 'standard_nv36ads_a10_v5',
        region: 'WestEurope',
        nodes: 2,
      })?.perHour,
    ).toBe(7.04);
  });

  it('is undefined for a size the region does not offer or an unknown region', () => {
    expect(
      costOf(prices, {
        instanceType: 'Standard_ND96isr_H100_v5',
        region: 'westeurope',
        nodes: 1,
      }),
    ).toBeUndefined();
    expect(
      costOf(prices, {
        instanceType: 'Standard_NC24ads_A100_v4',
        region: 'australiaeast',
        nodes: 1,
      }),
    ).toBeUndefined();
  });
});

describe('instanceTypeOptions and cheapestFit', () => {
  it('finds 3 × NC24ads_A100_v4 the cheapest for Llama 3.3 70B in East US', () => {
    // Hand-worked: KV 2×8×128×80×2 = 327680 B/token × 2048 = 0.625 GiB;
    // A100 80 GiB: (80×0.84 − 2.925)/1.05 = 61.21 GiB per GPU for weights;
    // 131.42×1.02 = 134.05 GiB → ⌊134.05/61.21⌋+1 = 3 GPUs.
    //   NC24ads (1 GPU) 3 nodes × 3.673 = 11.019
    //   NC48ads (2 GPU) 2 nodes × 7.346 = 14.692
    //   NC40ads H100 (94 GiB): 72.41 per GPU → 2 GPUs → 2 × 6.98 = 13.96
    //   NV36ads A10 (24 GiB): 16.41 per GPU → 9 GPUs → 9 × 3.2 = 28.8
    const options = instanceTypeOptions({
      model: llama70b,
      region: 'eastus',
      prices: PriceTable.builtIn(),
    });
    const by = (t: string) => options.find(o => o.sku.instanceType === t)!;
    expect(by('Standard_NC24ads_A100_v4')).toMatchObject({
      nodes: 3,
      usable: true,
      cost: { perHour: 11.019 },
    });
    expect(by('Standard_NC48ads_A100_v4').cost?.perHour).toBe(14.692);
    expect(by('Standard_NC40ads_H100_v5')).toMatchObject({
      nodes: 2,
      cost: { perHour: 13.96 },
    });
    expect(by('Standard_NV36ads_A10_v5')).toMatchObject({
      nodes: 9,
      cost: { perHour: 28.8 },
    });
    expect(cheapestFit(options)?.sku.instanceType).toBe(
      'Standard_NC24ads_A100_v4',
    );
  });

  it('keeps retired and non-NVIDIA sizes, unusable with the reason', () => {
    const options = instanceTypeOptions({
      model: phi4mini,
      region: 'eastus',
      prices: PriceTable.builtIn(),
    });
    const t4 = options.find(
      o => o.sku.instanceType === 'Standard_NC4as_T4_v3',
    )!;
    expect(t4.usable).toBe(false);
    expect(t4.reason).toMatch(/removed from KAITO's SKU table in v0\.12\.0/);
    expect(t4.cost).toBeUndefined();
    const amd = options.find(
      o => o.sku.instanceType === 'Standard_NG32ads_V620_v1',
    )!;
    expect(amd).toMatchObject({ usable: false });
    expect(amd.reason).toMatch(/NVIDIA/);
    // No price is listed for H200 in East US: usable, with a note, never cheapest.
    const h200 = options.find(
      o => o.sku.instanceType === 'Standard_ND96isr_H200_v5',
    )!;
    expect(h200).toMatchObject({ usable: true, nodes: 1 });
    expect(h200.costNote).toMatch(
      /No USD price .* eastus; add one under kaito\.prices/,
    );
    // Phi-4-mini fits one A10: 3.2 < 3.673 (A100).
    expect(cheapestFit(options)).toMatchObject({
      sku: { instanceType: 'Standard_NV36ads_A10_v5' },
      nodes: 1,
      cost: { perHour: 3.2 },
    });
  });

  it('multiplies nodes by replicas', () => {
    const options = instanceTypeOptions({
      model: llama70b,
      region: 'swedencentral',
      prices: PriceTable.builtIn(),
      replicas: 2,
    });
    // 2 replicas × 3 nodes × (3.673 × 1.05 = 3.8567) = 23.1402
    expect(cheapestFit(options)).toMatchObject({
      nodes: 6,
      cost: { perNodeHour: 3.8567, perHour: 23.1402 },
    });
  });
});

describe('PriceTable.withOverrides', () => {
  it('replaces a built-in price and adds a region', () => {
    const prices = PriceTable.withOverrides({
      source: 'Contoso EA price sheet',
      asOf: '2026-10-01',
      entries: [
        {
          instanceType: 'Standard_NV36ads_A10_v5',
          region: 'eastus',
          perHour: 4,
        },
        {
          instanceType: 'Standard_NC24ads_A100_v4',
          region: 'australiaeast',
          perHour: 2.5,
        },
      ],
    });
    expect(prices.find('Standard_NV36ads_A10_v5', 'eastus')).toMatchObject({
      perNodeHour: 4,
      source: 'Contoso EA price sheet',
      asOf: '2026-10-01',
      approximate: false,
    });
    // Built-in figures stay for everything else.
    expect(prices.find('Standard_NC24ads_A100_v4', 'eastus')?.perNodeHour).toBe(
      3.673,
    );
    expect(prices.regions()).toContain('australiaeast');
    // With the A10 at 4.00, the A100 (3.673) is now cheapest for Phi-4-mini.
    const options = instanceTypeOptions({
      model: phi4mini,
      region: 'eastus',
      prices,
    });
    expect(cheapestFit(options)?.sku.instanceType).toBe(
      'Standard_NC24ads_A100_v4',
    );
  });

  it('drops the USD table for another currency', () => {
    const prices = PriceTable.withOverrides({
      currency: 'EUR',
      entries: [
        {
          instanceType: 'Standard_NC24ads_A100_v4',
          region: 'westeurope',
          perHour: 3.1,
        },
      ],
    });
    expect(prices.currency).toBe('EUR');
    expect(
      prices.find('Standard_NV36ads_A10_v5', 'westeurope'),
    ).toBeUndefined();
    expect(
      costOf(prices, {
        instanceType: 'Standard_NC24ads_A100_v4',
        region: 'westeurope',
        nodes: 2,
      }),
    ).toMatchObject({ perHour: 6.2, currency: 'EUR' });
  });

  it('names the bad field', () => {
    const attempt = () =>
      PriceTable.withOverrides({
        currency: 'euro',
        entries: [
          {
            instanceType: 'Standard_NC24ads_A100_v4',
            region: 'eastus',
            perHour: -1,
          },
        ],
      });
    expect(attempt).toThrow(KaitoValidationError);
    expect(attempt).toThrow(
      /kaito\.prices\.currency: use an ISO 4217 code.*kaito\.prices\.entries\.0\.perHour: a price cannot be negative/,
    );
  });
});
