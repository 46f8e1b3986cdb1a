/**
 * The RAGEngine's HTTP API (KAITO `presets/ragengine`, FastAPI on port 5000,
 * Service port 80) and what kaito-backend answers for RAG entities.
 *
 * Wire facts (KAITO main, `presets/ragengine/main.py`, `models.py`,
 * `vector_store/base.py`):
 * - `POST /index` `{index_name, documents}` answers the indexed documents with their `doc_id`s.
 * - `GET /indexes` answers a JSON array of names.
 * - `GET /indexes/{name}/documents?limit(1..100, default 10)&offset&max_text_length(default 1000)&metadata_filter(JSON)`
 *   answers `{documents, count, total_items}`.
 * - `POST /indexes/{name}/documents` `{documents}` updates by `doc_id`.
 * - `POST /indexes/{name}/documents/delete` `{doc_ids}` answers `{deleted_doc_ids, not_found_doc_ids}`.
 * - `DELETE /indexes/{name}`; `POST /retrieve` `{index_name, query, max_node_count(1..RAG_MAX_TOP_K), metadata_filter}`
 *   answers `{query, results, count}`.
 * - `POST /v1/chat/completions` with `index_name` answers a ChatCompletion plus `source_nodes`.
 *   With `index_name` the engine refuses `stream: true` (400 "stream=true is only supported for
 *   passthrough chat completions."); without `index_name` it passes through to the LLM, streaming or not.
 *   Without an inference service configured it answers 503. An unknown index is 404
 *   `No such index: '<name>' exists.`. Errors are FastAPI's `{"detail": "..."}`.
 */
import type { ChatCompletionResponse } from './chat';
import type { RagEngineReadiness } from '../readiness/ragengine/types';

/** A document as the engine stores it. */
export interface RagDocument {
  doc_id: string;
  text: string;
  metadata?: Record<string, unknown> | null;
  hash_value?: string | null;
  /** True when `text` was cut to `max_text_length` in a listing. */
  is_truncated?: boolean;
}

/** `POST /index`. */
export interface RagIndexRequest {
  index_name: string;
  documents: Array<{
    doc_id?: string;
    text: string;
    metadata?: Record<string, unknown>;
  }>;
}

/** `GET /indexes/{name}/documents`. */
export interface RagListDocumentsResponse {
  documents: RagDocument[];
  count: number;
  total_items: number;
}

/** `POST /indexes/{name}/documents/delete`. */
export interface RagDeleteDocumentsRequest {
  doc_ids: string[];
}
export interface RagDeleteDocumentsResponse {
  deleted_doc_ids: string[];
  not_found_doc_ids: string[];
}

/** A retrieved chunk (`NodeWithScore`). */
export interface RagSourceNode {
  doc_id: string;
  node_id: string;
  text: string;
  score: number;
  dense_score?: number | null;
  sparse_score?: number | null;
  source?: string | null;
  metadata?: Record<string, unknown> | null;
}

/** `POST /retrieve`. */
export interface RagRetrieveRequest {
  index_name: string;
  query: string;
  max_node_count?: number;
  metadata_filter?: Record<string, unknown> | null;
}
export interface RagRetrieveResponse {
  query: string;
  results: RagSourceNode[];
  count: number;
}

/** The engine's chat answer: an OpenAI chat completion plus the retrieved sources. */
export interface RagChatCompletionResponse extends ChatCompletionResponse {
  source_nodes?: RagSourceNode[] | null;
}

/** Metadata keys this project writes on documents it indexes (the engine keeps any metadata). */
export const RAG_METADATA = {
  /** File name or page title shown as the source. */
  title: 'title',
  /** Where the text came from: `upload`, `techdocs`, `text`. */
  origin: 'origin',
  /** A link a UI may show (TechDocs page URL). */
  url: 'url',
  /** The Backstage user who added it. */
  addedBy: 'added_by',
  /** ISO 8601 time it was added. */
  addedAt: 'added_at',
  /** The MIME type it was read as. */
  contentType: 'content_type',
} as const;

// ---- kaito-backend's answers for RAG entities (`kaito.sh/ragengine`) ----

/** `GET /entity/:kind/:ns/:name/ragengine` and each `snapshot` event of `.../ragengine/events`. */
export interface RagEngineSnapshot {
  entityRef?: string;
  cluster: string;
  namespace: string;
  name: string;
  status: 'found' | 'notFound' | 'unavailable';
  readiness?: RagEngineReadiness;
  ragengine?: RagEngineSummary;
  message?: string;
  observedAt: string;
}

/** The non-status facts about a RAGEngine a UI shows next to readiness. */
export interface RagEngineSummary {
  apiVersion: string;
  createdAt?: string;
  /** The index this entity chats with and adds documents to (from `kaito.sh/rag-index`). */
  index: string;
  embedding: { kind: 'local'; modelID?: string } | { kind: 'remote' };
  /** `faiss` (in process, the default) or `qdrant`. */
  vectorDB: string;
  /** The inference service URL, absent in retrieve-only mode. */
  inferenceUrl?: string;
  contextWindowSize?: number;
  instanceType?: string;
  guardrails: boolean;
  persistent: boolean;
  deleting: boolean;
}

/** `GET /entity/.../rag/indexes`. */
export interface RagIndexesAnswer {
  entityRef: string;
  /** The entity's index (from its annotation, else the default). */
  index: string;
  /** Every index the engine holds. */
  indexes: string[];
}

/** `GET /entity/.../rag/documents?limit&offset`: the entity's index only. */
export interface RagDocumentsAnswer {
  entityRef: string;
  index: string;
  documents: RagDocument[];
  count: number;
  total: number;
  limit: number;
  offset: number;
}

/** `POST /entity/.../rag/documents` (multipart `files`, or JSON `{documents:[{text, title?}]}`). */
export interface RagAddDocumentsAnswer {
  entityRef: string;
  index: string;
  added: Array<{ doc_id: string; title: string; characters: number }>;
}

/** `POST /entity/.../rag/documents/delete` `{doc_ids}`. */
export interface RagDeleteDocumentsAnswer extends RagDeleteDocumentsResponse {
  entityRef: string;
  index: string;
}

/** `POST /entity/.../rag/techdocs`: this entity's system's TechDocs pages indexed. */
export interface RagTechDocsAnswer {
  entityRef: string;
  index: string;
  /** Entities whose docs were read, e.g. `component:default/payments`. */
  sources: string[];
  pages: number;
  added: number;
  skipped: Array<{ page: string; reason: string }>;
}
