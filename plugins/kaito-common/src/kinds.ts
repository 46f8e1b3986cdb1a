import type { InferenceSet } from './types/inferenceset';
import type { RAGEngine } from './types/ragengine';
import type { Workspace } from './types/workspace';
import { servedModelName } from './catalog/models';
import { workspacePresetName } from './workspace';

/** Label KAITO puts on Workspaces an InferenceSet created. */
export const INFERENCESET_CREATED_BY_LABEL = 'inferenceset.kaito.sh/created-by';

const VERSIONS = ['kaito.sh/v1beta1', 'kaito.sh/v1alpha1'];

function isKaitoKind(obj: unknown, kind: string): boolean {
  if (typeof obj !== 'object' || obj === null) return false;
  const o = obj as Record<string, unknown>;
  return (
    o.kind === kind &&
    typeof o.apiVersion === 'string' &&
    VERSIONS.includes(o.apiVersion) &&
    typeof o.metadata === 'object' &&
    o.metadata !== null &&
    typeof o.spec === 'object' &&
    o.spec !== null
  );
}

/** True for a served-version RAGEngine (it has a `.spec`, unlike Workspace). */
export function isRAGEngine(obj: unknown): obj is RAGEngine {
  return isKaitoKind(obj, 'RAGEngine');
}

/** True for a served-version InferenceSet. */
export function isInferenceSet(obj: unknown): obj is InferenceSet {
  return isKaitoKind(obj, 'InferenceSet');
}

/**
 * The model name a Workspace's server answers to: the InferenceSet's name for
 * a Workspace an InferenceSet created, otherwise servedModelName(preset).
 * Undefined for custom-template Workspaces (ask `/v1/models`).
 */
export function workspaceServedModelName(ws: Workspace): string | undefined {
  const parent = ws.metadata.labels[INFERENCESET_CREATED_BY_LABEL];
  if (parent) return parent;
  const preset = workspacePresetName(ws);
  return preset ? servedModelName(preset) : undefined;
}
