import { KaitoValidationError } from '../errors';
import { findModel } from '../catalog/models';
import type { WorkspaceApiVersion } from '../types/workspace';
import { KAITO_RUNTIME_ANNOTATION } from '../workspace';
import {
  apiVersionOf,
  buildMetadata,
  type BuiltWorkspace,
  buildResource,
  finishWorkspace,
  inputObject,
  prune,
  type WorkspaceBuildInput,
} from './common';
import { checkSubdomainName, Issues } from './rules/issues';
import { normalizeBuildInput } from './normalize';
import {
  workspaceAdvice,
  type BuildResult,
  type WorkspaceAdviceOptions,
} from './advice';

/** A required ConfigMap / Secret name (DNS-1123 subdomain). */
function requireObjectName(issues: Issues, value: unknown, what: string) {
  if (typeof value !== 'string') {
    issues.add('name', `${what} is required (a DNS-1123 subdomain)`);
  } else {
    checkSubdomainName(issues, 'name', value, what);
  }
}

/** Annotation that skips the post-load benchmark (faster readiness). */
export const KAITO_DISABLE_BENCHMARK_ANNOTATION = 'kaito.sh/disable-benchmark';
/** Annotation choosing vLLM's tuning profile. */
export const KAITO_PERFORMANCE_MODE_ANNOTATION = 'kaito.sh/performance-mode';

export interface AdapterInput {
  /** DNS-1123 label; names the adapter container and directory. */
  name: string;
  /** Image with the adapter files under /data. */
  image?: string;
  imagePullSecrets?: string[];
  /** Kubernetes VolumeSource holding the adapter (instead of image). */
  volumeSource?: Record<string, unknown>;
  /** 0..1; honoured only by the Transformers runtime. */
  strength?: string | number;
}

export interface InferenceWorkspaceInput extends WorkspaceBuildInput {
  /** HF id, catalog legacy alias, or any `org/model` HF id. */
  model: string;
  /** Default vLLM; 'transformers' adds the `kaito.sh/runtime` annotation. */
  runtime?: 'vllm' | 'transformers';
  /** Secret (key HF_TOKEN) for gated models; required for gated catalog models. */
  modelAccessSecret?: string;
  /** ConfigMap holding `inference_config.yaml` (see buildInferenceConfigMap). */
  config?: string;
  adapters?: AdapterInput[];
  /** Skip the post-load benchmark (vLLM). */
  disableBenchmark?: boolean;
  performanceMode?: 'balanced' | 'interactivity' | 'throughput';
}

function strengthString(v: string | number | undefined): string | undefined {
  if (v === undefined) return undefined;
  return typeof v === 'number' ? String(v) : v;
}

/**
 * Builds a `kaito.sh/v1beta1` (default) or `kaito.sh/v1alpha1` inference
 * Workspace (no `.spec`). Applies the same rules as validateWorkspace plus
 * builder rules (gated models need a token Secret, so v1beta1); throws
 * KaitoValidationError listing every problem.
 */
export function buildInferenceWorkspace<
  V extends WorkspaceApiVersion = 'kaito.sh/v1beta1',
>(input: InferenceWorkspaceInput & { apiVersion?: V }): BuiltWorkspace<V> {
  const issues = new Issues();
  const raw = inputObject(input, issues) as Partial<InferenceWorkspaceInput>;
  if (issues.list.length)
    throw new KaitoValidationError(issues.list, 'inference Workspace input');
  const i = normalizeBuildInput(raw as InferenceWorkspaceInput);
  const apiVersion = apiVersionOf(i, issues);

  if (
    i.runtime !== undefined &&
    i.runtime !== 'vllm' &&
    i.runtime !== 'transformers'
  ) {
    issues.add(
      'runtime',
      `must be "vllm" or "transformers", got ${JSON.stringify(i.runtime)}`,
    );
  }
  if (
    i.performanceMode !== undefined &&
    !['balanced', 'interactivity', 'throughput'].includes(i.performanceMode)
  ) {
    issues.add(
      'performanceMode',
      'must be "balanced", "interactivity" or "throughput"',
    );
  }
  if (i.adapters !== undefined && !Array.isArray(i.adapters)) {
    issues.add('adapters', 'must be a list of adapters');
  }
  const model = typeof i.model === 'string' ? findModel(i.model) : undefined;
  if (
    model?.gated &&
    !i.modelAccessSecret &&
    apiVersion !== 'kaito.sh/v1beta1'
  ) {
    issues.add(
      'modelAccessSecret',
      `${model.hfId} is gated on Hugging Face, and kaito.sh/v1alpha1 has no inference.preset.presetOptions.modelAccessSecret to name the HF_TOKEN Secret; use apiVersion kaito.sh/v1beta1`,
    );
  } else if (model?.gated && !i.modelAccessSecret) {
    issues.add(
      'modelAccessSecret',
      `${model.hfId} is gated on Hugging Face; create a Secret with key HF_TOKEN and name it here (inference.preset.presetOptions.modelAccessSecret)`,
    );
  }

  const extra: Record<string, string> = {};
  if (i.runtime === 'transformers')
    extra[KAITO_RUNTIME_ANNOTATION] = 'transformers';
  if (i.disableBenchmark) extra[KAITO_DISABLE_BENCHMARK_ANNOTATION] = 'true';
  if (i.performanceMode)
    extra[KAITO_PERFORMANCE_MODE_ANNOTATION] = i.performanceMode;

  const manifest = prune({
    apiVersion,
    kind: 'Workspace' as const,
    metadata: buildMetadata(i, issues, extra),
    resource: buildResource(i),
    inference: {
      preset: {
        name: i.model,
        ...(i.modelAccessSecret !== undefined
          ? { presetOptions: { modelAccessSecret: i.modelAccessSecret } }
          : {}),
      },
      config: i.config,
      adapters: Array.isArray(i.adapters)
        ? i.adapters.map(a => ({
            source: {
              name: a?.name,
              image: a?.image,
              imagePullSecrets: a?.imagePullSecrets,
              volumeSource: a?.volumeSource,
            },
            strength: strengthString(a?.strength),
          }))
        : undefined,
    },
  });

  return finishWorkspace(
    manifest as BuiltWorkspace<V>,
    issues.list,
    i.nodeAutoProvisioning,
    'inference Workspace',
  );
}

/**
 * buildInferenceWorkspace, plus advice KAITO would not refuse but the user
 * should see: the node count and cost when the model needs several nodes of
 * the size, or a size that cannot hold it. Throws like buildInferenceWorkspace.
 */
export function buildInferenceWorkspaceWithWarnings<
  V extends WorkspaceApiVersion = 'kaito.sh/v1beta1',
>(
  input: InferenceWorkspaceInput & { apiVersion?: V },
  opts: WorkspaceAdviceOptions = {},
): BuildResult<BuiltWorkspace<V>> {
  const manifest = buildInferenceWorkspace(input);
  return { manifest, warnings: workspaceAdvice(manifest, opts) };
}

export interface InferenceConfigInput {
  /** ConfigMap name (referenced from inference.config). */
  name: string;
  namespace?: string;
  /** vLLM engine arguments, forwarded as `--key value` (e.g. 'max-model-len': 8192). */
  vllm?: Record<string, string | number | boolean>;
  /** KAITO: steps to probe the largest max-model-len that fits. */
  maxProbeSteps?: number;
  /** KAITO: share of CPU memory for LMCache KV offload. */
  kvCacheCpuMemoryUtilization?: number;
}

function yamlScalar(v: string | number | boolean): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' && !Number.isFinite(v))
    throw new Error('non-finite number');
  return String(v);
}

/**
 * Builds the ConfigMap an inference Workspace's `inference.config` points
 * at, with key `inference_config.yaml`.
 */
export function buildInferenceConfigMap(input: InferenceConfigInput) {
  const issues = new Issues();
  const raw = inputObject(input, issues) as Partial<InferenceConfigInput>;
  const lines: string[] = [];
  if (raw.maxProbeSteps !== undefined) {
    if (!Number.isInteger(raw.maxProbeSteps) || raw.maxProbeSteps < 1) {
      issues.add('maxProbeSteps', 'must be a whole number >= 1');
    } else lines.push(`max_probe_steps: ${raw.maxProbeSteps}`);
  }
  if (raw.kvCacheCpuMemoryUtilization !== undefined) {
    const u = raw.kvCacheCpuMemoryUtilization;
    if (typeof u !== 'number' || !(u >= 0 && u <= 1)) {
      issues.add(
        'kvCacheCpuMemoryUtilization',
        'must be a number between 0 and 1',
      );
    } else lines.push(`kv_cache_cpu_memory_utilization: ${u}`);
  }
  if (raw.vllm !== undefined) {
    if (
      typeof raw.vllm !== 'object' ||
      raw.vllm === null ||
      Array.isArray(raw.vllm)
    ) {
      issues.add(
        'vllm',
        'must be a map of vLLM engine arguments, e.g. {"max-model-len": 8192}',
      );
    } else {
      lines.push('vllm:');
      for (const [k, v] of Object.entries(raw.vllm)) {
        if (!/^[a-z0-9][a-z0-9-]*$/.test(k)) {
          issues.add(
            `vllm.${k}`,
            'vLLM argument names are lower-case words joined by "-", e.g. max-model-len',
          );
        } else if (
          !['string', 'number', 'boolean'].includes(typeof v) ||
          (typeof v === 'number' && !Number.isFinite(v))
        ) {
          issues.add(`vllm.${k}`, 'must be a string, finite number or boolean');
        } else lines.push(`  ${k}: ${yamlScalar(v)}`);
      }
    }
  }
  const meta = {
    name: raw.name,
    ...(raw.namespace !== undefined ? { namespace: raw.namespace } : {}),
  };
  requireObjectName(issues, raw.name, 'ConfigMap name');
  if (issues.list.length)
    throw new KaitoValidationError(issues.list, 'inference ConfigMap');
  return {
    apiVersion: 'v1' as const,
    kind: 'ConfigMap' as const,
    metadata: meta as { name: string; namespace?: string },
    data: { 'inference_config.yaml': `${lines.join('\n')}\n` },
  };
}

/**
 * Builds the Secret a gated model's `modelAccessSecret` names (key HF_TOKEN).
 * The token only goes into `stringData`; errors never echo it.
 */
export function buildHfTokenSecret(input: {
  name: string;
  namespace?: string;
  token: string;
}) {
  const issues = new Issues();
  const raw = inputObject(input, issues) as Partial<typeof input>;
  requireObjectName(issues, raw.name, 'Secret name');
  if (typeof raw.token !== 'string' || raw.token.trim() === '') {
    issues.add(
      'token',
      'a Hugging Face access token is required (it starts with "hf_")',
    );
  } else if (/\s/.test(raw.token.trim())) {
    issues.add(
      'token',
      'the token contains whitespace; paste it again without spaces or line breaks',
    );
  }
  if (issues.list.length)
    throw new KaitoValidationError(issues.list, 'HF token Secret');
  return {
    apiVersion: 'v1' as const,
    kind: 'Secret' as const,
    type: 'Opaque' as const,
    metadata: {
      name: raw.name!,
      ...(raw.namespace !== undefined ? { namespace: raw.namespace } : {}),
    },
    stringData: { HF_TOKEN: raw.token!.trim() },
  };
}
