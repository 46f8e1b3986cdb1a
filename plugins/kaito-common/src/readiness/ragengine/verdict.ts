import type { KaitoMessage, ReadinessOutcome } from '../types';
import type { PodFacts } from '../pods';
import { EARLY_RESTARTS } from '../failure';
import { verbatim } from '../text';
import { isTrue, type RagConditions } from './conditions';
import { explainRag, ragSentence, retryingSentence } from './explain';
import { pickRag, RAG_NODE_KINDS, type RagSignal } from './signals';
import type { RagStepId } from './steps';
import type { RagEngineFailureKind, RagEnginePhase } from './types';
import { minutes } from '../timing';
import { RAG_TYPICAL_SECONDS } from './timing';

/** Everything the verdict reads, gathered once. */
export interface RagFacts {
  name: string;
  rc: RagConditions;
  generation?: number;
  createdAt?: string;
  hasCompute: boolean;
  instanceType?: string;
  localEmbedding: boolean;
  canChat: boolean;
  /** Host of spec.inferenceService.url, for the Ready sentence. */
  inferenceHost?: string;
  /** False when spec.inferenceService exists without a URL (v1beta1 allows it). */
  inferenceUrlMissing: boolean;
  nowMs: number;
  pods: PodFacts;
  hasPods: boolean;
  /** Every pod given is Ready (and at least one was given). */
  podsReady: boolean;
}

export interface RagVerdict {
  phase: RagEnginePhase;
  reason: string;
  outcome: ReadinessOutcome;
  cause?: RagEngineFailureKind;
  failed?: RagStepId;
  failedDetail?: string;
  kaitoMessage?: KaitoMessage;
  fix?: string;
  since?: string;
  attempts?: number;
}

function stepOf(f: RagFacts, kind: RagEngineFailureKind): RagStepId {
  if (RAG_NODE_KINDS.includes(kind) || kind === 'resource')
    return f.hasCompute ? 'nodes' : 'resources';
  return 'service';
}

/** KAITO's own words about this failure, else about any failure, else the evidence's. */
function messageFor(
  sig: RagSignal,
  all: RagSignal[],
): KaitoMessage | undefined {
  const use =
    (sig.fromKaito ? sig : undefined) ??
    all.find(s => s.fromKaito && s.detail) ??
    sig;
  return use.detail ? verbatim(use.source, use.detail) : undefined;
}

/** A failure from an older spec than the one KAITO is applying now. */
function outdated(f: RagFacts, sig: RagSignal): boolean {
  return (
    sig.generation !== undefined &&
    f.generation !== undefined &&
    sig.generation < f.generation
  );
}

function withAttempts(f: RagFacts, sig: RagSignal): RagSignal {
  if (sig.restarts !== undefined || sig.kind !== 'crashLoop') return sig;
  return f.pods.maxRestarts > 0
    ? { ...sig, restarts: f.pods.maxRestarts }
    : sig;
}

function failureVerdict(
  f: RagFacts,
  raw: RagSignal,
  all: RagSignal[],
  wasReady: boolean,
): RagVerdict {
  const sig = withAttempts(f, raw);
  const e = explainRag(sig, {
    name: f.name,
    instanceType: f.instanceType,
    hasCompute: f.hasCompute,
    localEmbedding: f.localEmbedding,
    ...(f.pods.names[0] ? { pod: f.pods.names[0] } : {}),
  });
  const earlyCrash =
    sig.kind === 'crashLoop' &&
    !sig.origin &&
    sig.restarts !== undefined &&
    sig.restarts < EARLY_RESTARTS;
  const stale = outdated(f, sig);
  const retrying = earlyCrash || stale || sig.retrying === true;
  let reason = retrying ? retryingSentence(sig, e) : ragSentence(e);
  if (stale)
    reason = `KAITO is applying the changed spec; its last attempt failed: ${reason
      .charAt(0)
      .toLowerCase()}${reason.slice(1)}`;
  else if (wasReady)
    reason = `KAITO last reported the RAGEngine ready, but ${reason
      .charAt(0)
      .toLowerCase()}${reason.slice(1)}`;
  const msg = messageFor(sig, all);
  return {
    phase: 'Failed',
    reason,
    outcome: retrying ? 'retrying' : 'terminal',
    cause: sig.kind,
    failed: stepOf(f, sig.kind),
    failedDetail: sig.detail,
    ...(msg ? { kaitoMessage: msg } : {}),
    ...(e.fix && !retrying ? { fix: e.fix } : {}),
    ...(sig.at ? { since: sig.at } : {}),
    ...(sig.restarts ? { attempts: sig.restarts } : {}),
  };
}

function conditionMessage(
  c: RagConditions['succeeded'],
): KaitoMessage | undefined {
  return c?.message
    ? verbatim(
        `condition ${c.type}${c.reason ? ` (${c.reason})` : ''}`,
        c.message,
      )
    : undefined;
}

function readyVerdict(f: RagFacts): RagVerdict {
  const { succeeded, service } = f.rc;
  let reason: string;
  if (f.canChat)
    reason = `Ready for retrieval and chat${
      f.inferenceHost ? `, with answers from ${f.inferenceHost}` : ''
    }.`;
  else if (f.inferenceUrlMissing)
    reason =
      'Ready for retrieval; chat needs spec.inferenceService.url (an OpenAI-compatible chat completions URL, e.g. http://<workspace>/v1/chat/completions).';
  else
    reason =
      'Ready for retrieval; chat needs spec.inferenceService (the URL of an OpenAI-compatible chat endpoint, e.g. http://<workspace>/v1/chat/completions, and its contextWindowSize).';
  const msg = conditionMessage(succeeded);
  return {
    phase: 'Ready',
    reason,
    outcome: 'ready',
    ...(msg ? { kaitoMessage: msg } : {}),
    since: succeeded?.lastTransitionTime ?? service?.lastTransitionTime,
  };
}

function elapsed(since: string | undefined, nowMs: number): number | undefined {
  const t = since ? Date.parse(since) : NaN;
  return Number.isFinite(t) ? Math.max(0, (nowMs - t) / 1000) : undefined;
}

function progressVerdict(f: RagFacts): RagVerdict {
  const { rc } = f;
  const written = rc.all.some(c => c !== rc.deleting);
  if (!written) {
    const secs = elapsed(f.createdAt, f.nowMs);
    const slow = secs !== undefined && secs > RAG_TYPICAL_SECONDS.Pending!.max;
    return {
      phase: 'Pending',
      reason: slow
        ? `KAITO has not reconciled the RAGEngine in ${minutes(
            secs!,
          )}; check that the KAITO RAGEngine controller (the kaito ragengine Helm chart) is installed and running.`
        : 'Waiting for the KAITO RAGEngine controller to reconcile the RAGEngine.',
      outcome: 'progress',
      ...(f.createdAt ? { since: f.createdAt } : {}),
    };
  }
  const nodesDone = !f.hasCompute || isTrue(rc.resource) || !!rc.service;
  if (!nodesDone) {
    const c = rc.nodeClaim ?? rc.resource;
    const msg = c?.message
      ? verbatim(
          `condition ${c.type}${c.reason ? ` (${c.reason})` : ''}`,
          c.message,
        )
      : undefined;
    return {
      phase: 'ProvisioningNodes',
      reason: isTrue(rc.nodeClaim)
        ? `The ${f.instanceType} node is up; KAITO is recording it for the RAGEngine.`
        : `KAITO is provisioning a ${f.instanceType} node for the RAGEngine; a GPU node usually takes 5 to 15 minutes.`,
      outcome: 'progress',
      ...(msg ? { kaitoMessage: msg } : {}),
      since: c?.lastTransitionTime ?? f.createdAt,
    };
  }
  if (isTrue(rc.service))
    return {
      phase: 'StartingService',
      reason: 'The RAG engine service is up; KAITO is finishing the reconcile.',
      outcome: 'progress',
      since: rc.service?.lastTransitionTime,
    };
  let doing =
    'KAITO is starting the RAG engine Deployment and Service and waits up to 10 minutes for it to become ready';
  if (f.pods.pulling) doing = 'The RAG engine pod is pulling its image';
  else if (f.pods.loading || f.pods.startedNotReady)
    doing = f.localEmbedding
      ? 'The RAG engine container is starting and loading its local embedding model'
      : 'The RAG engine container is starting';
  return {
    phase: 'StartingService',
    reason: `${doing}.`,
    outcome: 'progress',
    since:
      (isTrue(rc.resource) ? rc.resource?.lastTransitionTime : undefined) ??
      f.pods.startedAt ??
      f.createdAt,
  };
}

/**
 * The one verdict: a failure (KAITO's conditions, the NodeClaims, the pods,
 * the events) wins over progress and over KAITO's last "ready"; Ready needs
 * `RAGEngineSucceeded=True` and a service that is not failing.
 */
export function ragVerdict(f: RagFacts, signals: RagSignal[]): RagVerdict {
  const { rc } = f;
  const reportedReady = isTrue(rc.succeeded) && rc.service?.status !== 'False';
  if (reportedReady) {
    const readyAt = Date.parse(rc.succeeded?.lastTransitionTime ?? '');
    const readyGen = rc.succeeded?.observedGeneration;
    // Only evidence newer than KAITO's "ready" speaks against it.
    const current = signals.filter(s => {
      if (!s.fromKaito) return !f.podsReady;
      if (s.generation !== undefined && readyGen !== undefined)
        return s.generation > readyGen;
      const at = Date.parse(s.at ?? '');
      return Number.isFinite(at) && Number.isFinite(readyAt) && at > readyAt;
    });
    const failure = pickRag(current);
    if (failure) return failureVerdict(f, failure, signals, true);
    return readyVerdict(f);
  }
  const failure = pickRag(signals);
  if (failure) return failureVerdict(f, failure, signals, false);
  return progressVerdict(f);
}
