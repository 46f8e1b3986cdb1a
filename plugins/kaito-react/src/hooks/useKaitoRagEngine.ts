import { stringifyEntityRef, type Entity } from '@backstage/catalog-model';
import { useApiHolder } from '@backstage/core-plugin-api';
import {
  getEntityRagEngineRef,
  type RagEngineRef,
  type RagEngineSnapshot,
} from '@kaito-backstage/plugin-kaito-common';
import { useCallback, useEffect, useMemo, useState } from 'react';
import {
  restartRagEngine,
  subscribeRagEngine,
  type RagEngineStreamState,
} from './ragEngineStreams';
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
  const [state, setState] = useState<RagEngineStreamState>({
    connection: { state: 'closed' },
  });
  const retry = useCallback(() => {
    if (ragApi) restartRagEngine(ragApi, entityRef);
  }, [ragApi, entityRef]);

  useEffect(() => {
    setState({ connection: { state: 'closed' } });
    if (target.kind !== 'ragengine') return undefined;
    if (!ragApi) {
      setState({
        connection: { state: 'closed' },
        error: new Error(
          'The app registers no KaitoRagApi (kaitoRagApiRef); add the KAITO plugin, which provides it.',
        ),
      });
      return undefined;
    }
    return subscribeRagEngine(ragApi, entityRef, setState);
  }, [ragApi, entityRef, target.kind]);

  return { target, ...state, retry };
}
