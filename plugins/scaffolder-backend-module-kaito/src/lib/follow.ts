import type { LoggerService } from '@backstage/backend-plugin-api';
import type { WorkspaceSnapshot } from '@kaito-backstage/plugin-kaito-common';
import type { KaitoClusters } from '@kaito-backstage/plugin-kaito-node';

export interface FollowResult {
  phase: string;
  reason: string;
  ready: boolean;
}

/** Raised when following a Workspace ends without Ready/Succeeded. */
export class FollowError extends Error {
  readonly name = 'FollowError';
  constructor(message: string, readonly result: FollowResult) {
    super(message);
  }
}

function seconds(ms: number) {
  const s = Math.round(ms / 1000);
  return s >= 120 ? `${Math.floor(s / 60)}m${s % 60}s` : `${s}s`;
}

/**
 * Follows one Workspace through the shared watcher (no polling of the
 * cluster per task) until Ready / Succeeded, a terminal failure, the
 * timeout or cancellation. Logs each phase change with reason and elapsed
 * time, and step details such as weights-download progress.
 */
export function followWorkspace(options: {
  clusters: KaitoClusters;
  cluster: string;
  namespace: string;
  name: string;
  timeoutMs: number;
  logger: LoggerService;
  signal?: AbortSignal;
  /** How long "not found" is tolerated (the watch may lag an apply). */
  notFoundGraceMs?: number;
}): Promise<FollowResult> {
  const { clusters, cluster, namespace, name, logger, signal } = options;
  const ref = `${namespace}/${name}`;
  const started = Date.now();
  const grace = options.notFoundGraceMs ?? 30_000;
  return new Promise<FollowResult>((resolve, reject) => {
    let last: WorkspaceSnapshot | undefined;
    let lastLine = '';
    let unsubscribe: (() => void) | undefined;
    let done = false;
    const timers: NodeJS.Timeout[] = [];
    function finish(error?: Error, result?: FollowResult) {
      if (done) return;
      done = true;
      timers.forEach(clearTimeout);
      signal?.removeEventListener('abort', onAbort);
      unsubscribe?.();
      if (error) reject(error);
      else resolve(result!);
    }
    const current = (): FollowResult => ({
      phase:
        last?.readiness?.phase ??
        (last?.status === 'notFound' ? 'NotFound' : 'Unknown'),
      reason:
        last?.readiness?.reason ?? last?.message ?? 'no status observed yet',
      ready: false,
    });
    function onAbort() {
      finish(
        Object.assign(new Error(`Waiting for Workspace ${ref} was cancelled`), {
          name: 'AbortError',
        }),
      );
    }
    if (signal?.aborted) {
      onAbort();
      return;
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    timers.push(
      setTimeout(() => {
        const c = current();
        finish(
          new FollowError(
            `Gave up waiting for Workspace ${ref} on '${cluster}' after ${seconds(
              options.timeoutMs,
            )}; it is left in place. Current phase ${c.phase}: ${c.reason}`,
            c,
          ),
        );
      }, options.timeoutMs),
    );

    const onSnapshot = (s: WorkspaceSnapshot) => {
      if (done) return;
      last = s;
      const elapsed = seconds(Date.now() - started);
      if (s.status === 'unavailable') {
        const line = `Cluster '${cluster}' unavailable: ${
          s.message ?? 'no answer'
        }; retrying`;
        if (line !== lastLine) logger.warn(`${line} (after ${elapsed})`);
        lastLine = line;
        return;
      }
      if (s.status === 'notFound') {
        if (Date.now() - started > grace) {
          finish(
            new FollowError(
              `Workspace ${ref} does not exist on cluster '${cluster}'; apply it first (kaito:workspace:apply)`,
              current(),
            ),
          );
        }
        return;
      }
      const r = s.readiness!;
      const active = r.steps.find(step => step.status === 'active');
      const line = `${r.phase}: ${r.reason}${
        active?.detail ? ` [${active.detail}]` : ''
      }`;
      if (line !== lastLine) {
        logger.info(`Workspace ${ref}: ${line} (after ${elapsed})`);
        lastLine = line;
      }
      if (r.phase === 'Ready' || r.phase === 'Succeeded') {
        finish(undefined, { phase: r.phase, reason: r.reason, ready: true });
      } else if (r.phase === 'Failed' || r.outcome === 'terminal') {
        finish(
          new FollowError(
            `Workspace ${ref} failed (${r.phase}${
              r.cause ? `, ${r.cause}` : ''
            }): ${r.reason}`,
            { phase: r.phase, reason: r.reason, ready: false },
          ),
        );
      }
    };

    clusters.watcher
      .subscribe({ cluster, namespace, name }, onSnapshot)
      .then(off => {
        if (done) off();
        else unsubscribe = off;
      })
      .catch(error => finish(error as Error));
    // Re-check "not found" after the grace period even without events.
    timers.push(setTimeout(() => last && onSnapshot(last), grace + 10).unref());
  });
}
