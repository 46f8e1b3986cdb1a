import { BACKSTAGE_KUBERNETES_ID_LABEL } from '../annotations';
import { KaitoValidationError, type ValidationIssue } from '../errors';
import type {
  WorkspaceApiVersion,
  WorkspaceV1alpha1,
  WorkspaceV1beta1,
} from '../types/workspace';
import { validateWorkspace } from './validate';
import type { LabelSelector } from '../types/kube';
import { labelValueProblem } from './rules/metadata';
import { Issues, describeValue, isObj } from './rules/issues';

/** Inputs every builder shares. */
export interface CommonBuildInput {
  /** Object name (DNS-1123 label starting with a letter). */
  name: string;
  namespace?: string;
  /** GPU size; required unless nodeAutoProvisioning is false. */
  instanceType?: string;
  /** false for BYO nodes (instanceType must then be omitted). Default true. */
  nodeAutoProvisioning?: boolean;
  /** Node selector labels; default `{ apps: <name> }`. */
  labelSelector?: Record<string, string>;
  /** Value of the `backstage.io/kubernetes-id` label (usually the component name). */
  kubernetesId?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** Inputs the Workspace builders share. */
export interface WorkspaceBuildInput extends CommonBuildInput {
  /**
   * Default `kaito.sh/v1beta1`. `kaito.sh/v1alpha1` (still served) has no
   * `presetOptions.modelAccessSecret` (so no gated models) and no `resource.partition`.
   */
  apiVersion?: WorkspaceApiVersion;
}

/** The Workspace type a builder returns for the requested apiVersion. */
export type BuiltWorkspace<V extends WorkspaceApiVersion = 'kaito.sh/v1beta1'> =
  V extends 'kaito.sh/v1alpha1' ? WorkspaceV1alpha1 : WorkspaceV1beta1;

const API_VERSIONS: readonly WorkspaceApiVersion[] = [
  'kaito.sh/v1beta1',
  'kaito.sh/v1alpha1',
];

/** The requested Workspace apiVersion (default v1beta1); reports anything else. */
export function apiVersionOf(
  input: { apiVersion?: unknown },
  issues: Issues,
): WorkspaceApiVersion {
  const v = input.apiVersion;
  if (v === undefined) return 'kaito.sh/v1beta1';
  if (API_VERSIONS.includes(v as WorkspaceApiVersion))
    return v as WorkspaceApiVersion;
  issues.add(
    'apiVersion',
    `must be "kaito.sh/v1beta1" or "kaito.sh/v1alpha1", got ${describeValue(
      v,
    )}`,
  );
  return 'kaito.sh/v1beta1';
}

/** Checks the raw builder input is an object; collects type problems. */
export function inputObject(
  input: unknown,
  issues: Issues,
): Record<string, unknown> {
  if (!isObj(input)) {
    issues.add(
      'input',
      `builder input must be an object, got ${describeValue(input)}`,
    );
    return {};
  }
  return input;
}

export function buildMetadata(
  input: CommonBuildInput,
  issues: Issues,
  extraAnnotations: Record<string, string> = {},
) {
  const labels: Record<string, string> = {
    ...(isObj(input.labels) ? input.labels : {}),
  };
  if (input.kubernetesId !== undefined) {
    if (typeof input.kubernetesId !== 'string' || input.kubernetesId === '') {
      issues.add(
        'kubernetesId',
        `must be a non-empty string, got ${describeValue(input.kubernetesId)}`,
      );
    } else {
      const p = labelValueProblem(input.kubernetesId);
      if (p)
        issues.add(
          'kubernetesId',
          `cannot be used as the ${BACKSTAGE_KUBERNETES_ID_LABEL} label: ${p}`,
        );
      labels[BACKSTAGE_KUBERNETES_ID_LABEL] = input.kubernetesId;
    }
  }
  const annotations: Record<string, string> = {
    ...(isObj(input.annotations) ? input.annotations : {}),
    ...extraAnnotations,
  };
  return {
    name: input.name,
    ...(input.namespace !== undefined ? { namespace: input.namespace } : {}),
    ...(Object.keys(labels).length ? { labels } : {}),
    ...(Object.keys(annotations).length ? { annotations } : {}),
  };
}

export function buildSelector(input: CommonBuildInput): LabelSelector {
  if (input.labelSelector !== undefined) {
    return { matchLabels: input.labelSelector };
  }
  return {
    matchLabels: { apps: typeof input.name === 'string' ? input.name : '' },
  };
}

export function buildResource(input: CommonBuildInput) {
  const nap = input.nodeAutoProvisioning ?? true;
  return {
    ...(nap || input.instanceType !== undefined
      ? { instanceType: input.instanceType }
      : {}),
    labelSelector: buildSelector(input),
  };
}

/** Drops undefined values recursively so the manifest is clean YAML/JSON. */
export function prune<T>(value: T): T {
  if (Array.isArray(value)) return value.map(prune) as unknown as T;
  if (isObj(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v !== undefined) out[k] = prune(v);
    }
    return out as T;
  }
  return value;
}

/** Removes duplicate issues (same field and message). */
export function dedupe(list: ValidationIssue[]): ValidationIssue[] {
  const seen = new Set<string>();
  return list.filter(i => {
    const key = `${i.field}\u0000${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Runs the webhook rules on a built Workspace and throws the builder's and the rules' issues
 * together (deduplicated), or returns the manifest.
 */
export function finishWorkspace<W>(
  manifest: W,
  builderIssues: ValidationIssue[],
  nodeAutoProvisioning: boolean | undefined,
  what: string,
): W {
  const all = dedupe([
    ...builderIssues,
    ...validateWorkspace(manifest, {
      nodeAutoProvisioning: nodeAutoProvisioning ?? true,
    }),
  ]);
  if (all.length) throw new KaitoValidationError(all, what);
  return manifest;
}
