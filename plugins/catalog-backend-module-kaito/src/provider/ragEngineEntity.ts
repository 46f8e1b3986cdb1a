import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  BACKSTAGE_KUBERNETES_ID_LABEL,
  KAITO_CLUSTER_ANNOTATION,
  KAITO_RAG_INDEX_ANNOTATION,
  KAITO_RAGENGINE_ANNOTATION,
} from '@kaito-backstage/plugin-kaito-common';
import {
  MANAGED_BY_LOCATION,
  MANAGED_BY_ORIGIN_LOCATION,
  RAG_DEPENDS_ON,
  WS_DESCRIPTION,
  WS_OWNER,
  WS_SYSTEM,
  WS_TITLE,
} from './annotations';

/** The fields of a KAITO RAGEngine the provider reads. */
export interface RawRagEngine {
  metadata?: {
    name?: string;
    namespace?: string;
    annotations?: Record<string, string>;
    labels?: Record<string, string>;
    deletionTimestamp?: string;
  };
  spec?: { inferenceService?: { url?: string } };
}

/** The location the provider names as the origin of its RAG entities. */
export function ragEngineLocation(
  cluster: string,
  namespace: string,
  name: string,
) {
  return `kaito-ragengine:${cluster}/${namespace}/${name}`;
}

/** Entity refs from `kaito.sh/depends-on` (comma-separated); unparseable ones are dropped. */
function dependsOn(value: string | undefined): string[] {
  const out: string[] = [];
  for (const part of (value ?? '').split(',')) {
    const ref = part.trim();
    if (!ref) continue;
    try {
      out.push(
        stringifyEntityRef(
          parseEntityRef(ref, {
            defaultKind: 'resource',
            defaultNamespace: 'default',
          }),
        ),
      );
    } catch {
      // not a reference: left out
    }
  }
  return out;
}

/**
 * A catalog `Resource` (type `rag-engine`) for a RAGEngine that carries the
 * `backstage.io/owner` annotation (written by `kaito:ragengine:apply`), or
 * undefined for RAGEngines the portal did not create and ones being deleted.
 * It depends on the workspace entities named by `kaito.sh/depends-on`.
 */
export function ragEngineEntity(
  cluster: string,
  rag: RawRagEngine,
): Entity | undefined {
  const md = rag.metadata ?? {};
  const annotations = md.annotations ?? {};
  const owner = annotations[WS_OWNER]?.trim();
  if (!owner || !md.name || !md.namespace || md.deletionTimestamp) {
    return undefined;
  }
  const name = md.labels?.[BACKSTAGE_KUBERNETES_ID_LABEL]?.trim() || md.name;
  const location = ragEngineLocation(cluster, md.namespace, md.name);
  const system = annotations[WS_SYSTEM]?.trim();
  const title = annotations[WS_TITLE]?.trim();
  const index = annotations[KAITO_RAG_INDEX_ANNOTATION]?.trim();
  const depends = dependsOn(annotations[RAG_DEPENDS_ON]);
  const description =
    annotations[WS_DESCRIPTION]?.trim() ||
    `KAITO RAGEngine ${md.namespace}/${md.name} on cluster ${cluster}${
      depends.length ? `, answering with ${depends.join(', ')}` : ''
    }.`;
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name,
      namespace: 'default',
      ...(title ? { title } : {}),
      description,
      tags: ['kaito', 'llm', 'rag'],
      annotations: {
        [MANAGED_BY_LOCATION]: location,
        [MANAGED_BY_ORIGIN_LOCATION]: location,
        [KAITO_RAGENGINE_ANNOTATION]: `${md.namespace}/${md.name}`,
        [KAITO_CLUSTER_ANNOTATION]: cluster,
        ...(index ? { [KAITO_RAG_INDEX_ANNOTATION]: index } : {}),
        [BACKSTAGE_KUBERNETES_ID_LABEL]: name,
        'backstage.io/kubernetes-namespace': md.namespace,
      },
    },
    spec: {
      type: 'rag-engine',
      owner,
      ...(system ? { system } : {}),
      dependsOn: depends.length ? depends : [`resource:default/${cluster}`],
    },
  };
}
