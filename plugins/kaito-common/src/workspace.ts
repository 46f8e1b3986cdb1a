import type { KubeCondition } from './types/kube';
import type {
  Workspace,
  WorkspaceApiVersion,
  WorkspaceV1alpha1,
  WorkspaceStatus,
  WorkspaceV1beta1,
} from './types/workspace';

/** KAITO's API group. */
export const KAITO_GROUP = 'kaito.sh';
/** Workspace resource plural, for REST paths. */
export const WORKSPACE_PLURAL = 'workspaces';
/** Served Workspace versions, preferred (storage) version first. */
export const WORKSPACE_VERSIONS = ['v1beta1', 'v1alpha1'] as const;
/** Annotation selecting the inference runtime (`vllm` default, or `transformers`). */
export const KAITO_RUNTIME_ANNOTATION = 'kaito.sh/runtime';
/** Label the controller puts on the pods, NodeClaims and Jobs of a Workspace. */
export const KAITO_WORKSPACE_LABEL = 'kaito.sh/workspace';
/** Label the controller puts on a Workspace's NodeClaims (cluster-scoped) naming its namespace. */
export const KAITO_WORKSPACE_NAMESPACE_LABEL = 'kaito.sh/workspacenamespace';

export type KaitoRuntime = 'vllm' | 'transformers';

const API_VERSIONS: readonly WorkspaceApiVersion[] = [
  'kaito.sh/v1beta1',
  'kaito.sh/v1alpha1',
];

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** True for any served-version Workspace object (`kind: Workspace`, group kaito.sh). */
export function isWorkspace(
  obj: unknown,
): obj is WorkspaceV1beta1 | WorkspaceV1alpha1 {
  return (
    isRecord(obj) &&
    obj.kind === 'Workspace' &&
    typeof obj.apiVersion === 'string' &&
    (API_VERSIONS as readonly string[]).includes(obj.apiVersion) &&
    isRecord(obj.metadata)
  );
}

export function isWorkspaceV1beta1(obj: unknown): obj is WorkspaceV1beta1 {
  return isWorkspace(obj) && obj.apiVersion === 'kaito.sh/v1beta1';
}

export function isWorkspaceV1alpha1(obj: unknown): obj is WorkspaceV1alpha1 {
  return isWorkspace(obj) && obj.apiVersion === 'kaito.sh/v1alpha1';
}

function stringMap(v: unknown): Record<string, string> {
  if (!isRecord(v)) return {};
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) {
    if (typeof val === 'string') out[k] = val;
  }
  return out;
}

function conditions(v: unknown): KubeCondition[] {
  if (!Array.isArray(v)) return [];
  return v.filter(
    (c): c is KubeCondition =>
      isRecord(c) && typeof c.type === 'string' && typeof c.status === 'string',
  );
}

/**
 * Normalizes a v1beta1 or v1alpha1 Workspace into one shape. Tolerates
 * missing or malformed optional parts (status, labels); throws only when the
 * object is not a Workspace at all.
 */
export function normalizeWorkspace(obj: unknown): Workspace {
  if (!isWorkspace(obj)) {
    let what: string = obj === null ? 'null' : typeof obj;
    if (isRecord(obj))
      what = `kind "${String(obj.kind)}" apiVersion "${String(
        obj.apiVersion,
      )}"`;
    throw new Error(
      `Not a KAITO Workspace (${what}); expected kind "Workspace" with apiVersion ${API_VERSIONS.join(
        ' or ',
      )} and a metadata object`,
    );
  }
  const raw = obj as unknown as Record<string, unknown>;
  const meta = raw.metadata as Record<string, unknown>;
  const status = isRecord(raw.status) ? raw.status : {};
  const resource = isRecord(raw.resource) ? raw.resource : {};
  const inference = isRecord(raw.inference) ? raw.inference : undefined;
  const tuning = isRecord(raw.tuning) ? raw.tuning : undefined;

  return {
    apiVersion: obj.apiVersion,
    kind: 'Workspace',
    metadata: {
      ...meta,
      name: typeof meta.name === 'string' ? meta.name : '',
      namespace:
        typeof meta.namespace === 'string' ? meta.namespace : 'default',
      labels: stringMap(meta.labels),
      annotations: stringMap(meta.annotations),
    },
    resource: {
      ...resource,
      labelSelector: isRecord(resource.labelSelector)
        ? (resource.labelSelector as Workspace['resource']['labelSelector'])
        : {},
    },
    ...(inference ? { inference: inference as Workspace['inference'] } : {}),
    ...(tuning ? { tuning: tuning as unknown as Workspace['tuning'] } : {}),
    status: {
      ...(status as WorkspaceStatus),
      conditions: conditions(status.conditions),
    },
    sourceApiVersion: obj.apiVersion,
    mode: tuning && !inference ? 'tuning' : 'inference',
  };
}

/**
 * The runtime a Workspace uses: `transformers` only when the annotation
 * `kaito.sh/runtime` says so (vLLM is KAITO's default since v0.4).
 */
export function workspaceRuntime(ws: unknown): KaitoRuntime {
  if (!isRecord(ws) || !isRecord(ws.metadata)) return 'vllm';
  const annotations = ws.metadata.annotations;
  if (!isRecord(annotations)) return 'vllm';
  const value = annotations[KAITO_RUNTIME_ANNOTATION];
  return typeof value === 'string' &&
    value.trim().toLowerCase() === 'transformers'
    ? 'transformers'
    : 'vllm';
}

/** The preset name of a Workspace (inference or tuning), if any. */
export function workspacePresetName(ws: Workspace): string | undefined {
  const name = ws.inference?.preset?.name ?? ws.tuning?.preset?.name;
  return typeof name === 'string' && name.length > 0 ? name : undefined;
}

/** Finds a condition by type (first match). */
export function findCondition(
  list: readonly KubeCondition[] | undefined,
  type: string,
): KubeCondition | undefined {
  return list?.find(c => c.type === type);
}
