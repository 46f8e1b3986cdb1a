import { useApi } from '@backstage/core-plugin-api';
import { useCallback, useEffect, useRef, useState } from 'react';
import { kaitoApiRef, type KaitoWorkspaceList } from '../api/KaitoApi';

/**
 * The state of {@link useKaitoWorkspaces}.
 *
 * @public
 */
export interface KaitoWorkspacesState {
  /** The latest list; kept when a refresh fails. */
  value?: KaitoWorkspaceList;
  /** True until the first answer (or error). */
  loading: boolean;
  /** The error of the latest refresh, cleared by the next success. */
  error?: Error;
  /** When `value` was fetched. */
  updatedAt?: Date;
  /** Fetches now. */
  refresh(): void;
}

/**
 * Every Workspace on every configured cluster, refreshed every `refreshIntervalMs` (default 5 s)
 * while the page is visible.
 *
 * @public
 */
export function useKaitoWorkspaces(
  options: { refreshIntervalMs?: number } = {},
): KaitoWorkspacesState {
  const kaitoApi = useApi(kaitoApiRef);
  const intervalMs = options.refreshIntervalMs ?? 5000;
  const [state, setState] = useState<Omit<KaitoWorkspacesState, 'refresh'>>({
    loading: true,
  });
  const [tick, setTick] = useState(0);
  const refresh = useCallback(() => setTick(t => t + 1), []);
  const mounted = useRef(true);
  useEffect(
    () => () => {
      mounted.current = false;
    },
    [],
  );

  useEffect(() => {
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    kaitoApi
      .listWorkspaces()
      .then(
        value => {
          if (cancelled || !mounted.current) return;
          setState({ value, loading: false, updatedAt: new Date() });
        },
        error => {
          if (cancelled || !mounted.current) return;
          setState(s => ({ ...s, loading: false, error: error as Error }));
        },
      )
      .finally(() => {
        if (cancelled) return;
        timer = setTimeout(() => {
          if (typeof document === 'undefined' || !document.hidden) refresh();
          else timer = setTimeout(refresh, intervalMs);
        }, intervalMs);
      });
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [kaitoApi, tick, intervalMs, refresh]);

  return { ...state, refresh };
}
