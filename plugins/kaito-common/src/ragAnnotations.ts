import { KAITO_CLUSTER_ANNOTATION, parseWorkspaceRef } from './annotations';
import { KaitoAnnotationError } from './errors';

/** Catalog annotation naming the RAGEngine behind an entity: `<namespace>/<name>`. */
export const KAITO_RAGENGINE_ANNOTATION = 'kaito.sh/ragengine';
/**
 * Optional catalog annotation naming the index the entity chats with and adds
 * documents to. Default: the RAGEngine's name. The backend never takes the
 * index from a request.
 */
export const KAITO_RAG_INDEX_ANNOTATION = 'kaito.sh/rag-index';

/** Index names this project accepts (the engine accepts more; these are safe in a URL path and a file name). */
const INDEX = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;

export interface RagEngineRef {
  namespace: string;
  name: string;
  cluster?: string;
  index: string;
}

/**
 * Reads `kaito.sh/ragengine` (+ `kaito.sh/cluster`, `kaito.sh/rag-index`).
 * Undefined when the entity has no `kaito.sh/ragengine`; throws
 * KaitoAnnotationError naming the annotation and the fix when malformed.
 */
export function getEntityRagEngineRef(entity: {
  metadata: { annotations?: Record<string, string> };
}): RagEngineRef | undefined {
  const annotations = entity?.metadata?.annotations ?? {};
  const raw = annotations[KAITO_RAGENGINE_ANNOTATION];
  if (raw === undefined) return undefined;
  let ref;
  try {
    ref = parseWorkspaceRef(raw);
  } catch (error) {
    const message = (error as Error).message
      .split('kaito.sh/workspace')
      .join(KAITO_RAGENGINE_ANNOTATION)
      .replace('the Workspace', 'the RAGEngine');
    throw new KaitoAnnotationError(KAITO_RAGENGINE_ANNOTATION, message);
  }
  const cluster = annotations[KAITO_CLUSTER_ANNOTATION];
  if (cluster !== undefined) {
    const c = String(cluster).trim();
    const hasControlChar = [...c].some(ch => ch.charCodeAt(0) < 0x20);
    if (!c || c.length > 253 || /[\s/]/.test(c) || hasControlChar) {
      throw new KaitoAnnotationError(
        KAITO_CLUSTER_ANNOTATION,
        `Annotation ${KAITO_CLUSTER_ANNOTATION} is not a valid cluster name; use the name of a configured cluster without spaces or '/', or remove it.`,
      );
    }
  }
  const rawIndex = annotations[KAITO_RAG_INDEX_ANNOTATION];
  const index = rawIndex === undefined ? ref.name : String(rawIndex).trim();
  if (!INDEX.test(index)) {
    throw new KaitoAnnotationError(
      KAITO_RAG_INDEX_ANNOTATION,
      `Annotation ${KAITO_RAG_INDEX_ANNOTATION} must be 1-63 letters, digits, '_', '.' or '-', starting with a letter or digit (e.g. "team-docs"); or remove it to use "${ref.name}".`,
    );
  }
  return {
    ...ref,
    ...(cluster !== undefined ? { cluster: String(cluster).trim() } : {}),
    index,
  };
}
