import { useApi } from '@backstage/core-plugin-api';
import { useEffect, useState } from 'react';
import { kaitoApiRef, type EntityWorkspaceLoad } from '../api/KaitoApi';

/**
 * The state of {@link useWorkspaceLoad}.
 *
 * @public
 */
export interface KaitoWorkspaceLoadState {
  /** The latest load; kept when a refresh fails. */
  value?: EntityWorkspaceLoad;
  /** The error of the latest refresh, cleared by the next success. */
  error?: Error;
}

/**
 * The live load of the model server behind an entity, read now and every `refreshIntervalMs`
 * (default 5 s) while the component is mounted and `enabled` (default true). One request at a
 * time: the next starts once the previous has answered.
 *
 * @public
 */
export function useWorkspaceLoad(
  entityRef: string,
  options: { refreshIntervalMs?: number; enabled?: boolean } = {},
): KaitoWorkspaceLoadState {
  const kaitoApi = useApi(kaitoApiRef);
  const intervalMs = options.refreshIntervalMs ?? 5000;
  const enabled = options.enabled ?? true;
  const [state, setState] = useState<KaitoWorkspaceLoadState>({});

  useEffect(() => {
    setState({});
    if (!enabled) return undefined;
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = () => {
      kaitoApi
        .getWorkspaceLoad(entityRef)
        .then(
          value => !cancelled && setState({ value }),
          error =>
            !cancelled && setState(s => ({ ...s, error: error as Error })),
        )
        .finally(() => {
          if (!cancelled) timer = setTimeout(poll, intervalMs);
        });
    };
    poll();
    return () => {
      cancelled = true;
      if (timer) clearTimeout(timer);
    };
  }, [kaitoApi, entityRef, intervalMs, enabled]);

  return state;
}
