import { MODEL_ROWS } from './modelData';

/** The KAITO release whose curated catalog MODEL_CATALOG describes. */
export const MODEL_CATALOG_KAITO_VERSION = '0.12.0';

/** Transformer shape numbers the GPU-fit estimator needs. */
export interface ModelArchitecture {
  hiddenSize: number;
  numHiddenLayers: number;
  numAttentionHeads: number;
  numKeyValueHeads: number;
  /** Explicit head dim; otherwise hiddenSize / numAttentionHeads. */
  headDim?: number;
  /** MLA models (DeepSeek V3, Kimi, GLM…): compressed KV rank. */
  kvLoraRank?: number;
  qkRopeHeadDim?: number;
}

/** One model of KAITO's curated catalog. */
export interface ModelInfo {
  /** Hugging Face repo id, the canonical `inference.preset.name`. */
  hfId: string;
  /** Pre-v0.9 short preset name KAITO still maps to this model. */
  legacyAlias?: string;
  /** `--served-model-name`: lower-cased last segment of the HF id. */
  servedName: string;
  /** Total safetensors size in GiB. */
  weightSizeGiB: number;
  /** Maximum context length (tokens). */
  contextLength: number;
  /** Quantization method (fp8, mxfp4, awq, gptq…), when the weights are quantized. */
  quantization?: string;
  /** Runtimes KAITO can serve it with; vLLM is always available. */
  runtimes: Array<'vllm' | 'transformers'>;
  /** LoRA / QLoRA tuning methods KAITO supports for it (empty: none). */
  tuningMethods: Array<'lora' | 'qlora'>;
  /** Gated on Hugging Face: needs `presetOptions.modelAccessSecret` (HF_TOKEN). */
  gated: boolean;
  license: string;
  /** HF pipeline tag, e.g. text-generation, image-text-to-text. */
  task: string;
  /** vLLM can spread the model across several nodes (true for every catalog model). */
  distributedInference: boolean;
  architecture: ModelArchitecture;
}

/** KAITO v0.12 curated models (60), in upstream order. */
export const MODEL_CATALOG: ModelInfo[] = MODEL_ROWS.map(row => {
  const [
    hfId,
    alias,
    size,
    ctx,
    quant,
    rt,
    tuning,
    gated,
    license,
    task,
    arch,
  ] = row;
  const [hiddenSize, numHiddenLayers, numAttentionHeads, numKeyValueHeads] =
    arch;
  const [headDim, kvLoraRank, qkRopeHeadDim] = arch.slice(4);
  return {
    hfId,
    ...(alias ? { legacyAlias: alias } : {}),
    servedName: lastSegmentLower(hfId),
    weightSizeGiB: size,
    contextLength: ctx,
    ...(quant ? { quantization: quant } : {}),
    runtimes: rt === 'vt' ? ['vllm', 'transformers'] : ['vllm'],
    tuningMethods: tuning ? ['lora', 'qlora'] : [],
    gated,
    license,
    task,
    distributedInference: true,
    architecture: {
      hiddenSize,
      numHiddenLayers,
      numAttentionHeads,
      numKeyValueHeads,
      ...(headDim ? { headDim } : {}),
      ...(kvLoraRank ? { kvLoraRank } : {}),
      ...(qkRopeHeadDim ? { qkRopeHeadDim } : {}),
    },
  };
});

/**
 * Legacy preset names that KAITO v0.9+ rejects ("Model X is deprecated and no
 * longer supported"), with the total GPU memory KAITO v0.6.2 required for
 * them (GiB, from its preset table), the measure of their size.
 */
export const RETIRED_PRESET_GPU_MEMORY_GIB: Record<string, number> = {
  'falcon-7b': 14,
  'falcon-7b-instruct': 14,
  'falcon-40b': 90,
  'falcon-40b-instruct': 90,
  'phi-2': 12,
};

/** Retired presets with a successor KAITO names itself. */
export const RETIRED_PRESET_SUCCESSORS: Record<string, string> = {
  'phi-2': 'microsoft/Phi-4-mini-instruct',
};

/**
 * The current catalog model closest in size to `sizeGiB` (ratio of weight
 * sizes) among ungated, general-purpose text-generation models (it runs
 * without a token and is not a coding specialist): a replacement to suggest
 * for a retired preset.
 */
export function modelOfSimilarSize(
  sizeGiB: number,
  among: readonly ModelInfo[] = MODEL_CATALOG,
): ModelInfo | undefined {
  let best: ModelInfo | undefined;
  let bestScore = Infinity;
  for (const m of among) {
    // General-purpose text models only: no token needed, not a coding specialist.
    if (m.gated || m.task !== 'text-generation' || /code/i.test(m.hfId)) {
      continue;
    }
    const score = Math.abs(Math.log(m.weightSizeGiB / sizeGiB));
    if (score < bestScore) {
      best = m;
      bestScore = score;
    }
  }
  return best;
}

/**
 * What to use instead of a retired preset: its named successor, else the
 * catalog model of similar size (a tunable one when `tuning`).
 */
export function retiredPresetReplacement(
  name: string,
  opts: { tuning?: boolean } = {},
): ModelInfo | undefined {
  const key = typeof name === 'string' ? name.trim().toLowerCase() : '';
  const size = RETIRED_PRESET_GPU_MEMORY_GIB[key];
  if (size === undefined) return undefined;
  const named = RETIRED_PRESET_SUCCESSORS[key]
    ? findModel(RETIRED_PRESET_SUCCESSORS[key])
    : undefined;
  if (named && (!opts.tuning || named.tuningMethods.length)) return named;
  const among = opts.tuning
    ? MODEL_CATALOG.filter(m => m.tuningMethods.length)
    : MODEL_CATALOG;
  // An instruct preset gets an instruct (chat) model when one is within 1.5× its size.
  const chat = key.endsWith('-instruct')
    ? modelOfSimilarSize(
        size,
        among.filter(m => /instruct|-it$|chat/i.test(m.hfId)),
      )
    : undefined;
  if (chat && Math.abs(Math.log(chat.weightSizeGiB / size)) <= Math.log(1.5)) {
    return chat;
  }
  return modelOfSimilarSize(size, among);
}

const byKey = new Map<string, ModelInfo>();
for (const m of MODEL_CATALOG) {
  byKey.set(m.hfId.toLowerCase(), m);
  if (m.legacyAlias) byKey.set(m.legacyAlias, m);
}

function lastSegmentLower(id: string): string {
  const parts = id.split('/');
  return parts[parts.length - 1].toLowerCase();
}

/**
 * Looks a model up by HF id (case-insensitive, as KAITO lower-cases preset
 * names) or legacy alias. Undefined for uncatalogued models.
 */
export function findModel(nameOrAlias: string): ModelInfo | undefined {
  if (typeof nameOrAlias !== 'string') return undefined;
  return byKey.get(nameOrAlias.trim().toLowerCase());
}

/** Retired preset names with the HF id of the model to use instead (for inference). */
export const RETIRED_PRESETS: Record<string, string | undefined> =
  Object.fromEntries(
    Object.keys(RETIRED_PRESET_GPU_MEMORY_GIB).map(name => [
      name,
      retiredPresetReplacement(name)?.hfId,
    ]),
  );

/**
 * The model name vLLM serves a preset under (`--served-model-name`): the
 * lower-cased last segment of the HF id, after resolving a legacy alias
 * (`mistral-7b` -> `mistral-7b-v0.3`). Works for uncatalogued HF ids too.
 * (A Workspace created by an InferenceSet serves the InferenceSet's name.)
 */
export function servedModelName(presetName: string): string {
  const model = findModel(presetName);
  if (model) return model.servedName;
  return lastSegmentLower(String(presetName).trim());
}
