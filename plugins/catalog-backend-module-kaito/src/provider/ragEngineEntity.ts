import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import {
  KAITO_RAG_INDEX_ANNOTATION,
  KAITO_RAGENGINE_ANNOTATION,
} from '@kaito-backstage/plugin-kaito-common';
import { RAG_DEPENDS_ON } from './annotations';
import {
  kaitoResourceEntity,
  type RawKaitoMetadata,
} from './kaitoResourceEntity';

/** The fields of a KAITO RAGEngine the provider reads. */
export interface RawRagEngine {
  metadata?: RawKaitoMetadata;
  spec?: { inferenceService?: { url?: string } };
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
export function ragEngineEntity(cluster: string, rag: RawRagEngine) {
  const annotations = rag.metadata?.annotations ?? {};
  const index = annotations[KAITO_RAG_INDEX_ANNOTATION]?.trim();
  const depends = dependsOn(annotations[RAG_DEPENDS_ON]);
  return kaitoResourceEntity(cluster, rag.metadata ?? {}, {
    location: 'kaito-ragengine',
    annotation: KAITO_RAGENGINE_ANNOTATION,
    type: 'rag-engine',
    tags: ['kaito', 'llm', 'rag'],
    describe: ref =>
      `KAITO RAGEngine ${ref} on cluster ${cluster}${
        depends.length ? `, answering with ${depends.join(', ')}` : ''
      }.`,
    annotations: index ? { [KAITO_RAG_INDEX_ANNOTATION]: index } : {},
    ...(depends.length ? { dependsOn: depends } : {}),
  });
}
