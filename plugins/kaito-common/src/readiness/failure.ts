import { explain, sentence, type Explanation } from './explain';
import { NODE_KINDS, type Signal } from './signal';
import { plural, verbatim } from './text';
import type {
  FailureKind,
  KaitoMessage,
  ReadinessOutcome,
  ReadinessPhase,
} from './types';
import { type Facts, type Verdict } from './facts';

/** A crash loop with fewer restarts than this may still heal (large models, kaito#1567). */
export const EARLY_RESTARTS = 3;

/** Kinds that never heal by themselves. */
const TERMINAL: FailureKind[] = [
  'quota',
  'gatedModel',
  'oom',
  'imagePull',
  'startError',
  'modelDownload',
  'tuningFailed',
  'reconcile',
  'benchmark',
  'other',
];

function explainFor(f: Facts, sig: Signal, degraded: boolean): Explanation {
  const accessSecret = (
    f.ws.inference?.preset?.presetOptions as
      | { modelAccessSecret?: unknown }
      | undefined
  )?.modelAccessSecret;
  return explain(sig, {
    model: f.model,
    instanceType: f.instanceType,
    hasAccessSecret: typeof accessSecret === 'string' && accessSecret !== '',
    gated: f.modelInfo?.gated === true,
    degraded,
    benchmarkOptIn:
      f.profile.benchmark === 'optIn' ||
      f.ws.metadata.annotations?.['kaito.sh/run-benchmark'] === 'true',
    log: f.log,
    ...(f.pods.names[0] ? { pod: f.pods.names[0] } : {}),
  });
}

function stepOf(kind: FailureKind, mode: 'inference' | 'tuning'): string {
  if (NODE_KINDS.includes(kind)) return 'nodes';
  if (mode === 'tuning') return 'tuning';
  if (kind === 'imagePull' || kind === 'gatedModel' || kind === 'modelDownload')
    return 'weights';
  if (kind === 'benchmark') return 'benchmark';
  return 'inference';
}

/** The message KAITO itself wrote about this failure, else the evidence's own words. */
function messageFor(sig: Signal, all: Signal[]): KaitoMessage | undefined {
  // KAITO's own words about this failure, else KAITO's words about any failure, else the evidence's.
  const use =
    (sig.fromKaito ? sig : undefined) ??
    all.find(s => s.fromKaito && s.kind === sig.kind && s.detail) ??
    all.find(s => s.fromKaito && s.detail) ??
    sig;
  return use.detail ? verbatim(use.source, use.detail) : undefined;
}

export function conditionMessage(
  f: Facts,
  ...types: string[]
): KaitoMessage | undefined {
  for (const t of types) {
    const cond = f.c(t);
    if (cond && cond.status !== 'True' && cond.message)
      return verbatim(
        `condition ${cond.type}${cond.reason ? ` (${cond.reason})` : ''}`,
        cond.message,
      );
  }
  return undefined;
}

/** Restarts from the pods when KAITO's message states none (v0.12 crash loops). */
function withAttempts(f: Facts, sig: Signal): Signal {
  if (sig.restarts !== undefined || !f.hasPods) return sig;
  return f.pods.maxRestarts > 0
    ? { ...sig, restarts: f.pods.maxRestarts }
    : sig;
}

/** A crash loop's kind, sharpened by the container log when it names the cause. */
function withLogCause(f: Facts, sig: Signal): Signal {
  if (sig.kind !== 'crashLoop' || !f.log?.cause) return sig;
  if (f.log.cause === 'gatedModel' || f.log.cause === 'oom')
    return { ...sig, kind: f.log.cause };
  return sig;
}

function outcomeOf(f: Facts, sig: Signal): ReadinessOutcome {
  if (TERMINAL.includes(sig.kind)) return 'terminal';
  if (sig.kind === 'crashLoop') {
    const gatedNoSecret = explainFor(f, sig, false).fix?.includes('HF_TOKEN');
    if (gatedNoSecret || f.log?.cause) return 'terminal';
    return sig.restarts !== undefined && sig.restarts < EARLY_RESTARTS
      ? 'retrying'
      : 'terminal';
  }
  if (sig.kind === 'provisioning')
    return sig.retrying ? 'retrying' : 'terminal';
  return 'retrying';
}

export function failureVerdict(
  f: Facts,
  raw: Signal,
  all: Signal[],
  phase: ReadinessPhase,
  mode: 'inference' | 'tuning',
): Verdict {
  const sig = withLogCause(f, withAttempts(f, raw));
  const degraded = phase === 'Degraded';
  const e = explainFor(
    f,
    sig,
    degraded && sig.kind !== 'benchmark' && sig.kind !== 'regressed',
  );
  const outcome = outcomeOf(f, sig);
  return {
    phase,
    reason: sentence(e),
    outcome,
    failed:
      degraded && sig.kind !== 'benchmark' ? 'ready' : stepOf(sig.kind, mode),
    cause: sig.kind,
    ...(sig.restarts ? { attempts: sig.restarts } : {}),
    ...(messageFor(sig, all) ? { kaitoMessage: messageFor(sig, all) } : {}),
    ...(e.fix ? { fix: e.fix } : {}),
    ...(sig.at ? { since: sig.at } : {}),
  };
}

/** A failure that the producer retries and that may heal: shown in its progress phase, marked retrying. */
export function retryingVerdict(
  f: Facts,
  raw: Signal,
  all: Signal[],
  phase: ReadinessPhase,
): Verdict {
  const sig = withAttempts(f, raw);
  const msg = messageFor(sig, all);
  const attempt = sig.restarts ? ` (attempt ${sig.restarts + 1})` : '';
  const reason =
    sig.kind === 'crashLoop'
      ? `The inference container crashed${
          sig.exitCode !== undefined ? ` (exit code ${sig.exitCode})` : ''
        } and Kubernetes is restarting it${attempt}; large models sometimes need a retry. It counts as failed after ${plural(
          EARLY_RESTARTS,
          'restart',
        )}.`
      : `${sentence(
          explainFor(f, sig, false),
        )} This often heals on its own; it counts as a failure if it persists.`;
  return {
    phase,
    reason,
    outcome: 'retrying',
    cause: sig.kind,
    ...(sig.restarts ? { attempts: sig.restarts } : {}),
    ...(msg ? { kaitoMessage: msg } : {}),
  };
}

export function isEarlyCrash(f: Facts, s: Signal): boolean {
  const sig = withLogCause(f, withAttempts(f, s));
  return sig.kind === 'crashLoop' && outcomeOf(f, sig) === 'retrying';
}
