import type { KubeCondition } from '../types/kube';
import { classifyText, type Signal } from './signal';
import type { KaitoProfile } from './version';

/**
 * The one condition lookup. `WorkspaceSucceeded` falls back to the
 * `WorkspaceReady` of KAITO ≤ 0.3.0, so callers never ask twice.
 */
export type ConditionLookup = (type: string) => KubeCondition | undefined;

export function conditionLookup(
  conditions: readonly KubeCondition[],
): ConditionLookup {
  const byType = new Map<string, KubeCondition>();
  for (const c of conditions) if (!byType.has(c.type)) byType.set(c.type, c);
  return type =>
    byType.get(type) ??
    (type === 'WorkspaceSucceeded' ? byType.get('WorkspaceReady') : undefined);
}

export function isTrue(c: KubeCondition | undefined): boolean {
  return c?.status === 'True';
}

const RECONCILE_SUFFIX = /\s*\(last reconcile error: ([\s\S]*)\)\s*$/;

/** Splits KAITO's " (last reconcile error: <err>)" suffix off a condition message. */
export function splitReconcileError(message: string | undefined): {
  text: string;
  reconcileError?: string;
} {
  const msg = (message ?? '').trim();
  const m = RECONCILE_SUFFIX.exec(msg);
  if (!m) return { text: msg };
  return { text: msg.slice(0, m.index).trim(), reconcileError: m[1].trim() };
}

/** Reconcile errors that resolve on their own (optimistic-lock conflicts, timeouts). */
export function isTransientError(err: string): boolean {
  return /the object has been modified|conflict|timeout|deadline exceeded|connection refused|i\/o timeout|TLS handshake|too many requests|try again/i.test(
    err,
  );
}

/** KAITO ≤ 0.8 stores "context deadline exceeded" after its 30-minute wait for the inference workload. */
export function isReadinessTimeout(text: string): boolean {
  return /context deadline exceeded|timed out waiting/i.test(text);
}

/** Reasons that mean "still working", never a failure. */
const PROGRESS_REASONS = new Set([
  'workspacePending',
  'WorkspaceInferenceStatusPending',
  'WorkspaceTuningJobStatusPending',
  'workspaceResourceStatusNotReady',
  'NodeClaimNotReady',
  'NodeNotReady',
  'NodePluginsNotReady',
  'AwaitingReconciliation',
  'NotLaunched',
  'NotRegistered',
  'NotInitialized',
  'Launching',
  'ModelMirrorNotReady',
  'ModelMirrorPending',
  'CreateNodeClaimPending',
]);

export function isProgressReason(reason: string | undefined): boolean {
  return !!reason && PROGRESS_REASONS.has(reason);
}

/** The texts KAITO writes while a model mirror is still downloading (v0.11+). */
const MIRROR_PROGRESS =
  /^(Model download (has not started|in progress)|Model download complete)?$/i;

/** True when a ModelMirror condition message says the download failed (v0.11 keeps reason ModelMirrorPending). */
export function isMirrorFailure(c: KubeCondition | undefined): boolean {
  if (!c || c.status === 'True') return false;
  if (c.reason && !isProgressReason(c.reason)) return true;
  return !MIRROR_PROGRESS.test(splitReconcileError(c.message).text);
}

/** InferenceReady=False reasons KAITO v0.12 classifies from pods. */
const INFERENCE_REASONS: Record<string, Signal['kind']> = {
  ContainerOOMKilled: 'oom',
  ImagePullError: 'imagePull',
  ContainerStartError: 'startError',
  ContainerCrashLoopBackOff: 'crashLoop',
  NodeDiskPressure: 'nodePressure',
  NodeMemoryPressure: 'nodePressure',
  PodEvicted: 'evicted',
  Unschedulable: 'unschedulable',
  SASTokenFetchFailed: 'modelDownload',
  ModelStreamingStorageClassNotFound: 'modelDownload',
  ModelStreamingInvalidStorageClass: 'modelDownload',
  ModelStreamingServiceAccountInvalid: 'modelDownload',
  ModelStreamingInvalidAnnotations: 'modelDownload',
  ModelMirrorCreateFailed: 'modelDownload',
};

const NODE_TYPES = ['NodeClaimReady', 'ResourceReady', 'NodesReady'];
const TERMINAL_PROVISIONING =
  /unauthori[sz]ed|forbidden|AuthorizationFailed|SkuNotAvailable|not available in (the )?location|InvalidParameter|ZonalAllocationFailed|not supported/i;

/** Whether a node launch error needs the user (quota, permissions, size) or heals on a retry. */
export function launchErrorRetries(text: string): boolean {
  return !classifyText(text) && !TERMINAL_PROVISIONING.test(text);
}

/** Failures stated by the Workspace's own conditions, read as the given release writes them. */
export function conditionSignals(
  conditions: readonly KubeCondition[],
  mode: 'inference' | 'tuning',
  profile: KaitoProfile,
): Signal[] {
  const out: Signal[] = [];
  const push = (s: Omit<Signal, 'fromKaito'>) =>
    out.push({ ...s, fromKaito: true });
  for (const c of conditions) {
    if (c.status === 'True') continue;
    const { text, reconcileError } = splitReconcileError(c.message);
    const reason = c.reason ?? '';
    const source = `condition ${c.type}${reason ? ` (${reason})` : ''}`;
    const at = c.lastTransitionTime;
    if (c.type === 'InferenceReady' && INFERENCE_REASONS[reason]) {
      const byText = classifyText(text);
      const exit = /exit code (\d+)/i.exec(text);
      push({
        kind: byText === 'gatedModel' ? byText : INFERENCE_REASONS[reason],
        source,
        detail: text,
        at,
        ...(exit ? { exitCode: Number(exit[1]) } : {}),
      });
    } else if (
      c.type === 'InferenceReady' &&
      reason === 'WorkspaceInferenceStatusFailed'
    ) {
      // KAITO ≤ 0.8: the inference workload did not become ready in time, or an API call failed.
      if (isReadinessTimeout(text))
        push({
          kind: 'readinessTimeout',
          source,
          detail: text,
          at,
          retrying: true,
        });
      else if (!isTransientError(text))
        push({
          kind: classifyText(text) ?? 'reconcile',
          source,
          detail: text,
          at,
        });
    } else if (
      c.type === 'ModelMirrorReady' ||
      (c.type === 'ResourceReady' && reason === 'ModelMirrorNotReady')
    ) {
      if (isMirrorFailure(c))
        push({
          kind:
            classifyText(`${reason} ${text}`) === 'oom'
              ? 'oom'
              : 'modelDownload',
          source,
          detail: text || reason,
          at,
        });
    } else if (NODE_TYPES.includes(c.type)) {
      const all = `${reason} ${text}`;
      if (classifyText(all) === 'quota')
        push({ kind: 'quota', source, detail: text, at });
      else if (
        !isProgressReason(reason) &&
        /fail|error|insufficient|unauthori[sz]ed|forbidden|invalid/i.test(all)
      ) {
        push({
          kind: 'provisioning',
          source,
          detail: text || reason,
          at,
          retrying: reason === 'LaunchFailed' && launchErrorRetries(all),
        });
      }
    } else if (
      c.type === 'JobStarted' &&
      reason === 'WorkspaceTuningJobStatusFailed'
    ) {
      push({ kind: 'tuningFailed', source, detail: text, at });
    } else if (c.type === 'WorkspaceSucceeded' || c.type === 'WorkspaceReady') {
      if (reason === 'BenchmarkFailed')
        push({ kind: 'benchmark', source, detail: text, at });
      else if (reason === 'workspaceFailed') {
        if (mode === 'tuning')
          push({ kind: 'tuningFailed', source, detail: text, at });
        else if (isReadinessTimeout(text))
          push({
            kind: 'readinessTimeout',
            source,
            detail: text,
            at,
            retrying: true,
          });
        else if (!isTransientError(text))
          // ≤ 0.8 stores any inference error here; transient API conflicts are not failures.
          push({
            kind:
              classifyText(text) ??
              (profile.recomputesReadiness ? 'other' : 'reconcile'),
            source,
            detail: text,
            at,
          });
      }
    } else if (
      c.type === 'BenchmarkCompleted' &&
      reason === 'BenchmarkFailed'
    ) {
      push({ kind: 'benchmark', source, detail: text, at });
    }
    if (reconcileError && !isTransientError(reconcileError)) {
      push({
        kind: classifyText(reconcileError) ?? 'reconcile',
        source: `condition ${c.type} (last reconcile error)`,
        detail: reconcileError,
        at,
      });
    }
  }
  return out;
}

/** A note for a transient error KAITO will retry (conflicts, timeouts), if any condition carries one. */
export function transientNote(
  conditions: readonly KubeCondition[],
): string | undefined {
  for (const c of conditions) {
    const { text, reconcileError } = splitReconcileError(c.message);
    const err =
      reconcileError ??
      (c.reason === 'workspaceFailed' ||
      c.reason === 'WorkspaceInferenceStatusFailed'
        ? text
        : undefined);
    if (err && isTransientError(err) && !isReadinessTimeout(err)) return err;
  }
  return undefined;
}
