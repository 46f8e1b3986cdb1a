import { cheapestFit, instanceTypeOptions, InstanceTypeOption } from './cost';
import {
  MODEL_CATALOG,
  MODEL_CATALOG_KAITO_VERSION,
  ModelInfo,
} from './models';
import type { PriceTable } from './prices';
import { SKU_TABLE_KAITO_VERSION } from './skus';

/** vCPU quota of one family in one region, as ARM's compute usages report it. */
export interface FamilyQuota {
  family: string;
  limit: number;
  used: number;
}

/** The quota lookup result: usages by lower-cased family, or why there are none. */
export type QuotaLookup =
  | { known: true; subscriptionId: string; byFamily: Map<string, FamilyQuota> }
  | { known: false; note: string };

/** One size's quota headroom (the catalog route's and the recommend-instance-types action's). */
export function quotaHeadroom(option: InstanceTypeOption, quota: QuotaLookup) {
  if (!quota.known) return { known: false, note: quota.note };
  const family = option.sku.quotaFamily;
  const q = family ? quota.byFamily.get(family.toLowerCase()) : undefined;
  if (!q) {
    return {
      known: false,
      note: family
        ? `Quota unknown: Azure lists no ${family} usage in this region (the size may not be offered here).`
        : `Quota unknown: no Azure quota family is recorded for ${option.sku.instanceType}.`,
    };
  }
  const available = q.limit - q.used;
  const needed =
    option.nodes === undefined ? undefined : option.nodes * option.sku.vCPUs;
  return {
    known: true,
    family: q.family,
    limit: q.limit,
    used: q.used,
    available,
    ...(needed === undefined ? {} : { needed, enough: needed <= available }),
  };
}

/** One model as `GET /catalog/models` lists it. */
export function catalogModelItem(m: ModelInfo) {
  return {
    name: m.hfId,
    servedName: m.servedName,
    weightSizeGiB: m.weightSizeGiB,
    contextLength: m.contextLength,
    ...(m.quantization ? { quantization: m.quantization } : {}),
    runtimes: m.runtimes,
    tuningMethods: m.tuningMethods,
    gated: m.gated,
    license: m.license,
    task: m.task,
  };
}

/** The answer of `GET /catalog/models`: KAITO's whole model catalog. */
export function catalogModelsAnswer() {
  return {
    kaitoVersion: MODEL_CATALOG_KAITO_VERSION,
    items: MODEL_CATALOG.map(catalogModelItem),
  };
}

/** One size as `GET /catalog/instance-types` lists it. */
export function instanceTypeItem(o: InstanceTypeOption, quota: QuotaLookup) {
  return {
    instanceType: o.sku.instanceType,
    gpuModel: o.sku.gpuModel,
    gpuCount: o.sku.gpuCount,
    gpuMemoryGiB: o.sku.gpuMemoryGiB,
    vCPUs: o.sku.vCPUs,
    retired: !o.sku.supported,
    usable: o.usable,
    ...(o.reason ? { reason: o.reason } : {}),
    fit: {
      verdict: o.fit.verdict,
      summary: o.fit.summary,
      warnings: o.fit.warnings,
    },
    ...(o.nodes === undefined ? {} : { nodes: o.nodes }),
    ...(o.cost ? { cost: o.cost } : {}),
    ...(o.costNote ? { costNote: o.costNote } : {}),
    quota: o.usable ? quotaHeadroom(o, quota) : { known: false },
  };
}

export interface InstanceTypesAnswerInput {
  model: ModelInfo;
  /** Lower-case Azure region name. */
  region: string;
  /** Workspace replicas. */
  count: number;
  prices: PriceTable;
  quota: QuotaLookup;
}

/**
 * The answer of `GET /catalog/instance-types`: every known size with its
 * fit, nodes, cost and quota headroom for the model in the region, and the
 * cheapest that fits.
 */
export function instanceTypesAnswer(input: InstanceTypesAnswerInput) {
  const { model, region, count, prices, quota } = input;
  const options = instanceTypeOptions({
    model,
    region,
    prices,
    replicas: count,
  });
  const cheapest = cheapestFit(options);
  return {
    model: model.hfId,
    region,
    count,
    currency: prices.currency,
    skuTableKaitoVersion: SKU_TABLE_KAITO_VERSION,
    ...(quota.known
      ? { quotaSubscriptionId: quota.subscriptionId }
      : { quotaNote: quota.note }),
    cheapest: cheapest?.sku.instanceType ?? null,
    items: options.map(o => instanceTypeItem(o, quota)),
  };
}
