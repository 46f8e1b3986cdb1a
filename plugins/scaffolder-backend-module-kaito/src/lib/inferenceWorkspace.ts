import { CatalogService } from '@backstage/plugin-catalog-node';
import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import type { KaitoClusters } from '@kaito-backstage/plugin-kaito-node';
import {
  getEntityWorkspaceRef,
  KAITO_CLUSTER_ANNOTATION,
  KAITO_WORKSPACE_ANNOTATION,
} from '@kaito-backstage/plugin-kaito-common';
import { clusterApi } from './clusters';
import { fieldError } from './errors';
import { KubeApi, workspacePath } from './kubeApi';
import { presetContextWindow, workspaceChatUrl } from './ragEngineManifest';

/** The inference Workspace behind a catalog entity, read live from its cluster. */
export interface InferenceWorkspace {
  entityRef: string;
  cluster: string;
  namespace: string;
  name: string;
  /** The preset the Workspace serves (undefined for a custom template). */
  preset?: string;
  /** In-cluster OpenAI chat URL of the Workspace's Service. */
  url: string;
  /** From the model catalog; undefined when the model is not in it. */
  contextWindowSize?: number;
  api: KubeApi;
}

/**
 * Reads a workspace entity through the catalog with the task's credentials
 * (so a user sees only what they may), then its live Workspace. Every failure
 * names `field` and the fix.
 */
export async function readInferenceWorkspace(
  deps: { catalog: CatalogService; clusters: KaitoClusters },
  value: string,
  credentials: BackstageCredentials,
  field = 'workspace',
  signal?: AbortSignal,
): Promise<InferenceWorkspace> {
  let entityRef: string;
  try {
    entityRef = stringifyEntityRef(
      parseEntityRef(value, {
        defaultKind: 'resource',
        defaultNamespace: 'default',
      }),
    );
  } catch (error) {
    throw fieldError(
      field,
      `'${value}' is not an entity reference such as resource:default/phi-4-mini (${
        (error as Error).message
      })`,
    );
  }
  const entity = await deps.catalog.getEntityByRef(entityRef, { credentials });
  if (!entity) {
    throw fieldError(
      field,
      `${entityRef} is not in the catalog or you cannot see it; pick a KAITO workspace entity`,
    );
  }
  let ref;
  try {
    ref = getEntityWorkspaceRef(entity);
  } catch (error) {
    throw fieldError(field, `${entityRef}: ${(error as Error).message}`);
  }
  if (!ref) {
    throw fieldError(
      field,
      `${entityRef} has no ${KAITO_WORKSPACE_ANNOTATION} annotation, so it is not a KAITO workspace; pick an entity of type kaito-workspace`,
    );
  }
  if (!ref.cluster) {
    throw fieldError(
      field,
      `${entityRef} has no ${KAITO_CLUSTER_ANNOTATION} annotation; add the cluster its Workspace runs on`,
    );
  }
  const api = await clusterApi(deps.clusters, ref.cluster, field, signal);
  let ws: any;
  for (const version of ['kaito.sh/v1beta1', 'kaito.sh/v1alpha1']) {
    // 404 (also for a version an older KAITO does not serve): try the next one.
    ws = await api.getOptional(
      workspacePath(version, ref.namespace, ref.name),
      signal,
    );
    if (ws) break;
  }
  if (!ws) {
    throw fieldError(
      field,
      `Workspace ${ref.namespace}/${ref.name} (${entityRef}) is not on cluster '${ref.cluster}'; deploy it first (kaito-workspace template) or pick another workspace`,
    );
  }
  const tuning = ws.tuning ?? ws.spec?.tuning;
  if (tuning) {
    throw fieldError(
      field,
      `${entityRef} is a tuning Workspace and serves no model; pick an inference workspace`,
    );
  }
  const preset: string | undefined = (ws.inference ?? ws.spec?.inference)
    ?.preset?.name;
  return {
    entityRef,
    cluster: ref.cluster,
    namespace: ref.namespace,
    name: ref.name,
    preset,
    url: workspaceChatUrl(ref.namespace, ref.name),
    contextWindowSize: preset ? presetContextWindow(preset) : undefined,
    api,
  };
}
