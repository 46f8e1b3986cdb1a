import { findSku } from '@kaito-backstage/plugin-kaito-common';
import { isRecord, KubeObject } from '../kube/types';

/** What the simulated RAGEngine controller reads from `.spec` (admission already checked it). */
export interface RagEngineSpec {
  instanceType?: string;
  matchLabels: Record<string, string>;
  /** GPUs of the instance type (0 for CPU sizes or unknown ones). */
  gpus: number;
  quotaFamily: string;
  vCPUs: number;
  embeddingType: 'local' | 'remote';
  modelID?: string;
  vectorDB: string;
  inferenceUrl?: string;
  /** LLM_CONTEXT_WINDOW. */
  contextWindow: number;
}

const rec = (v: unknown): Record<string, unknown> => (isRecord(v) ? v : {});
const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v ? v : undefined;

export function parseRagEngineSpec(obj: KubeObject): RagEngineSpec {
  const spec = rec(obj.spec);
  const compute = rec(spec.compute);
  const local = rec(rec(spec.embedding).local);
  const svc = rec(spec.inferenceService);
  const instanceType = str(compute.instanceType);
  const sku = instanceType ? findSku(instanceType) : undefined;
  const matchLabels = rec(rec(compute.labelSelector).matchLabels) as Record<
    string,
    string
  >;
  return {
    instanceType,
    matchLabels,
    gpus: sku?.gpuCount ?? 0,
    quotaFamily: sku?.quotaFamily ?? 'StandardNCADSA100v4Family',
    vCPUs: sku?.vCPUs ?? 24,
    embeddingType: isRecord(rec(spec.embedding).remote) ? 'remote' : 'local',
    modelID: str(local.modelID),
    vectorDB: str(rec(rec(spec.storage).vectorDB).engine) ?? 'faiss',
    inferenceUrl: str(svc.url),
    contextWindow:
      typeof svc.contextWindowSize === 'number' ? svc.contextWindowSize : 64000,
  };
}
