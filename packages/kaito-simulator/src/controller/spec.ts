import {
  estimateFit,
  findModel,
  findSku,
  ModelInfo,
  SkuInfo,
  workspaceRuntime,
} from '@kaito-backstage/plugin-kaito-common';
import { isRecord, KubeObject } from '../kube/types';

/** The parts of a Workspace's spec the simulated controller acts on. */
export interface WorkspaceSpec {
  mode: 'inference' | 'tuning';
  runtime: 'vllm' | 'transformers';
  presetName?: string;
  model?: ModelInfo;
  sku?: SkuInfo;
  instanceType: string;
  /** Nodes the estimator asks for (KAITO's NodesEstimator). */
  nodes: number;
  gpus: number;
  adapters: Array<{ name: string; image: string }>;
  modelAccessSecret?: string;
  matchLabels: Record<string, string>;
  annotations: Record<string, string>;
}

const str = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : undefined;

function adaptersOf(
  inference: Record<string, unknown> | undefined,
): WorkspaceSpec['adapters'] {
  const list = Array.isArray(inference?.adapters)
    ? (inference!.adapters as unknown[])
    : [];
  return list.flatMap(a => {
    const src = isRecord(a) && isRecord(a.source) ? a.source : undefined;
    return src && typeof src.name === 'string' && typeof src.image === 'string'
      ? [{ name: src.name, image: src.image }]
      : [];
  });
}

function estimateNodes(
  spec: Pick<WorkspaceSpec, 'mode' | 'runtime' | 'model' | 'sku'>,
  resource: Record<string, unknown>,
): number {
  if (spec.mode === 'tuning') return 1;
  if (spec.runtime === 'transformers')
    return typeof resource.count === 'number' && resource.count > 0
      ? Math.floor(resource.count)
      : 1;
  if (!spec.model || !spec.sku) return 1;
  try {
    const fit = estimateFit(spec.model, spec.sku);
    return fit.verdict === 'cannot-run' ? 1 : fit.nodes;
  } catch {
    return 1;
  }
}

/** Reads a Workspace object (v1beta1 or v1alpha1 shape, no `.spec`). */
export function parseWorkspaceSpec(obj: KubeObject): WorkspaceSpec {
  const o = obj as Record<string, unknown>;
  const resource = isRecord(o.resource) ? o.resource : {};
  const inference = isRecord(o.inference) ? o.inference : undefined;
  const tuning = isRecord(o.tuning) ? o.tuning : undefined;
  const mode = tuning && !inference ? 'tuning' : 'inference';
  const preset = isRecord((inference ?? tuning)?.preset)
    ? ((inference ?? tuning)!.preset as Record<string, unknown>)
    : {};
  const presetName = str(preset.name);
  const model = presetName ? findModel(presetName) : undefined;
  const instanceType = str(resource.instanceType) ?? 'Standard_NC24ads_A100_v4';
  const sku = findSku(instanceType);
  const options = isRecord(preset.presetOptions) ? preset.presetOptions : {};
  const sel =
    isRecord(resource.labelSelector) &&
    isRecord(resource.labelSelector.matchLabels)
      ? resource.labelSelector.matchLabels
      : {};
  const runtime = workspaceRuntime(obj);
  const partial = { mode, runtime, model, sku } as const;
  return {
    ...partial,
    presetName,
    instanceType,
    nodes: estimateNodes(partial, resource),
    gpus: sku?.gpuCount ?? 1,
    adapters: adaptersOf(inference),
    modelAccessSecret: str(options.modelAccessSecret),
    matchLabels: Object.fromEntries(
      Object.entries(sel).filter(([, v]) => typeof v === 'string'),
    ) as Record<string, string>,
    annotations: { ...(obj.metadata.annotations ?? {}) },
  };
}
