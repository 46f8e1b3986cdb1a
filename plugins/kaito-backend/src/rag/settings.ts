import { Config } from '@backstage/config';

/** Bounds on what a caller may add to or delete from an index (`kaito.rag.*`). */
export interface RagLimits {
  /** Most files in one upload (`kaito.rag.maxFiles`, default 10). */
  maxFiles: number;
  /** Largest file, and largest JSON document text, in bytes (`kaito.rag.maxFileBytes`, default 5 MiB). */
  maxFileBytes: number;
  /** Largest upload or JSON body in bytes (`kaito.rag.maxTotalBytes`, default 20 MiB). */
  maxTotalBytes: number;
  /** Most documents in one JSON request, and doc_ids in one delete (`kaito.rag.maxDocuments`, default 100). */
  maxDocuments: number;
  /** Most TechDocs pages indexed in one request (`kaito.rag.techdocs.maxPages`, default 200). */
  maxTechDocsPages: number;
  /** Adds (uploads, JSON, TechDocs) one user may have in flight at once (`kaito.rag.maxConcurrentWritesPerUser`, default 2). */
  maxConcurrentWritesPerUser: number;
}

export const DEFAULT_RAG_LIMITS: RagLimits = {
  maxFiles: 10,
  maxFileBytes: 5 * 1024 * 1024,
  maxTotalBytes: 20 * 1024 * 1024,
  maxDocuments: 100,
  maxTechDocsPages: 200,
  maxConcurrentWritesPerUser: 2,
};

/** Reads the `kaito.rag` limits; a value that is not a positive whole number is refused with its key. */
export function readRagLimits(config: Config): RagLimits {
  const c = config.getOptionalConfig('kaito.rag');
  const read = (key: string, fallback: number) => {
    const v = c?.getOptionalNumber(key) ?? fallback;
    if (!Number.isInteger(v) || v <= 0) {
      throw new Error(
        `kaito.rag.${key} must be a positive whole number, got ${v}`,
      );
    }
    return v;
  };
  const d = DEFAULT_RAG_LIMITS;
  return {
    maxFiles: read('maxFiles', d.maxFiles),
    maxFileBytes: read('maxFileBytes', d.maxFileBytes),
    maxTotalBytes: read('maxTotalBytes', d.maxTotalBytes),
    maxDocuments: read('maxDocuments', d.maxDocuments),
    maxTechDocsPages: read('techdocs.maxPages', d.maxTechDocsPages),
    maxConcurrentWritesPerUser: read(
      'maxConcurrentWritesPerUser',
      d.maxConcurrentWritesPerUser,
    ),
  };
}
