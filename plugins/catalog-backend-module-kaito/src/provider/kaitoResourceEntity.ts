import { Entity } from '@backstage/catalog-model';
import {
  BACKSTAGE_KUBERNETES_ID_LABEL,
  KAITO_CLUSTER_ANNOTATION,
} from '@kaito-backstage/plugin-kaito-common';
import {
  MANAGED_BY_LOCATION,
  MANAGED_BY_ORIGIN_LOCATION,
  WS_DESCRIPTION,
  WS_OWNER,
  WS_SYSTEM,
  WS_TITLE,
} from './annotations';

/** The metadata of a KAITO object (Workspace, RAGEngine) the provider reads. */
export interface RawKaitoMetadata {
  name?: string;
  namespace?: string;
  annotations?: Record<string, string>;
  labels?: Record<string, string>;
  deletionTimestamp?: string;
}

/** How one kind of KAITO object becomes a catalog `Resource`. */
export interface KaitoResourceKind {
  /** Origin location prefix: `<prefix>:<cluster>/<namespace>/<name>`. */
  location: string;
  /** The annotation naming the object as `<namespace>/<name>`. */
  annotation: string;
  /** `spec.type`. */
  type: string;
  tags: string[];
  /** The description when the object has no `backstage.io/description`. */
  describe(ref: string): string;
  /** Further annotations, after the cluster's. */
  annotations?: Record<string, string>;
  /** `spec.dependsOn` (default: the cluster's resource). */
  dependsOn?: string[];
}

/**
 * A catalog `Resource` for a KAITO object that carries the `backstage.io/owner` annotation
 * (written by the portal's templates), or undefined for objects the portal did not create and
 * ones being deleted. Named by its `backstage.io/kubernetes-id` label, else its own name.
 */
export function kaitoResourceEntity(
  cluster: string,
  md: RawKaitoMetadata,
  kind: KaitoResourceKind,
): Entity | undefined {
  const annotations = md.annotations ?? {};
  const owner = annotations[WS_OWNER]?.trim();
  if (!owner || !md.name || !md.namespace || md.deletionTimestamp) {
    return undefined;
  }
  const name = md.labels?.[BACKSTAGE_KUBERNETES_ID_LABEL]?.trim() || md.name;
  const ref = `${md.namespace}/${md.name}`;
  const location = `${kind.location}:${cluster}/${ref}`;
  const system = annotations[WS_SYSTEM]?.trim();
  const title = annotations[WS_TITLE]?.trim();
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name,
      namespace: 'default',
      ...(title ? { title } : {}),
      description: annotations[WS_DESCRIPTION]?.trim() || kind.describe(ref),
      tags: kind.tags,
      annotations: {
        [MANAGED_BY_LOCATION]: location,
        [MANAGED_BY_ORIGIN_LOCATION]: location,
        [kind.annotation]: ref,
        [KAITO_CLUSTER_ANNOTATION]: cluster,
        ...kind.annotations,
        [BACKSTAGE_KUBERNETES_ID_LABEL]: name,
        'backstage.io/kubernetes-namespace': md.namespace,
      },
    },
    spec: {
      type: kind.type,
      owner,
      ...(system ? { system } : {}),
      dependsOn: kind.dependsOn ?? [`resource:default/${cluster}`],
    },
  };
}
