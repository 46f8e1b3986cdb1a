import type { ModelInfo } from './catalog/models';
import type { SkuInfo } from './catalog/skus';

/**
 * GPU-fit estimate: a re-implementation of KAITO v0.12's vLLM node estimator
 * (`pkg/workspace/estimator/nodesestimator`), so a UI can predict the
 * `status.targetNodeCount` the controller will set, and explain it.
 */

const GIB = 1024 ** 3;
/** Context the estimator sizes the KV cache for unless `max-model-len` is set. */
export const DEFAULT_ESTIMATOR_CONTEXT_LENGTH = 2048;
/** Share of each GPU's memory the estimator budgets for vLLM. */
export const ESTIMATOR_GPU_MEMORY_UTILIZATION = 0.84;
/** `--gpu-memory-utilization` KAITO passes vLLM on A10 GPUs (0.84 elsewhere). */
export const A10_RUNTIME_GPU_MEMORY_UTILIZATION = 0.82;
/** Fixed per-GPU reserve (CUDA context, activations), GiB. */
export const ESTIMATOR_RESERVE_GIB = 2.3;
/** Headroom factor on the memory left for weights (5% overhead). */
export const ESTIMATOR_OVERHEAD_FACTOR = 1.05;
/** Weight-size factor (non-safetensors files, alignment). */
export const ESTIMATOR_WEIGHT_FACTOR = 1.02;

/** The numbers behind a fit estimate, for the UI to show its working. */
export interface FitArithmetic {
  contextLength: number;
  gpuCount: number;
  gpuMemoryPerGpuGiB: number;
  gpuMemoryUtilization: number;
  /** gpuMemoryPerGpu × utilization. */
  budgetPerGpuGiB: number;
  /** KV cache bytes per token (2 × kvHeads × headDim × layers × 2, or MLA rank form). */
  kvBytesPerToken: number;
  /** KV cache for `contextLength` tokens, whole model, GiB. */
  kvCacheGiB: number;
  /** 2.3 GiB + kvCache / gpuCount. */
  reservePerGpuGiB: number;
  /** (budget − reserve) / 1.05. */
  weightsPerGpuGiB: number;
  /** weightSize × 1.02. */
  weightsNeededGiB: number;
  /** ⌊weightsNeeded / weightsPerGpu⌋ + 1. */
  minGpus?: number;
  /** ⌈minGpus / gpuCount⌉. */
  nodes?: number;
  /** The same steps as one readable line. */
  explanation: string;
}

export type FitResult =
  | {
      verdict: 'fits';
      nodes: 1;
      summary: string;
      arithmetic: FitArithmetic;
      warnings: string[];
    }
  | {
      verdict: 'needs-nodes';
      nodes: number;
      summary: string;
      arithmetic: FitArithmetic;
      warnings: string[];
    }
  | {
      verdict: 'cannot-run';
      reason: string;
      summary: string;
      arithmetic?: FitArithmetic;
      warnings: string[];
    };

/** KV-cache bytes per token, as KAITO's preset generator computes them (fp16 KV). */
export function kvCacheBytesPerToken(model: ModelInfo): number {
  const a = model.architecture;
  if (a.kvLoraRank && a.qkRopeHeadDim) {
    return (a.kvLoraRank + a.qkRopeHeadDim) * a.numHiddenLayers * 2;
  }
  const headDim = a.headDim ?? Math.floor(a.hiddenSize / a.numAttentionHeads);
  return 2 * a.numKeyValueHeads * headDim * a.numHiddenLayers * 2;
}

function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

function isA10(sku: SkuInfo): boolean {
  return /\bA10\b/.test(sku.gpuModel);
}

function compute(
  model: ModelInfo,
  sku: SkuInfo,
  contextLength: number,
  utilization: number,
): FitArithmetic {
  const perGpu = sku.gpuMemoryGiB / sku.gpuCount;
  const budget = perGpu * utilization;
  const bpt = kvCacheBytesPerToken(model);
  const kvGiB = (bpt * contextLength) / GIB;
  const reserve = ESTIMATOR_RESERVE_GIB + kvGiB / sku.gpuCount;
  const perGpuWeights = (budget - reserve) / ESTIMATOR_OVERHEAD_FACTOR;
  const needed = model.weightSizeGiB * ESTIMATOR_WEIGHT_FACTOR;
  const a: FitArithmetic = {
    contextLength,
    gpuCount: sku.gpuCount,
    gpuMemoryPerGpuGiB: round(perGpu),
    gpuMemoryUtilization: utilization,
    budgetPerGpuGiB: round(budget),
    kvBytesPerToken: bpt,
    kvCacheGiB: round(kvGiB, 3),
    reservePerGpuGiB: round(reserve, 3),
    weightsPerGpuGiB: round(perGpuWeights, 3),
    weightsNeededGiB: round(needed, 3),
    explanation: '',
  };
  const head =
    `budget ${round(perGpu)} GiB × ${utilization} = ${
      a.budgetPerGpuGiB
    } GiB per GPU; ` +
    `reserve ${ESTIMATOR_RESERVE_GIB} GiB + KV ${a.kvCacheGiB} GiB (${contextLength} tokens × ${bpt} B) / ${sku.gpuCount} GPU = ${a.reservePerGpuGiB} GiB; ` +
    `room for weights (${a.budgetPerGpuGiB} − ${a.reservePerGpuGiB}) / ${ESTIMATOR_OVERHEAD_FACTOR} = ${a.weightsPerGpuGiB} GiB per GPU; ` +
    `weights ${model.weightSizeGiB} GiB × ${ESTIMATOR_WEIGHT_FACTOR} = ${a.weightsNeededGiB} GiB`;
  if (perGpuWeights > 0) {
    a.minGpus = Math.floor(needed / perGpuWeights) + 1;
    a.nodes = Math.ceil(a.minGpus / sku.gpuCount);
    a.explanation = `${head}; GPUs ⌊${a.weightsNeededGiB} / ${a.weightsPerGpuGiB}⌋ + 1 = ${a.minGpus}; nodes ⌈${a.minGpus} / ${sku.gpuCount}⌉ = ${a.nodes}.`;
  } else {
    a.explanation = `${head}; no room is left for weights.`;
  }
  return a;
}

/**
 * Estimates how many `sku` nodes KAITO's vLLM runtime needs for `model`.
 * `contextLength` is the KV-cache size the estimator reserves for
 * (default 2048, or the ConfigMap's `vllm.max-model-len`).
 */
export function estimateFit(
  model: ModelInfo,
  sku: SkuInfo,
  opts: { contextLength?: number } = {},
): FitResult {
  const warnings: string[] = [];
  const requested = opts.contextLength ?? DEFAULT_ESTIMATOR_CONTEXT_LENGTH;
  if (
    !Number.isFinite(requested) ||
    requested < 1 ||
    !Number.isInteger(requested)
  ) {
    return {
      verdict: 'cannot-run',
      reason: `context length ${String(
        requested,
      )} is not a positive whole number of tokens; use e.g. ${DEFAULT_ESTIMATOR_CONTEXT_LENGTH}`,
      summary: 'Cannot estimate: invalid context length.',
      warnings,
    };
  }
  let contextLength = requested;
  if (contextLength > model.contextLength) {
    warnings.push(
      `${model.hfId} supports at most ${model.contextLength} tokens; estimated for that instead of ${requested}.`,
    );
    contextLength = model.contextLength;
  }
  if (!sku.supported) {
    return {
      verdict: 'cannot-run',
      reason:
        sku.unsupportedReason ??
        `${sku.instanceType} is not supported by KAITO.`,
      summary: `Cannot run on ${sku.instanceType}: the size is not supported.`,
      warnings,
    };
  }
  if (!/nvidia/i.test(sku.gpuModel)) {
    return {
      verdict: 'cannot-run',
      reason: `${sku.instanceType} has ${sku.gpuModel} accelerators; KAITO's vLLM presets need NVIDIA GPUs with CUDA compute capability 8.0 or newer.`,
      summary: `Cannot run on ${sku.instanceType}: not an NVIDIA GPU.`,
      warnings,
    };
  }

  const arithmetic = compute(
    model,
    sku,
    contextLength,
    ESTIMATOR_GPU_MEMORY_UTILIZATION,
  );
  if (arithmetic.nodes === undefined) {
    return {
      verdict: 'cannot-run',
      reason: `Each ${sku.gpuModel} GPU (${arithmetic.gpuMemoryPerGpuGiB} GiB) leaves no room for weights after the ${arithmetic.reservePerGpuGiB} GiB reserve for a ${contextLength}-token KV cache; use a larger GPU or a shorter context.`,
      summary: `Cannot run on ${sku.instanceType}: GPU memory is too small.`,
      arithmetic,
      warnings,
    };
  }

  // vLLM itself runs at 0.82 on A10, so the estimator's count may be tight there.
  if (isA10(sku)) {
    const runtime = compute(
      model,
      sku,
      contextLength,
      A10_RUNTIME_GPU_MEMORY_UTILIZATION,
    );
    if (runtime.nodes === undefined || runtime.nodes > arithmetic.nodes) {
      warnings.push(
        `KAITO starts vLLM with gpu-memory-utilization ${A10_RUNTIME_GPU_MEMORY_UTILIZATION} on A10 GPUs, below the estimator's ${ESTIMATOR_GPU_MEMORY_UTILIZATION}; at that setting ${
          runtime.nodes ?? 'no number of'
        } node(s) would be needed, so this size is tight.`,
      );
    }
  }

  const nodes = arithmetic.nodes;
  if (nodes === 1) {
    return {
      verdict: 'fits',
      nodes: 1,
      summary: `Fits on one ${sku.instanceType} (${sku.gpuCount} × ${sku.gpuModel}).`,
      arithmetic,
      warnings,
    };
  }
  if (!model.distributedInference) {
    return {
      verdict: 'cannot-run',
      reason: `${model.hfId} needs ${arithmetic.minGpus} GPUs but cannot be spread across nodes, and one ${sku.instanceType} has only ${sku.gpuCount}; pick a size with more GPU memory.`,
      summary: `Cannot run on ${sku.instanceType}: needs more than one node.`,
      arithmetic,
      warnings,
    };
  }
  return {
    verdict: 'needs-nodes',
    nodes,
    summary: `Needs ${nodes} × ${sku.instanceType} (${arithmetic.minGpus} GPUs; one node holds ${sku.gpuCount}), as multi-node vLLM.`,
    arithmetic,
    warnings,
  };
}
