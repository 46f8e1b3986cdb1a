import { Entity } from '@backstage/catalog-model';
import {
  BACKSTAGE_KUBERNETES_ID_LABEL,
  KAITO_CLUSTER_ANNOTATION,
  KAITO_WORKSPACE_ANNOTATION,
} from '@kaito-backstage/plugin-kaito-common';
import {
  MANAGED_BY_LOCATION,
  MANAGED_BY_ORIGIN_LOCATION,
  WS_DESCRIPTION,
  WS_OWNER,
  WS_SYSTEM,
  WS_TITLE,
} from './annotations';

/** The fields of a KAITO Workspace (any served version) the provider reads. */
export interface RawWorkspace {
  apiVersion?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    annotations?: Record<string, string>;
    labels?: Record<string, string>;
    deletionTimestamp?: string;
  };
  inference?: { preset?: { name?: string } };
  tuning?: { preset?: { name?: string }; method?: string };
  spec?: {
    inference?: { preset?: { name?: string } };
    tuning?: { preset?: { name?: string }; method?: string };
  };
}

/** The location the provider names as the origin of its workspace entities. */
export function workspaceLocation(
  cluster: string,
  namespace: string,
  name: string,
) {
  return `kaito-workspace:${cluster}/${namespace}/${name}`;
}

/**
 * A catalog `Resource` (type `kaito-workspace`) for a Workspace that carries
 * the `backstage.io/owner` annotation, or undefined for Workspaces the portal
 * did not create (no owner) and Workspaces being deleted.
 */
export function workspaceEntity(
  cluster: string,
  ws: RawWorkspace,
): Entity | undefined {
  const md = ws.metadata ?? {};
  const annotations = md.annotations ?? {};
  const owner = annotations[WS_OWNER]?.trim();
  if (!owner || !md.name || !md.namespace || md.deletionTimestamp) {
    return undefined;
  }
  const name = md.labels?.[BACKSTAGE_KUBERNETES_ID_LABEL]?.trim() || md.name;
  const tuning = ws.tuning ?? ws.spec?.tuning;
  const preset =
    (ws.inference ?? ws.spec?.inference)?.preset?.name ?? tuning?.preset?.name;
  const location = workspaceLocation(cluster, md.namespace, md.name);
  const system = annotations[WS_SYSTEM]?.trim();
  const title = annotations[WS_TITLE]?.trim();
  const description =
    annotations[WS_DESCRIPTION]?.trim() ||
    `KAITO ${tuning ? 'tuning' : 'inference'} workspace ${md.namespace}/${
      md.name
    } on cluster ${cluster}${preset ? ` (${preset})` : ''}.`;
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name,
      namespace: 'default',
      ...(title ? { title } : {}),
      description,
      tags: tuning ? ['kaito', 'llm', 'tuning'] : ['kaito', 'llm'],
      annotations: {
        [MANAGED_BY_LOCATION]: location,
        [MANAGED_BY_ORIGIN_LOCATION]: location,
        [KAITO_WORKSPACE_ANNOTATION]: `${md.namespace}/${md.name}`,
        [KAITO_CLUSTER_ANNOTATION]: cluster,
        [BACKSTAGE_KUBERNETES_ID_LABEL]: name,
        'backstage.io/kubernetes-namespace': md.namespace,
      },
    },
    spec: {
      type: 'kaito-workspace',
      owner,
      ...(system ? { system } : {}),
      dependsOn: [`resource:default/${cluster}`],
    },
  };
}
