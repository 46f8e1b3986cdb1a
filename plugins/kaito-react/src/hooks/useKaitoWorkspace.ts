import { stringifyEntityRef, type Entity } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import {
  KAITO_EXTERNAL_TARGET_ANNOTATION,
  getEntityWorkspaceRef,
  type WorkspaceSnapshot,
} from '@kaito-backstage/plugin-kaito-common';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { kaitoApiRef, type KaitoStreamState } from '../api/KaitoApi';

/**
 * What the entity's annotations say about its Workspace, checked before anything is requested.
 *
 * - `workspace`: `kaito.sh/workspace` is set and well-formed.
 * - `external`: the entity chats with a configured external endpoint; it has no Workspace.
 * - `missing`: neither annotation is set.
 * - `invalid`: an annotation is malformed; `message` says which and how to fix it.
 *
 * @public
 */
export type KaitoEntityTarget =
  | {
      kind: 'workspace';
      namespace: string;
      name: string;
      cluster?: string;
    }
  | { kind: 'external'; name: string }
  | { kind: 'missing' }
  | { kind: 'invalid'; message: string };

/**
 * Reads the KAITO annotations of an entity.
 *
 * @public
 */
export function kaitoEntityTarget(entity: Entity): KaitoEntityTarget {
  const external =
    entity.metadata.annotations?.[KAITO_EXTERNAL_TARGET_ANNOTATION];
  try {
    const ref = getEntityWorkspaceRef(entity);
    if (ref && external !== undefined) {
      return {
        kind: 'invalid',
        message: `The entity sets both kaito.sh/workspace and ${KAITO_EXTERNAL_TARGET_ANNOTATION}; keep one.`,
      };
    }
    if (ref) return { kind: 'workspace', ...ref };
  } catch (error) {
    return { kind: 'invalid', message: (error as Error).message };
  }
  if (external !== undefined) return { kind: 'external', name: external };
  return { kind: 'missing' };
}

/**
 * The state of {@link useKaitoWorkspace}.
 *
 * @public
 */
export interface KaitoWorkspaceState {
  target: KaitoEntityTarget;
  /** The latest snapshot; kept while the stream reconnects. */
  snapshot?: WorkspaceSnapshot;
  /** The stream's state; `closed` once it ended for good (see `error`) or never opened. */
  connection: KaitoStreamState | { state: 'closed' };
  /** Why the stream ended for good (a `ResponseError` from the backend, e.g. 403 or 404). */
  error?: Error;
  /** Opens the stream again after it ended for good. */
  retry(): void;
}

/**
 * Follows the readiness of the Workspace behind an entity, live over server-sent events. Opens
 * no stream when the entity's annotations cannot name a Workspace (see `target`).
 *
 * @public
 */
export function useKaitoWorkspace(entity: Entity): KaitoWorkspaceState {
  const kaitoApi = useApi(kaitoApiRef);
  const target = useMemo(() => kaitoEntityTarget(entity), [entity]);
  const entityRef = stringifyEntityRef(entity);
  const [attempt, setAttempt] = useState(0);
  const [snapshot, setSnapshot] = useState<WorkspaceSnapshot>();
  const [connection, setConnection] = useState<
    KaitoWorkspaceState['connection']
  >({ state: 'closed' });
  const [error, setError] = useState<Error>();
  const retry = useCallback(() => setAttempt(a => a + 1), []);

  useEffect(() => {
    setSnapshot(undefined);
    setError(undefined);
    if (target.kind !== 'workspace') {
      setConnection({ state: 'closed' });
      return undefined;
    }
    const controller = new AbortController();
    kaitoApi
      .streamWorkspace(entityRef, setSnapshot, controller.signal, {
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
  }, [kaitoApi, entityRef, target.kind, attempt]);

  return { target, snapshot, connection, error, retry };
}
