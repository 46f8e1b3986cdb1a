import { createApiRef } from '@backstage/core-plugin-api';
import type {
  RagAddDocumentsAnswer,
  RagDeleteDocumentsAnswer,
  RagDocumentsAnswer,
  RagEngineSnapshot,
  RagIndexesAnswer,
  RagTechDocsAnswer,
} from '@kaito-backstage/plugin-kaito-common';
import type { KaitoStreamOptions } from '../KaitoApi';

/**
 * The `kaito-backend` routes of an entity with a KAITO RAGEngine (`kaito.sh/ragengine`), under
 * `/api/kaito/entity/:kind/:namespace/:name`. Every method takes an entity ref
 * (`resource:default/team-docs`). An HTTP error rejects with a `ResponseError` whose
 * `body.error.message` is the backend's sentence (see {@link ragErrorMessage}).
 *
 * @public
 */
export interface KaitoRagApi {
  /** `GET ragengine`: the RAGEngine's readiness snapshot. */
  getRagEngine(entityRef: string): Promise<RagEngineSnapshot>;

  /**
   * `GET ragengine/events`: follows the RAGEngine's readiness over server-sent events (as
   * `streamWorkspace` does for Workspaces): reconnects with backoff; resolves when `signal`
   * aborts; rejects on a refusal a retry cannot fix.
   */
  streamRagEngine(
    entityRef: string,
    onSnapshot: (snapshot: RagEngineSnapshot) => void,
    signal: AbortSignal,
    options?: KaitoStreamOptions,
  ): Promise<void>;

  /** `GET rag/indexes`: the entity's index and every index the engine holds. */
  listRagIndexes(entityRef: string): Promise<RagIndexesAnswer>;

  /** `GET rag/documents?limit&offset`: one page of the entity's index. */
  listRagDocuments(
    entityRef: string,
    page?: { limit?: number; offset?: number },
  ): Promise<RagDocumentsAnswer>;

  /** `POST rag/documents` as multipart/form-data, one `files` part per file (.txt, .md, .pdf). */
  addRagDocuments(
    entityRef: string,
    files: File[],
  ): Promise<RagAddDocumentsAnswer>;

  /** `POST rag/documents` as JSON: one text document with an optional title. */
  addRagText(
    entityRef: string,
    text: string,
    title?: string,
  ): Promise<RagAddDocumentsAnswer>;

  /** `POST rag/documents/delete` `{doc_ids}`. */
  deleteRagDocuments(
    entityRef: string,
    docIds: string[],
  ): Promise<RagDeleteDocumentsAnswer>;

  /** `POST rag/techdocs`: indexes the TechDocs pages of the entity's system. */
  indexTechDocs(entityRef: string): Promise<RagTechDocsAnswer>;
}

/**
 * Reference to the {@link KaitoRagApi} (implemented by `KaitoClient`).
 *
 * @public
 */
export const kaitoRagApiRef = createApiRef<KaitoRagApi>({
  id: 'plugin.kaito.rag',
});
