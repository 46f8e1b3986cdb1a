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
 * longer supported"), with the model to use instead where there is one.
 */
export const RETIRED_PRESETS: Record<string, string | undefined> = {
  'falcon-7b': undefined,
  'falcon-7b-instruct': undefined,
  'falcon-40b': undefined,
  'falcon-40b-instruct': undefined,
  'phi-2': 'microsoft/Phi-4-mini-instruct',
};

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
