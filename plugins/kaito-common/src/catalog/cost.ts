import { estimateFit, FitResult } from '../fit';
import type { ModelInfo } from './models';
import type { PriceEntry, PriceTable } from './prices';
import { SKU_TABLE, SkuInfo } from './skus';

/** What a choice of size, node count and region costs per hour. */
export interface CostEstimate {
  instanceType: string;
  region: string;
  nodes: number;
  perNodeHour: number;
  /** nodes × perNodeHour. */
  perHour: number;
  currency: string;
  source: string;
  asOf: string;
  approximate: boolean;
}

function round(n: number): number {
  return Math.round(n * 10000) / 10000;
}

/**
 * The hourly cost of `nodes` nodes of `instanceType` in `region`, or
 * undefined when the table has no price for that size there.
 */
export function costOf(
  prices: PriceTable,
  choice: { instanceType: string; region: string; nodes: number },
): CostEstimate | undefined {
  if (!Number.isInteger(choice.nodes) || choice.nodes < 0) return undefined;
  const p: PriceEntry | undefined = prices.find(
    choice.instanceType,
    choice.region,
  );
  if (!p) return undefined;
  return {
    instanceType: p.instanceType,
    region: p.region,
    nodes: choice.nodes,
    perNodeHour: p.perNodeHour,
    perHour: round(choice.nodes * p.perNodeHour),
    currency: p.currency,
    source: p.source,
    asOf: p.asOf,
    approximate: p.approximate,
  };
}

/** One size as a picker shows it for a model in a region. */
export interface InstanceTypeOption {
  sku: SkuInfo;
  fit: FitResult;
  /** Nodes the workspace needs (per-replica nodes × replicas) when it can run. */
  nodes?: number;
  cost?: CostEstimate;
  /** False when the size is retired or cannot hold the model. */
  usable: boolean;
  /** Why the size is not usable, in plain words. */
  reason?: string;
  /** Why no cost is shown, when `cost` is absent for a usable size. */
  costNote?: string;
}

export interface InstanceTypeOptionsInput {
  model: ModelInfo;
  region: string;
  prices: PriceTable;
  /** Workspace replicas (each needs the estimated nodes), default 1. */
  replicas?: number;
  contextLength?: number;
  cloud?: SkuInfo['cloud'];
  /** Include sizes KAITO no longer accepts, marked unusable (default true). */
  includeRetired?: boolean;
}

/** Every known size of `cloud` with its fit, nodes and cost for `model` in `region`. */
export function instanceTypeOptions(
  input: InstanceTypeOptionsInput,
): InstanceTypeOption[] {
  const replicas = input.replicas ?? 1;
  const cloud = input.cloud ?? 'azure';
  return SKU_TABLE.filter(
    s => s.cloud === cloud && (s.supported || input.includeRetired !== false),
  ).map(sku => {
    const fit = estimateFit(input.model, sku, {
      contextLength: input.contextLength,
    });
    if (fit.verdict === 'cannot-run') {
      return { sku, fit, usable: false, reason: fit.reason };
    }
    const nodes = fit.nodes * replicas;
    const cost = costOf(input.prices, {
      instanceType: sku.instanceType,
      region: input.region,
      nodes,
    });
    const option: InstanceTypeOption = { sku, fit, nodes, usable: true };
    if (cost) option.cost = cost;
    else
      option.costNote = `No ${input.prices.currency} price for ${sku.instanceType} in ${input.region}; add one under kaito.prices in app-config.`;
    return option;
  });
}

/**
 * The usable size with the lowest hourly cost for the model in the region
 * (ties: fewer nodes, then name). Undefined when nothing usable has a price.
 */
export function cheapestFit(
  options: InstanceTypeOption[],
): InstanceTypeOption | undefined {
  return options
    .filter(o => o.usable && o.cost)
    .sort(
      (a, b) =>
        a.cost!.perHour - b.cost!.perHour ||
        a.nodes! - b.nodes! ||
        a.sku.instanceType.localeCompare(b.sku.instanceType),
    )[0];
}
