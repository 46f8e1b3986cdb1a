import { z } from 'zod';
import { KaitoValidationError } from '../errors';
import {
  PRICE_ROWS,
  PRICE_TABLE_AS_OF,
  PRICE_TABLE_CURRENCY,
  PRICE_TABLE_SOURCE,
  REGION_FACTORS,
} from './priceData';

/** The hourly price of one node of one size in one region. */
export interface PriceEntry {
  instanceType: string;
  /** Azure region name, lower case (`eastus`). */
  region: string;
  /** Price of one node for one hour. */
  perNodeHour: number;
  /** ISO 4217 code. */
  currency: string;
  /** Where the figure comes from. */
  source: string;
  /** Date (YYYY-MM-DD) the figure was valid on. */
  asOf: string;
  /** True for the built-in, approximate list prices. */
  approximate: boolean;
}

/** A platform team's prices (`kaito.prices` in app-config). */
export interface PriceOverrides {
  /** Currency of `entries` (default USD). Any other currency drops the built-in USD table. */
  currency?: string;
  /** Where `entries` come from, e.g. "Contoso EA price sheet". */
  source?: string;
  /** Date (YYYY-MM-DD) `entries` were valid on. */
  asOf?: string;
  /** Use only `entries`, not the built-in table. */
  replaceBuiltIn?: boolean;
  entries?: Array<{ instanceType: string; region: string; perHour: number }>;
}

const overridesSchema = z
  .object({
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'use an ISO 4217 code such as USD or EUR')
      .optional(),
    source: z.string().min(1, 'say where the prices come from').optional(),
    asOf: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'use a date like 2026-11-01')
      .optional(),
    replaceBuiltIn: z.boolean().optional(),
    entries: z
      .array(
        z
          .object({
            instanceType: z
              .string()
              .regex(
                /^[A-Za-z0-9_.-]+$/,
                'use a VM size name such as Standard_NC24ads_A100_v4',
              ),
            region: z
              .string()
              .regex(
                /^[A-Za-z0-9]+$/,
                'use an Azure region name such as eastus',
              ),
            perHour: z
              .number({ invalid_type_error: 'use a number, e.g. 3.67' })
              .finite()
              .nonnegative('a price cannot be negative'),
          })
          .strict(),
      )
      .optional(),
  })
  .strict();

const key = (instanceType: string, region: string) =>
  `${region.trim().toLowerCase()}|${instanceType.trim().toLowerCase()}`;

function round(n: number): number {
  return Math.round(n * 10000) / 10000;
}

/** The built-in approximate list prices, one entry per size and region. */
export function builtInPrices(): PriceEntry[] {
  const out: PriceEntry[] = [];
  for (const [instanceType, eastUs, notOfferedIn = []] of PRICE_ROWS) {
    for (const [region, factor] of Object.entries(REGION_FACTORS)) {
      if (notOfferedIn.includes(region)) continue;
      out.push({
        instanceType,
        region,
        perNodeHour: round(eastUs * factor),
        currency: PRICE_TABLE_CURRENCY,
        source: PRICE_TABLE_SOURCE,
        asOf: PRICE_TABLE_AS_OF,
        approximate: true,
      });
    }
  }
  return out;
}

/**
 * Hourly node prices by size and region: the built-in list prices, replaced
 * or extended by a platform team's `kaito.prices`.
 */
export class PriceTable {
  readonly currency: string;
  private readonly byKey = new Map<string, PriceEntry>();

  private constructor(currency: string, entries: PriceEntry[]) {
    this.currency = currency;
    for (const e of entries) this.byKey.set(key(e.instanceType, e.region), e);
  }

  /** The built-in table alone. */
  static builtIn(): PriceTable {
    return new PriceTable(PRICE_TABLE_CURRENCY, builtInPrices());
  }

  /**
   * The built-in table with `overrides` applied. Throws KaitoValidationError
   * naming the `kaito.prices.*` field when the overrides are malformed.
   */
  static withOverrides(overrides?: PriceOverrides): PriceTable {
    if (!overrides) return PriceTable.builtIn();
    const parsed = overridesSchema.safeParse(overrides);
    if (!parsed.success) {
      throw new KaitoValidationError(
        parsed.error.issues.map(i => ({
          field: ['kaito.prices', ...i.path].join('.'),
          message: i.message,
        })),
        'price configuration',
      );
    }
    const o = parsed.data;
    const currency = o.currency ?? PRICE_TABLE_CURRENCY;
    const keepBuiltIn = !o.replaceBuiltIn && currency === PRICE_TABLE_CURRENCY;
    const entries = keepBuiltIn ? builtInPrices() : [];
    for (const e of o.entries ?? []) {
      entries.push({
        instanceType: e.instanceType,
        region: e.region.toLowerCase(),
        perNodeHour: e.perHour,
        currency,
        source: o.source ?? 'kaito.prices in app-config',
        asOf: o.asOf ?? 'unknown',
        approximate: false,
      });
    }
    return new PriceTable(currency, entries);
  }

  /** The price of one node of `instanceType` in `region` (case-insensitive), if known. */
  find(instanceType: string, region: string): PriceEntry | undefined {
    if (typeof instanceType !== 'string' || typeof region !== 'string') {
      return undefined;
    }
    return this.byKey.get(key(instanceType, region));
  }

  /** Regions with at least one price, sorted. */
  regions(): string[] {
    return [...new Set([...this.byKey.values()].map(e => e.region))].sort();
  }

  /** Every entry, for display. */
  entries(): PriceEntry[] {
    return [...this.byKey.values()];
  }
}
