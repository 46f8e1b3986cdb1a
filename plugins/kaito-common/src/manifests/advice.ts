import {
  costOf,
  instanceTypeOptions,
  type CostEstimate,
} from '../catalog/cost';
import { findModel, type ModelInfo } from '../catalog/models';
import { PriceTable } from '../catalog/prices';
import { describeModels, similarModels } from '../catalog/similar';
import { findSku, type SkuInfo } from '../catalog/skus';
import { printable } from '../dns';
import { estimateFit } from '../fit';
import { KAITO_RUNTIME_ANNOTATION } from '../workspace';
import { isObj } from './rules/issues';

/**
 * Advice on a Workspace that KAITO would admit but that may not be what the
 * user meant: it needs several nodes (and what they cost), cannot run on the
 * size, or names something close to a catalog entry. Never blocks a build.
 */
export interface BuildWarning {
  /** Manifest path the warning is about, e.g. `resource.instanceType`. */
  field: string;
  /** Plain-words problem, consequence and fix. */
  message: string;
  code:
    | 'multi-node'
    | 'cannot-run'
    | 'tight-fit'
    | 'tuning-too-large'
    | 'did-you-mean';
  /** Nodes KAITO will provision (multi-node). */
  nodes?: number;
  /** Hourly cost of those nodes, when a price is known. */
  cost?: CostEstimate;
  /** Catalog names or sizes to use instead, best first. */
  suggestions?: string[];
}

/** A built Workspace and the advice on it. */
export interface BuildResult<W> {
  manifest: W;
  warnings: BuildWarning[];
}

export interface WorkspaceAdviceOptions {
  /** Azure region for the cost (default: the built-in East US list price). */
  region?: string;
  /** Price table (default: the built-in approximate list prices). */
  prices?: PriceTable;
  /** vLLM `max-model-len` the estimator sizes the KV cache for (default 2048). */
  contextLength?: number;
}

const FIELD = 'resource.instanceType';
const DEFAULT_REGION = 'eastus';
let builtIn: PriceTable | undefined;

function money(n: number, currency: string): string {
  return `${n.toFixed(2)} ${currency}`;
}

function priceSource(c: CostEstimate): string {
  return c.approximate
    ? `${c.region} list price, approximate`
    : `${c.region}, ${c.source}`;
}

/** Sizes of the same cloud that hold the model on one node, cheapest (then smallest) first. */
function singleNodeSizes(
  model: ModelInfo,
  sku: SkuInfo,
  region: string,
  prices: PriceTable,
  contextLength: number | undefined,
) {
  return instanceTypeOptions({
    model,
    region,
    prices,
    contextLength,
    cloud: sku.cloud,
    includeRetired: false,
  })
    .filter(o => o.usable && o.nodes === 1)
    .sort(
      (a, b) =>
        (a.cost?.perHour ?? Infinity) - (b.cost?.perHour ?? Infinity) ||
        a.sku.gpuMemoryGiB - b.sku.gpuMemoryGiB,
    )
    .slice(0, 3);
}

function fitAdvice(
  mode: 'inference' | 'tuning',
  model: ModelInfo,
  sku: SkuInfo,
  opts: WorkspaceAdviceOptions,
): BuildWarning[] {
  const region = opts.region ?? DEFAULT_REGION;
  const prices = opts.prices ?? (builtIn ??= PriceTable.builtIn());
  const fit = estimateFit(model, sku, { contextLength: opts.contextLength });
  const out: BuildWarning[] = fit.warnings.map(message => ({
    field: FIELD,
    code: 'tight-fit' as const,
    message,
  }));
  if (fit.verdict === 'fits') return out;
  const instead = singleNodeSizes(
    model,
    sku,
    region,
    prices,
    opts.contextLength,
  );
  const suggestions = instead.map(o => o.sku.instanceType);
  const insteadText = instead.length
    ? `one node of ${instead[0].sku.instanceType} holds it${
        instead[0].cost
          ? ` (about ${money(
              instead[0].cost.perHour,
              instead[0].cost.currency,
            )}/hour)`
          : ''
      }`
    : `no single ${sku.cloud} size holds it`;
  if (fit.verdict === 'cannot-run') {
    out.push({
      field: FIELD,
      code: 'cannot-run',
      message: `${fit.summary} ${fit.reason} Instead, ${insteadText}.`,
      ...(suggestions.length ? { suggestions } : {}),
    });
    return out;
  }
  const nodes = fit.nodes;
  if (mode === 'tuning') {
    out.push({
      field: FIELD,
      code: 'tuning-too-large',
      nodes,
      message: `Tuning runs on one node, but ${model.hfId} needs ${nodes} × ${sku.instanceType} just to serve; the job would run out of GPU memory. Pick a larger size: ${insteadText}.`,
      ...(suggestions.length ? { suggestions } : {}),
    });
    return out;
  }
  const cost = costOf(prices, {
    instanceType: sku.instanceType,
    region,
    nodes,
  });
  const costText = cost
    ? `about ${money(
        cost.perHour,
        cost.currency,
      )}/hour (${nodes} × ${cost.perNodeHour.toFixed(2)}, ${priceSource(cost)})`
    : `no ${prices.currency} price for ${sku.instanceType} in ${region}; add one under kaito.prices in app-config`;
  out.push({
    field: FIELD,
    code: 'multi-node',
    nodes,
    ...(cost ? { cost } : {}),
    message: `${model.hfId} needs ${nodes} × ${sku.instanceType} (${fit.arithmetic.minGpus} GPUs; one node holds ${sku.gpuCount}): KAITO will provision ${nodes} nodes and run multi-node vLLM, ${costText}. If that is not what you meant, ${insteadText}.`,
    ...(suggestions.length ? { suggestions } : {}),
  });
  return out;
}

/** An uncatalogued HF id a typo away from a catalog model (KAITO accepts it, best-effort). */
function typoAdvice(name: string): BuildWarning[] {
  const similar = similarModels(name, { numbersAreTypos: false });
  if (!similar.length) return [];
  return [
    {
      field: 'inference.preset.name',
      code: 'did-you-mean',
      suggestions: similar.map(m => m.hfId),
      message: `${printable(
        name,
      )} is not in KAITO's model catalog, so KAITO will try it as-is from Hugging Face (no fit estimate, and a misspelt id fails only when the pod starts); did you mean ${describeModels(
        similar,
        name,
      )}?`,
    },
  ];
}

/**
 * Advice on a valid Workspace (the builders' `…WithWarnings` variants call
 * it on what they built): the fit estimator's verdict for a catalog model on
 * a known size, and "did you mean" for an uncatalogued HF id a typo away
 * from a catalog model. Returns [] when there is nothing to say.
 */
export function workspaceAdvice(
  manifest: unknown,
  opts: WorkspaceAdviceOptions = {},
): BuildWarning[] {
  if (!isObj(manifest)) return [];
  const mode = isObj(manifest.tuning) ? 'tuning' : 'inference';
  const spec = manifest[mode];
  const preset = isObj(spec) && isObj(spec.preset) ? spec.preset : undefined;
  const resource = isObj(manifest.resource) ? manifest.resource : undefined;
  const annotations =
    isObj(manifest.metadata) && isObj(manifest.metadata.annotations)
      ? manifest.metadata.annotations
      : {};
  const model =
    typeof preset?.name === 'string' ? findModel(preset.name) : undefined;
  const sku =
    typeof resource?.instanceType === 'string'
      ? findSku(resource.instanceType)
      : undefined;
  const out: BuildWarning[] = [];
  // Uncatalogued tuning presets are refused by the rules, with their own "did you mean".
  if (!model && mode === 'inference' && typeof preset?.name === 'string') {
    out.push(...typoAdvice(preset.name));
  }
  // The Transformers runtime does not span nodes; the rules refuse a size too small for it.
  const transformers = annotations[KAITO_RUNTIME_ANNOTATION] === 'transformers';
  if (!model || !sku?.supported || (mode === 'inference' && transformers)) {
    return out;
  }
  return [...out, ...fitAdvice(mode, model, sku, opts)];
}
