import type { WorkspaceSnapshot } from '@kaito-backstage/plugin-kaito-common';
import type { KaitoClusters } from '../service';
import type { WorkspaceKey } from '../watch/types';

/**
 * Subscribes to one Workspace's snapshots and waits until one matches
 * `predicate`; fails naming `what` after `timeoutMs` (unsubscribed then).
 * Returns the match, every snapshot seen (the list keeps growing while
 * subscribed) and the unsubscribe function.
 */
export async function followWorkspace(
  k: KaitoClusters,
  key: WorkspaceKey,
  predicate: (s: WorkspaceSnapshot) => boolean,
  what: string,
  timeoutMs = 45_000,
) {
  const seen: WorkspaceSnapshot[] = [];
  let found!: (s: WorkspaceSnapshot) => void;
  const hit = new Promise<WorkspaceSnapshot>(resolve => {
    found = resolve;
  });
  const check = () => {
    const s = seen.find(predicate);
    if (s) found(s);
  };
  const unsubscribe = await k.watcher.subscribe(key, s => {
    seen.push(s);
    check();
  });
  check();
  let timer: NodeJS.Timeout | undefined;
  try {
    const match = await Promise.race([
      hit,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`timed out waiting for ${what}`)),
          timeoutMs,
        );
      }),
    ]);
    return { match, seen, unsubscribe };
  } catch (e) {
    unsubscribe();
    throw e;
  } finally {
    clearTimeout(timer);
  }
}
