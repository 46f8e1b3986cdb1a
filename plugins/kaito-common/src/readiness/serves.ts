import type { WorkspaceReadiness } from './types';

/**
 * Whether the Workspace's model answers requests: Ready, or Degraded only
 * because KAITO's post-load benchmark failed (v0.10+: `InferenceReady=True`,
 * the pod is ready, the Service routes to it; KAITO only marks the Workspace
 * NotReady). Every other Degraded (a crash loop under a stale Ready, a
 * regression) does not serve. The chat relay, the load panel and the chat
 * card gate on this, so they agree with the verdict's "chat works meanwhile".
 */
export function workspaceServes(
  readiness: Pick<WorkspaceReadiness, 'phase' | 'cause'> | undefined,
): boolean {
  if (!readiness) return false;
  return (
    readiness.phase === 'Ready' ||
    (readiness.phase === 'Degraded' && readiness.cause === 'benchmark')
  );
}
