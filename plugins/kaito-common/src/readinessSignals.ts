import type {
  KubeCondition,
  KubeEvent,
  KubePod,
  NodeClaim,
} from './types/kube';

/**
 * Evidence gathered from pods, NodeClaims, events and condition messages,
 * classified into the failure kinds readiness knows a fix for.
 */

export type FailureKind =
  | 'quota'
  | 'provisioning'
  | 'oom'
  | 'imagePull'
  | 'gatedModel'
  | 'crashLoop'
  | 'startError'
  | 'nodePressure'
  | 'evicted'
  | 'unschedulable'
  | 'reconcile'
  | 'tuningFailed'
  | 'benchmark'
  | 'other';

export interface Signal {
  kind: FailureKind;
  /** Where it came from, e.g. `pod workspace-phi-0` or `condition ResourceReady`. */
  source: string;
  /** The raw message (trimmed), for the detail line. */
  detail: string;
  restarts?: number;
  at?: string;
}

/** Restarts at or above which a running inference pod counts as a restart storm. */
export const RESTART_STORM_THRESHOLD = 5;

const QUOTA = /quota|exceeding approved|InsufficientQuota|QuotaExceeded/i;
const IMAGE_PULL =
  /ErrImagePull|ImagePullBackOff|ImagePullError|InvalidImageName|failed to pull image/i;
const OOM = /OOMKilled|ContainerOOMKilled|out of memory|OutOfMemory/i;
const GATED =
  /gated repo|GatedRepoError|is gated|access to model .* is restricted|401 Client Error|Cannot access gated|Invalid credentials in Authorization header|HF_TOKEN/i;

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

export function classifyText(text: string): FailureKind | undefined {
  if (QUOTA.test(text)) return 'quota';
  if (GATED.test(text)) return 'gatedModel';
  if (OOM.test(text)) return 'oom';
  if (IMAGE_PULL.test(text)) return 'imagePull';
  return undefined;
}

/** InferenceReady=False reasons KAITO v0.12 classifies from pods. */
const INFERENCE_REASONS: Record<string, FailureKind> = {
  ContainerOOMKilled: 'oom',
  ImagePullError: 'imagePull',
  ContainerStartError: 'startError',
  ContainerCrashLoopBackOff: 'crashLoop',
  NodeDiskPressure: 'nodePressure',
  NodeMemoryPressure: 'nodePressure',
  PodEvicted: 'evicted',
  Unschedulable: 'unschedulable',
  SASTokenFetchFailed: 'other',
  ModelStreamingStorageClassNotFound: 'other',
  ModelStreamingInvalidStorageClass: 'other',
  ModelStreamingServiceAccountInvalid: 'other',
  ModelStreamingInvalidAnnotations: 'other',
  ModelMirrorCreateFailed: 'other',
};

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

/** Failures stated by the Workspace's own conditions. */
export function conditionSignals(conditions: KubeCondition[]): Signal[] {
  const out: Signal[] = [];
  for (const c of conditions) {
    if (c.status !== 'False') continue;
    const { text, reconcileError } = splitReconcileError(c.message);
    const source = `condition ${c.type}`;
    const at = c.lastTransitionTime;
    const reason = c.reason ?? '';
    const byText = classifyText(`${reason} ${text}`);
    if (c.type === 'InferenceReady' && INFERENCE_REASONS[reason]) {
      const textKind = classifyText(text);
      const restarts = /restarts?:?\s*(\d+)/i.exec(text);
      out.push({
        kind: textKind === 'gatedModel' ? textKind : INFERENCE_REASONS[reason],
        source,
        detail: text,
        at,
        ...(restarts ? { restarts: Number(restarts[1]) } : {}),
      });
    } else if (
      ['ResourceReady', 'NodeClaimReady', 'NodesReady'].includes(c.type)
    ) {
      if (byText === 'quota')
        out.push({ kind: 'quota', source, detail: text, at });
      else if (
        !isProgressReason(reason) &&
        /fail|error|insufficient|unauthori[sz]ed|forbidden|invalid/i.test(
          `${reason} ${text}`,
        )
      ) {
        out.push({ kind: 'provisioning', source, detail: text || reason, at });
      }
    } else if (
      c.type === 'JobStarted' &&
      reason === 'WorkspaceTuningJobStatusFailed'
    ) {
      out.push({ kind: 'tuningFailed', source, detail: text, at });
    } else if (c.type === 'WorkspaceSucceeded' || c.type === 'WorkspaceReady') {
      if (reason === 'workspaceFailed')
        out.push({ kind: 'tuningFailed', source, detail: text, at });
      else if (reason === 'BenchmarkFailed')
        out.push({ kind: 'benchmark', source, detail: text, at });
    } else if (
      c.type === 'BenchmarkCompleted' &&
      reason === 'BenchmarkFailed'
    ) {
      out.push({ kind: 'benchmark', source, detail: text, at });
    }
    if (reconcileError && !isTransientError(reconcileError)) {
      out.push({
        kind: classifyText(reconcileError) ?? 'reconcile',
        source: `${source} (last reconcile error)`,
        detail: reconcileError,
        at,
      });
    }
  }
  return out;
}

/** Failures visible on NodeClaims (Launched / Registered / Initialized). */
export function nodeClaimSignals(
  nodeClaims: NodeClaim[] | undefined,
): Signal[] {
  const out: Signal[] = [];
  for (const nc of nodeClaims ?? []) {
    for (const c of nc.status?.conditions ?? []) {
      if (c.status !== 'False') continue;
      const text = `${c.reason ?? ''} ${c.message ?? ''}`;
      const source = `NodeClaim ${nc.metadata?.name ?? '?'}`;
      const kind = classifyText(text);
      if (kind === 'quota')
        out.push({
          kind,
          source,
          detail: (c.message || c.reason || '').trim(),
          at: c.lastTransitionTime,
        });
      else if (
        !isProgressReason(c.reason) &&
        /fail|error|insufficient|unauthori[sz]ed|forbidden/i.test(text)
      ) {
        out.push({
          kind: 'provisioning',
          source,
          detail: (c.message || c.reason || '').trim(),
          at: c.lastTransitionTime,
        });
      }
    }
  }
  return out;
}

export interface PodFacts {
  signals: Signal[];
  /** Some main container is running but has not passed its startup probe. */
  loading: boolean;
  /** Some container is being created / images pulled. */
  pulling: boolean;
  /** Some main container has started (startup probe passed) but is not ready. */
  startedNotReady: boolean;
  anyPod: boolean;
}

function terminatedAt(
  state: { terminated?: { finishedAt?: string } } | undefined,
): string | undefined {
  return state?.terminated?.finishedAt;
}

/** Reads pods: crash loops, OOM kills, pulls, restart storms, gated-model errors. */
export function podFacts(pods: KubePod[] | undefined, nowMs: number): PodFacts {
  const facts: PodFacts = {
    signals: [],
    loading: false,
    pulling: false,
    startedNotReady: false,
    anyPod: false,
  };
  for (const pod of pods ?? []) {
    if (!pod || typeof pod !== 'object') continue;
    facts.anyPod = true;
    const podName = pod.metadata?.name ?? '?';
    const status = pod.status ?? {};
    if (status.reason === 'Evicted') {
      facts.signals.push({
        kind: 'evicted',
        source: `pod ${podName}`,
        detail: status.message ?? 'evicted',
      });
    }
    for (const cs of [
      ...(status.initContainerStatuses ?? []),
      ...(status.containerStatuses ?? []),
    ]) {
      const source = `pod ${podName} container ${cs.name}`;
      const restarts = cs.restartCount ?? 0;
      const waiting = cs.state?.waiting;
      const term = cs.state?.terminated;
      const last = cs.lastState?.terminated;
      const lastMsg = [last?.reason, last?.message].filter(Boolean).join(': ');
      const texts = [
        waiting?.reason,
        waiting?.message,
        term?.reason,
        term?.message,
        last?.message,
      ]
        .filter(Boolean)
        .join(' ');

      if (GATED.test(texts)) {
        facts.signals.push({
          kind: 'gatedModel',
          source,
          detail: (
            term?.message ||
            last?.message ||
            waiting?.message ||
            ''
          ).trim(),
          restarts,
        });
        continue;
      }
      if (waiting?.reason && IMAGE_PULL.test(waiting.reason)) {
        facts.signals.push({
          kind: 'imagePull',
          source,
          detail: `${waiting.reason}: ${waiting.message ?? ''}`.trim(),
          restarts,
        });
        continue;
      }
      if (term?.reason === 'OOMKilled' || last?.reason === 'OOMKilled') {
        const at = terminatedAt(term ? cs.state : cs.lastState);
        const recent =
          !at ||
          nowMs - Date.parse(at) < 60 * 60 * 1000 ||
          waiting?.reason === 'CrashLoopBackOff';
        if (recent) {
          facts.signals.push({
            kind: 'oom',
            source,
            detail: 'OOMKilled',
            restarts,
            at,
          });
          continue;
        }
      }
      if (waiting?.reason === 'CrashLoopBackOff') {
        facts.signals.push({
          kind: 'crashLoop',
          source,
          detail: lastMsg || waiting.message || 'CrashLoopBackOff',
          restarts,
        });
        continue;
      }
      if (
        waiting?.reason &&
        /CreateContainerConfigError|CreateContainerError|RunContainerError/.test(
          waiting.reason,
        )
      ) {
        facts.signals.push({
          kind: 'startError',
          source,
          detail: `${waiting.reason}: ${waiting.message ?? ''}`.trim(),
          restarts,
        });
        continue;
      }
      if (restarts >= RESTART_STORM_THRESHOLD) {
        facts.signals.push({
          kind: 'crashLoop',
          source,
          detail: lastMsg
            ? `restarted ${restarts} times; last exit ${lastMsg}`
            : `restarted ${restarts} times`,
          restarts,
        });
        continue;
      }
      if (
        waiting?.reason === 'ContainerCreating' ||
        waiting?.reason === 'PodInitializing'
      )
        facts.pulling = true;
      if (cs.state?.running && !cs.ready) {
        if (cs.started === true) facts.startedNotReady = true;
        else facts.loading = true;
      }
    }
    if (!status.containerStatuses?.length && status.phase === 'Pending') {
      const unsched = status.conditions?.find(
        c => c.type === 'PodScheduled' && c.status === 'False',
      );
      if (!unsched) facts.pulling = true;
    }
  }
  return facts;
}

/** Warning events that point at a known failure. */
export function eventSignals(events: KubeEvent[] | undefined): Signal[] {
  const out: Signal[] = [];
  for (const e of events ?? []) {
    if (!e || e.type !== 'Warning') continue;
    const text = `${e.reason ?? ''} ${e.message ?? ''}`;
    const kind = classifyText(text);
    if (kind) {
      out.push({
        kind,
        source: `event ${e.reason ?? ''} on ${
          e.involvedObject?.kind ?? 'object'
        } ${e.involvedObject?.name ?? ''}`.trim(),
        detail: (e.message ?? '').trim(),
        at: e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp,
      });
    }
  }
  return out;
}
