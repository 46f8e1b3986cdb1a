import { findModel } from '../catalog/models';
import {
  normalizeWorkspace,
  workspacePresetName,
  workspaceRuntime,
} from '../workspace';
import { conditionLookup, conditionSignals, isTrue } from './conditions';
import { eventSignals } from './events';
import { readContainerLog } from './logs';
import { nodeClaimSignals } from './nodeClaims';
import { podFacts } from './pods';
import { NODE_KINDS, type Signal } from './signal';
import { inferenceSteps, tuningSteps } from './steps';
import { redact } from './text';
import { phaseTiming } from './timing';
import type { ReadinessContext, WorkspaceReadiness } from './types';
import {
  inferenceVerdict,
  nodesText,
  tuningVerdict,
  type Facts,
} from './verdict';
import { detectKaitoVersion, profileFor } from './version';

export type * from './types';
export type * from './ragengine/types';
export {
  ragEngineReadiness,
  RAG_CONDITION,
  RAG_TYPICAL_SECONDS,
} from './ragengine';
export { splitReconcileError } from './conditions';
export { RESTART_STORM_THRESHOLD } from './pods';
export { detectKaitoVersion, kaitoProfile, type KaitoProfile } from './version';
export { readContainerLog } from './logs';
export { workspaceServes } from './serves';
export { redact as redactSecrets } from './text';

function toMillis(now: Date | number | undefined): number {
  if (now instanceof Date) return now.getTime();
  if (typeof now === 'number' && Number.isFinite(now)) return now;
  return Date.now();
}

function list<T>(v: T[] | undefined): T[] | undefined {
  return Array.isArray(v) ? v : undefined;
}

/**
 * Events outlive the problem they report, so trust them only where nothing
 * fresher speaks: node errors while nodes are not ready, pod errors when no
 * pods were given.
 */
function relevantEvents(signals: Signal[], f: Facts): Signal[] {
  const nodesReady = isTrue(f.c('ResourceReady'));
  return signals.filter(s =>
    NODE_KINDS.includes(s.kind) ? !nodesReady && !f.hasNodeClaims : !f.hasPods,
  );
}

/**
 * Interprets a Workspace as the KAITO release that wrote it (detected, or
 * read carefully when unknown), with one reader per source (conditions,
 * NodeClaims, pods, events, the container log) and one verdict: phase, a
 * reason in a user's words with the fix, KAITO's own message, retrying or
 * terminal with the attempts so far, and the time in the phase against what
 * is typical. Progress is never failure and failure never progress. Throws
 * only when `ws` is not a Workspace at all.
 */
export function workspaceReadiness(
  ws: unknown,
  ctx: ReadinessContext = {},
): WorkspaceReadiness {
  const w = normalizeWorkspace(ws);
  const nowMs = toMillis(ctx.now);
  const preset = workspacePresetName(w);
  const kaitoVersion = detectKaitoVersion(w, ctx.cluster ?? {});
  const profile = profileFor(kaitoVersion);
  const pods = list(ctx.pods);
  const nodeClaims = list(ctx.nodeClaims);
  const f: Facts = {
    ws: w,
    c: conditionLookup(w.status.conditions),
    conds: w.status.conditions,
    state: typeof w.status.state === 'string' ? w.status.state : undefined,
    model: preset,
    modelInfo: preset ? findModel(preset) : undefined,
    instanceType:
      typeof w.resource.instanceType === 'string' && w.resource.instanceType
        ? w.resource.instanceType
        : undefined,
    runtime: workspaceRuntime(w),
    nowMs,
    pods: podFacts(pods, nowMs),
    hasPods: pods !== undefined,
    hasNodeClaims: (nodeClaims?.length ?? 0) > 0,
    profile,
    ...(ctx.containerLog && typeof ctx.containerLog.text === 'string'
      ? { log: readContainerLog(ctx.containerLog) }
      : {}),
  };
  const signals = [
    ...conditionSignals(f.conds, w.mode, profile),
    ...nodeClaimSignals(nodeClaims),
    ...f.pods.signals,
    ...relevantEvents(eventSignals(list(ctx.events)), f),
  ].map(s => ({ ...s, detail: redact(s.detail) }));

  const v =
    w.mode === 'tuning'
      ? tuningVerdict(f, signals)
      : inferenceVerdict(f, signals);
  const deleting =
    typeof w.metadata.deletionTimestamp === 'string' ||
    isTrue(f.c('WorkspaceDeleting'));
  const stepInput = {
    c: f.c,
    phase: v.phase,
    failed: v.failed,
    createdAt: w.metadata.creationTimestamp,
    nodesText: nodesText(f),
    tuningMethod: w.tuning?.method,
  };
  return {
    phase: v.phase,
    reason: deleting
      ? 'The Workspace is being deleted; KAITO is removing its nodes and workloads.'
      : v.reason,
    steps:
      w.mode === 'tuning' ? tuningSteps(stepInput) : inferenceSteps(stepInput),
    // KAITO copies pod and provider errors into condition messages; a token in them must not reach viewers.
    conditions: f.conds.map(c =>
      c.message ? { ...c, message: redact(c.message) } : c,
    ),
    mode: w.mode,
    ...(typeof w.status.targetNodeCount === 'number'
      ? { targetNodeCount: w.status.targetNodeCount }
      : {}),
    ...(f.instanceType ? { instanceType: f.instanceType } : {}),
    ...(preset ? { model: preset } : {}),
    runtime: f.runtime,
    outcome: deleting ? 'progress' : v.outcome,
    ...(v.cause && !deleting ? { cause: v.cause } : {}),
    ...(v.attempts ? { attempts: v.attempts } : {}),
    ...(v.kaitoMessage ? { kaitoMessage: v.kaitoMessage } : {}),
    ...(v.fix && !deleting ? { fix: v.fix } : {}),
    timing: phaseTiming(v.phase, v.since, nowMs, f.modelInfo?.weightSizeGiB),
    kaitoVersion,
    ...(f.log &&
    (v.cause === 'crashLoop' || v.cause === f.log.cause || f.log.cause)
      ? { containerLog: f.log }
      : {}),
  };
}
