/**
 * Approximate Azure list prices for the GPU sizes in skuData.ts: USD per
 * node-hour, pay-as-you-go, Linux, as published by the Azure retail prices
 * API (`https://prices.azure.com/api/retail/prices`, `priceType eq
 * 'Consumption'`, non-Spot, non-Windows meters) around PRICE_TABLE_AS_OF.
 *
 * These figures were written from memory of that API's East US figures, not
 * fetched by a script: treat them as approximate list prices, good for
 * comparing sizes, not for a bill. Regional figures are the East US figure
 * times the region's usual GPU uplift (REGION_FACTORS), also approximate.
 * Platform teams replace or extend them with `kaito.prices` in app-config
 * (negotiated prices, other regions, another currency).
 */
export const PRICE_TABLE_AS_OF = '2026-11-01';
export const PRICE_TABLE_SOURCE =
  'Azure retail prices API (prices.azure.com/api/retail/prices), pay-as-you-go Linux list prices, approximate';
export const PRICE_TABLE_CURRENCY = 'USD';

/**
 * Regions the built-in table covers, with each region's approximate price
 * factor relative to East US.
 */
export const REGION_FACTORS: Record<string, number> = {
  eastus: 1,
  eastus2: 1,
  westus2: 1,
  westeurope: 1.1,
  swedencentral: 1.05,
};

/**
 * East US hourly list price per node, and the built-in regions that do not
 * offer the size (left out of the table there).
 */
export type PriceRow = [
  instanceType: string,
  eastUsPerHour: number,
  notOfferedIn?: string[],
];

// prettier-ignore
export const PRICE_ROWS: PriceRow[] = [
  ['Standard_NV36ads_A10_v5', 3.2],
  ['Standard_NV72ads_A10_v5', 6.52],
  ['Standard_NC24ads_A100_v4', 3.673],
  ['Standard_NC48ads_A100_v4', 7.346],
  ['Standard_NC96ads_A100_v4', 14.692],
  ['Standard_ND96asr_A100_v4', 27.197],
  ['Standard_ND96amsr_A100_v4', 32.77],
  ['Standard_NC40ads_H100_v5', 6.98],
  ['Standard_NC80adis_H100_v5', 13.96],
  ['Standard_ND96isr_H100_v5', 98.32, ['westus2', 'westeurope']],
  ['Standard_ND96isr_H200_v5', 110.24, ['eastus', 'westus2', 'westeurope']],
  // Retired from KAITO's table; still billed where they run.
  ['Standard_NC6s_v3', 3.06],
  ['Standard_NC12s_v3', 6.12],
  ['Standard_NC24s_v3', 12.24],
  ['Standard_NC24rs_v3', 13.464],
  ['Standard_NC4as_T4_v3', 0.526],
  ['Standard_NC8as_T4_v3', 0.752],
  ['Standard_NC16as_T4_v3', 1.204],
  ['Standard_NC64as_T4_v3', 4.352],
];
