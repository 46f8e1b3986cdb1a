import { InferenceAccess } from '../inference/InferenceUpstreams';

/** A RAGEngine on a configured cluster. */
export interface RagEngineKey {
  cluster: string;
  namespace: string;
  name: string;
}

/** How the backend reaches RAGEngines (`kaito.rag.*`; access follows `kaito.inference.access`). */
export interface RagSettings {
  access: InferenceAccess;
  /** Service port of the engine (KAITO: `http` = 80 -> 5000). */
  servicePort: string;
  clusterDomain: string;
  /** Deadline for reads and deletes (`kaito.rag.timeoutMs`, default 30 s). */
  timeoutMs: number;
  /** Deadline for indexing, which embeds every chunk (`kaito.rag.indexTimeoutMs`, default 120 s). */
  indexTimeoutMs: number;
  /** Largest answer read from the engine (`kaito.rag.maxResponseBytes`, default 8 MiB). */
  maxResponseBytes: number;
  /** How often a watched RAGEngine is read for the event stream (`kaito.rag.pollIntervalMs`, default 3 s). */
  pollIntervalMs: number;
}

export const DEFAULT_RAG_SETTINGS: Omit<
  RagSettings,
  'access' | 'clusterDomain'
> = {
  servicePort: 'http',
  timeoutMs: 30_000,
  indexTimeoutMs: 120_000,
  maxResponseBytes: 8 * 1024 * 1024,
  pollIntervalMs: 3_000,
};
