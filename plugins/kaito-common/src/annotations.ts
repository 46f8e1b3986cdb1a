import { KaitoAnnotationError } from './errors';
import { dns1123LabelProblem, printable } from './dns';

/** Catalog annotation naming the Workspace behind an entity: `<namespace>/<name>`. */
export const KAITO_WORKSPACE_ANNOTATION = 'kaito.sh/workspace';
/** Optional catalog annotation naming the Kubernetes cluster (as configured in Backstage). */
export const KAITO_CLUSTER_ANNOTATION = 'kaito.sh/cluster';
/**
 * Catalog annotation naming a configured `kaito.externalTargets[].name`: the
 * entity's chat goes to that endpoint instead of a KAITO Workspace.
 */
export const KAITO_EXTERNAL_TARGET_ANNOTATION = 'kaito.sh/external-target';
/** Label Backstage's Kubernetes plugin uses to find an entity's objects. */
export const BACKSTAGE_KUBERNETES_ID_LABEL = 'backstage.io/kubernetes-id';

/** A reference to one Workspace. */
export interface WorkspaceRef {
  namespace: string;
  name: string;
}

/**
 * Parses a `kaito.sh/workspace` value, `<namespace>/<name>`.
 * Throws KaitoAnnotationError naming the problem and the expected form.
 */
export function parseWorkspaceRef(value: string): WorkspaceRef {
  const key = KAITO_WORKSPACE_ANNOTATION;
  const hint = `Expected "<namespace>/<name>", e.g. "${key}: default/workspace-phi-4"`;
  if (typeof value !== 'string') {
    throw new KaitoAnnotationError(
      key,
      `Annotation ${key} must be a string, got ${
        value === null ? 'null' : typeof value
      }. ${hint}.`,
    );
  }
  const trimmed = value.trim();
  if (trimmed.length === 0) {
    throw new KaitoAnnotationError(key, `Annotation ${key} is empty. ${hint}.`);
  }
  const parts = trimmed.split('/');
  if (parts.length !== 2) {
    throw new KaitoAnnotationError(
      key,
      `Annotation ${key} "${printable(
        trimmed,
      )}" must contain exactly one '/', found ${parts.length - 1}. ${hint}.`,
    );
  }
  const [namespace, name] = parts;
  for (const [what, part] of [
    ['namespace', namespace],
    ['name', name],
  ] as const) {
    const problem = dns1123LabelProblem(part);
    if (problem) {
      throw new KaitoAnnotationError(
        key,
        `Annotation ${key} "${printable(
          trimmed,
        )}": the Workspace ${what} ${problem}. ${hint}.`,
      );
    }
  }
  return { namespace, name };
}

/**
 * Reads the KAITO annotations of a catalog entity. Returns undefined when the
 * entity has no `kaito.sh/workspace` annotation; throws KaitoAnnotationError
 * when either annotation is malformed.
 */
export function getEntityWorkspaceRef(entity: {
  metadata: { annotations?: Record<string, string> };
}): (WorkspaceRef & { cluster?: string }) | undefined {
  const annotations = entity?.metadata?.annotations ?? {};
  const raw = annotations[KAITO_WORKSPACE_ANNOTATION];
  const cluster = annotations[KAITO_CLUSTER_ANNOTATION];
  if (raw === undefined) {
    if (cluster !== undefined) {
      throw new KaitoAnnotationError(
        KAITO_CLUSTER_ANNOTATION,
        `Annotation ${KAITO_CLUSTER_ANNOTATION} is set but ${KAITO_WORKSPACE_ANNOTATION} is missing; add "${KAITO_WORKSPACE_ANNOTATION}: <namespace>/<name>" or remove the cluster annotation.`,
      );
    }
    return undefined;
  }
  const ref = parseWorkspaceRef(raw);
  if (cluster === undefined) return ref;
  if (typeof cluster !== 'string' || cluster.trim().length === 0) {
    throw new KaitoAnnotationError(
      KAITO_CLUSTER_ANNOTATION,
      `Annotation ${KAITO_CLUSTER_ANNOTATION} is empty; set it to a cluster name from kubernetes.clusterLocatorMethods or remove it.`,
    );
  }
  const c = cluster.trim();
  const hasControlChar = [...c].some(ch => ch.charCodeAt(0) < 0x20);
  if (c.length > 253 || /[\s/]/.test(c) || hasControlChar) {
    throw new KaitoAnnotationError(
      KAITO_CLUSTER_ANNOTATION,
      `Annotation ${KAITO_CLUSTER_ANNOTATION} "${printable(
        c,
      )}" is not a valid cluster name; use the name of a configured cluster without spaces or '/'.`,
    );
  }
  return { ...ref, cluster: c };
}
