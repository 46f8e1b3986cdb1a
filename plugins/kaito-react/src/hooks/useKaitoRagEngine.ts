import { stringifyEntityRef, type Entity } from '@backstage/catalog-model';
import { useApiHolder } from '@backstage/core-plugin-api';
import {
  getEntityRagEngineRef,
  type RagEngineRef,
  type RagEngineSnapshot,
} from '@kaito-backstage/plugin-kaito-common';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { KaitoStreamState } from '../api/KaitoApi';
import { kaitoRagApiRef } from '../api/rag/KaitoRagApi';

/**
 * What an entity's `kaito.sh/ragengine` annotation says, checked before anything is requested.
 *
 * @public
 */
export type KaitoRagEngineTarget =
  | ({ kind: 'ragengine' } & RagEngineRef)
  | { kind: 'missing' }
  | { kind: 'invalid'; message: string };

/**
 * Reads the RAGEngine annotations of an entity (`kaito.sh/ragengine`, `kaito.sh/cluster`,
 * `kaito.sh/rag-index`).
 *
 * @public
 */
export function kaitoRagEngineTarget(entity: Entity): KaitoRagEngineTarget {
  try {
    const ref = getEntityRagEngineRef(entity);
    return ref ? { kind: 'ragengine', ...ref } : { kind: 'missing' };
  } catch (error) {
    return { kind: 'invalid', message: (error as Error).message };
  }
}

/**
 * The state of {@link useKaitoRagEngine}.
 *
 * @public
 */
export interface KaitoRagEngineState {
  target: KaitoRagEngineTarget;
  /** The latest snapshot; kept while the stream reconnects. */
  snapshot?: RagEngineSnapshot;
  /** The stream's state; `closed` once it ended for good (see `error`) or never opened. */
  connection: KaitoStreamState | { state: 'closed' };
  /** Why the stream ended for good (a `ResponseError` from the backend, e.g. 403 or 404). */
  error?: Error;
  /** Opens the stream again after it ended for good. */
  retry(): void;
}

/**
 * Follows the readiness of the RAGEngine behind an entity, live over server-sent events. Opens no
 * stream when the entity has no well-formed `kaito.sh/ragengine` annotation (see `target`).
 *
 * @public
 */
export function useKaitoRagEngine(entity: Entity): KaitoRagEngineState {
  // Optional: an app that registers only the workspace API still renders workspace entities.
  const ragApi = useApiHolder().get(kaitoRagApiRef);
  const target = useMemo(() => kaitoRagEngineTarget(entity), [entity]);
  const entityRef = stringifyEntityRef(entity);
  const [attempt, setAttempt] = useState(0);
  const [snapshot, setSnapshot] = useState<RagEngineSnapshot>();
  const [connection, setConnection] = useState<
    KaitoRagEngineState['connection']
  >({ state: 'closed' });
  const [error, setError] = useState<Error>();
  const retry = useCallback(() => setAttempt(a => a + 1), []);

  useEffect(() => {
    setSnapshot(undefined);
    setError(undefined);
    if (target.kind !== 'ragengine') {
      setConnection({ state: 'closed' });
      return undefined;
    }
    if (!ragApi) {
      setError(
        new Error(
          'The app registers no KaitoRagApi (kaitoRagApiRef); add the KAITO plugin, which provides it.',
        ),
      );
      setConnection({ state: 'closed' });
      return undefined;
    }
    const controller = new AbortController();
    ragApi
      .streamRagEngine(entityRef, setSnapshot, controller.signal, {
        onStateChange: state => {
          if (!controller.signal.aborted) setConnection(state);
        },
      })
      .catch(e => {
        if (controller.signal.aborted) return;
        setError(e as Error);
        setConnection({ state: 'closed' });
      });
    return () => controller.abort();
  }, [ragApi, entityRef, target.kind, attempt]);

  return { target, snapshot, connection, error, retry };
}
