import type { Config } from '@backstage/config';
import {
  PriceOverrides,
  PriceTable,
} from '@kaito-backstage/plugin-kaito-common';

/**
 * `kaito.prices` (overrides of the built-in approximate list prices) and
 * `kaito.catalog.defaultRegion`. Throws at startup, naming the key, when
 * either is malformed.
 */
export function readCatalogSettings(config: Config): {
  prices: PriceTable;
  defaultRegion: string;
} {
  const overrides = config.getOptional('kaito.prices') as
    | PriceOverrides
    | undefined;
  const defaultRegion =
    config.getOptionalString('kaito.catalog.defaultRegion') ?? 'eastus';
  if (!/^[a-z][a-z0-9]{1,39}$/.test(defaultRegion)) {
    throw new Error(
      `kaito.catalog.defaultRegion must be an Azure region name such as eastus, got '${defaultRegion}'`,
    );
  }
  return { prices: PriceTable.withOverrides(overrides), defaultRegion };
}
