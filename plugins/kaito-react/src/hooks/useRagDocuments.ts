import { stringifyEntityRef, type Entity } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import type { RagDocumentsAnswer } from '@kaito-backstage/plugin-kaito-common';
import { useCallback, useEffect, useRef, useState } from 'react';
import { kaitoRagApiRef } from '../api/rag/KaitoRagApi';

/**
 * The state of {@link useRagDocuments}.
 *
 * @public
 */
export interface KaitoRagDocumentsState {
  /** The page on screen; kept while the next one loads and when a reload fails. */
  page?: RagDocumentsAnswer;
  loading: boolean;
  error?: Error;
  limit: number;
  offset: number;
  /** Shows the page starting at `offset`. */
  setOffset(offset: number): void;
  /** Reads the current page again (after an upload or a delete). */
  reload(): void;
}

/**
 * One page of the documents in the entity's RAG index (`GET rag/documents?limit&offset`).
 * Nothing is read while `enabled` is false (e.g. the entity has no RAGEngine).
 *
 * @public
 */
export function useRagDocuments(
  entity: Entity,
  options: { limit?: number; enabled?: boolean } = {},
): KaitoRagDocumentsState {
  const ragApi = useApi(kaitoRagApiRef);
  const entityRef = stringifyEntityRef(entity);
  const limit = options.limit ?? 10;
  const enabled = options.enabled ?? true;
  const [offset, setOffsetState] = useState(0);
  const [generation, setGeneration] = useState(0);
  const [page, setPage] = useState<RagDocumentsAnswer>();
  const [loading, setLoading] = useState(enabled);
  const [error, setError] = useState<Error>();
  const latest = useRef(0);

  useEffect(() => {
    if (!enabled) {
      setLoading(false);
      return;
    }
    const call = ++latest.current;
    setLoading(true);
    ragApi.listRagDocuments(entityRef, { limit, offset }).then(
      answer => {
        if (call !== latest.current) return;
        // A page emptied by a delete: step back to the last page that has documents.
        if (answer.documents.length === 0 && offset > 0 && answer.total > 0) {
          setOffsetState(
            Math.max(0, Math.floor((answer.total - 1) / limit) * limit),
          );
          return;
        }
        setPage(answer);
        setError(undefined);
        setLoading(false);
      },
      e => {
        if (call !== latest.current) return;
        setError(e as Error);
        setLoading(false);
      },
    );
  }, [ragApi, entityRef, limit, offset, generation, enabled]);

  const setOffset = useCallback(
    (next: number) => setOffsetState(Math.max(0, next)),
    [],
  );
  const reload = useCallback(() => setGeneration(g => g + 1), []);
  return { page, loading, error, limit, offset, setOffset, reload };
}
