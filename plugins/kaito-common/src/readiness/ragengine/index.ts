import type { KubePod } from '../../types/kube';
import type { RAGEngine } from '../../types/ragengine';
import { eventSignals } from '../events';
import { nodeClaimSignals } from '../nodeClaims';
import { podFacts } from '../pods';
import { redact, verbatim } from '../text';
import { conditionSignals, isTrue, readConditions } from './conditions';
import { fromWorkspaceSignal, RAG_NODE_KINDS, type RagSignal } from './signals';
import { ragSteps } from './steps';
import { ragPhaseTiming } from './timing';
import type { RagEngineReadiness, RagEngineReadinessContext } from './types';
import { ragVerdict, type RagFacts } from './verdict';

export { RAG_CONDITION } from './conditions';
export { RAG_TYPICAL_SECONDS } from './timing';

function toMillis(now: Date | number | undefined): number {
  if (now instanceof Date) return now.getTime();
  if (typeof now === 'number' && Number.isFinite(now)) return now;
  return Date.now();
}

function list<T>(v: T[] | undefined): T[] | undefined {
  return Array.isArray(v) ? v : undefined;
}

function obj(v: unknown): Record<string, any> {
  return v && typeof v === 'object' && !Array.isArray(v)
    ? (v as Record<string, any>)
    : {};
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}

function host(url: string): string | undefined {
  try {
    return new URL(url).host || undefined;
  } catch {
    return undefined;
  }
}

function podReady(p: KubePod): boolean {
  return !!p?.status?.conditions?.some(
    c => c.type === 'Ready' && c.status === 'True',
  );
}

/**
 * Reads a RAGEngine (kaito.sh v1alpha1 or v1beta1) as the KAITO RAGEngine
 * controller writes it, with its pods, NodeClaims and events: one phase, a
 * reason in a user's words with the fix, KAITO's own message, retrying or
 * terminal, the steps, and the time in the phase against what is typical.
 * The service outcome is read from both `ServiceReady` and
 * `RAGEngineServiceReady`, the newest winning. A failure is never read as
 * progress. Throws only when `engine` is not a RAGEngine at all.
 */
export function ragEngineReadiness(
  engine: RAGEngine,
  ctx: RagEngineReadinessContext = {},
): RagEngineReadiness {
  if (!engine || typeof engine !== 'object' || Array.isArray(engine))
    throw new TypeError('ragEngineReadiness: expected a RAGEngine object');
  if (engine.kind !== undefined && engine.kind !== 'RAGEngine')
    throw new TypeError(
      `ragEngineReadiness: expected kind RAGEngine, got ${String(engine.kind)}`,
    );
  const meta = obj(engine.metadata);
  const spec = obj(engine.spec);
  const status = obj(engine.status);
  const nowMs = toMillis(ctx.now);
  const rc = readConditions(status.conditions);
  const instanceType = str(obj(spec.compute).instanceType);
  const inference = spec.inferenceService;
  const url = str(obj(inference).url);
  const pods = list(ctx.pods);
  const facts: RagFacts = {
    name: str(meta.name) ?? '<name>',
    rc,
    ...(typeof meta.generation === 'number'
      ? { generation: meta.generation }
      : {}),
    ...(str(meta.creationTimestamp)
      ? { createdAt: str(meta.creationTimestamp) }
      : {}),
    hasCompute: !!instanceType,
    ...(instanceType ? { instanceType } : {}),
    localEmbedding: !!obj(spec.embedding).local,
    canChat: !!url,
    ...(url && host(url) ? { inferenceHost: host(url) } : {}),
    inferenceUrlMissing: !!inference && typeof inference === 'object' && !url,
    nowMs,
    pods: podFacts(pods, nowMs),
    hasPods: pods !== undefined,
    podsReady: !!pods?.length && pods.every(podReady),
  };
  const nodesReady = isTrue(rc.resource) || isTrue(rc.nodeClaim);
  const hasNodeClaims = (list(ctx.nodeClaims)?.length ?? 0) > 0;
  const external = [
    ...nodeClaimSignals(list(ctx.nodeClaims)),
    ...facts.pods.signals,
    // Events outlive their problem: node errors count while nodes are not ready, pod errors when no pods were given.
    ...eventSignals(list(ctx.events)).filter(s =>
      s.kind === 'quota' || s.kind === 'provisioning'
        ? !nodesReady && !hasNodeClaims
        : !facts.hasPods,
    ),
  ]
    .map(fromWorkspaceSignal)
    .filter((s): s is RagSignal => !!s)
    .filter(s => facts.hasCompute || !RAG_NODE_KINDS.includes(s.kind));
  const signals = [...conditionSignals(rc, facts.hasCompute), ...external].map(
    s => ({ ...s, detail: redact(s.detail) }),
  );

  const v = ragVerdict(facts, signals);
  const deleting =
    typeof meta.deletionTimestamp === 'string' || isTrue(rc.deleting);
  const phase = deleting ? 'Deleting' : v.phase;
  const deletingMsg = rc.deleting?.message
    ? verbatim(
        `condition ${rc.deleting.type}${
          rc.deleting.reason ? ` (${rc.deleting.reason})` : ''
        }`,
        rc.deleting.message,
      )
    : undefined;
  const kaitoMessage = deleting ? deletingMsg : v.kaitoMessage;
  const since = deleting
    ? rc.deleting?.lastTransitionTime ?? str(meta.deletionTimestamp)
    : v.since;
  return {
    phase,
    reason: deleting
      ? `The RAGEngine is being deleted; KAITO is removing its Deployment${
          facts.hasCompute ? ', Service and node' : ' and Service'
        }.`
      : v.reason,
    outcome: deleting ? 'progress' : v.outcome,
    ...(v.cause && !deleting ? { cause: v.cause } : {}),
    steps: ragSteps({
      rc,
      phase,
      ...(v.failed && !deleting ? { failed: v.failed } : {}),
      ...(v.failedDetail ? { failedDetail: v.failedDetail } : {}),
      hasCompute: facts.hasCompute,
      ...(instanceType ? { instanceType } : {}),
      canChat: facts.canChat,
      deleting,
    }),
    // KAITO copies provider and pod errors into condition messages; a token in them must not reach viewers.
    conditions: rc.all.map(c =>
      c.message ? { ...c, message: redact(c.message) } : c,
    ),
    ...(kaitoMessage ? { kaitoMessage } : {}),
    ...(v.fix && !deleting ? { fix: v.fix } : {}),
    timing: ragPhaseTiming(phase, since, nowMs),
    canChat: facts.canChat,
    ...(instanceType ? { instanceType } : {}),
    ...(v.attempts && !deleting ? { attempts: v.attempts } : {}),
  };
}
