import { servedModelName, type ModelInfo } from '../catalog/models';
import type { KubeCondition } from '../types/kube';
import type { Workspace } from '../types/workspace';
import {
  isMirrorFailure,
  isTrue,
  splitReconcileError,
  transientNote,
  type ConditionLookup,
} from './conditions';
import { explain, sentence, type Explanation } from './explain';
import type { PodFacts } from './pods';
import { NODE_KINDS, pick, POD_KINDS, type Signal } from './signal';
import { clip, plural, verbatim } from './text';
import { minutes, phaseTiming } from './timing';
import type {
  ContainerLogTail,
  FailureKind,
  KaitoMessage,
  ReadinessOutcome,
  ReadinessPhase,
} from './types';
import type { KaitoProfile } from './version';

/** Everything the verdict reads, gathered once. */
export interface Facts {
  ws: Workspace;
  c: ConditionLookup;
  conds: KubeCondition[];
  state?: string;
  model?: string;
  modelInfo?: ModelInfo;
  instanceType?: string;
  runtime: 'vllm' | 'transformers';
  nowMs: number;
  pods: PodFacts;
  hasPods: boolean;
  hasNodeClaims: boolean;
  profile: KaitoProfile;
  log?: ContainerLogTail;
}

export interface Verdict {
  phase: ReadinessPhase;
  reason: string;
  outcome: ReadinessOutcome;
  /** The step id where a failure sits, for the timeline. */
  failed?: string;
  cause?: FailureKind;
  attempts?: number;
  kaitoMessage?: KaitoMessage;
  fix?: string;
  /** When the current phase began, for the timing. */
  since?: string;
}

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

export function nodesText(f: Facts): string {
  const n = f.ws.status.targetNodeCount ?? 1;
  return f.instanceType
    ? `${n} × ${f.instanceType}`
    : `${n} GPU node${n === 1 ? '' : 's'}`;
}

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

function conditionMessage(
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

function failureVerdict(
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
function retryingVerdict(
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

function isEarlyCrash(f: Facts, s: Signal): boolean {
  const sig = withLogCause(f, withAttempts(f, s));
  return sig.kind === 'crashLoop' && outcomeOf(f, sig) === 'retrying';
}

function note(f: Facts): string {
  const err = transientNote(f.conds);
  return err
    ? ` (The controller's last attempt hit a transient error and will retry: ${clip(
        err,
        120,
      )}.)`
    : '';
}

function readyVerdict(f: Facts): Verdict {
  const served = f.model ? servedModelName(f.model) : undefined;
  return {
    phase: 'Ready',
    reason: `Serving ${served ?? 'the model'} with ${
      f.runtime === 'vllm' ? 'vLLM' : 'Hugging Face Transformers'
    } on ${nodesText(f)}.`,
    outcome: 'ready',
    since:
      f.c('WorkspaceSucceeded')?.lastTransitionTime ??
      f.c('InferenceReady')?.lastTransitionTime,
  };
}

/** Inference: Ready, Degraded, Failed or a progress phase. */
export function inferenceVerdict(f: Facts, signals: Signal[]): Verdict {
  const { c, state } = f;
  const summary = c('WorkspaceSucceeded');
  const inference = c('InferenceReady');
  const reportedReady =
    state === 'Ready' ||
    (state === undefined && isTrue(summary)) ||
    (state === undefined &&
      !summary &&
      isTrue(inference) &&
      isTrue(c('ResourceReady')));
  const podProblem = pick(f.pods.signals, POD_KINDS);

  // Serving by KAITO's account: live pods may contradict it (≤ 0.8 never recomputed, kaito#1493, #931).
  if (
    reportedReady ||
    (isTrue(inference) && state !== 'Pending' && state !== 'Failed')
  ) {
    if (podProblem)
      return failureVerdict(f, podProblem, signals, 'Degraded', 'inference');
    const bench = pick(signals, ['benchmark']);
    if (bench)
      return failureVerdict(f, bench, signals, 'Degraded', 'inference');
    if (state === 'NotReady') return regressed(f, signals);
    if (reportedReady) return readyVerdict(f);
  }
  // v0.9+: Ready once, not any more.
  if (state === 'NotReady') return regressed(f, signals);

  const failure = pick(signals.filter(s => s.kind !== 'benchmark'));
  if (failure) {
    if (isEarlyCrash(f, failure))
      return { ...retryingVerdict(f, failure, signals, 'StartingInference') };
    if (failure.kind === 'provisioning' && failure.retrying)
      return provisioning(
        f,
        retryingVerdict(f, failure, signals, 'ProvisioningNodes'),
      );
    return failureVerdict(f, failure, signals, 'Failed', 'inference');
  }
  if (state === 'Failed') return genericFailed(f);
  return progress(f);
}

function regressed(f: Facts, signals: Signal[]): Verdict {
  const failure = pick(signals.filter(s => s.kind !== 'benchmark'));
  if (failure)
    return failureVerdict(f, failure, signals, 'Degraded', 'inference');
  const text = splitReconcileError(f.c('InferenceReady')?.message).text;
  return failureVerdict(
    f,
    {
      kind: 'regressed',
      source: 'condition InferenceReady',
      detail: text,
      fromKaito: true,
      at: f.c('InferenceReady')?.lastTransitionTime,
    },
    signals,
    'Degraded',
    'inference',
  );
}

function genericFailed(f: Facts): Verdict {
  const msg = ['InferenceReady', 'WorkspaceSucceeded', 'ResourceReady']
    .map(t => f.c(t))
    .find(x => x && x.status !== 'True' && splitReconcileError(x.message).text);
  const text = msg ? splitReconcileError(msg.message).text : '';
  const fix = 'check its conditions and pods';
  return {
    phase: 'Failed',
    reason: `KAITO marked the Workspace failed${
      text ? `: ${clip(text, 200)}` : ''
    }; ${fix}.`,
    outcome: 'terminal',
    failed: 'inference',
    cause: 'other',
    fix,
    ...(msg?.message
      ? { kaitoMessage: verbatim(`condition ${msg.type}`, msg.message) }
      : {}),
  };
}

/** Since when the nodes have been ready (start of the weights / start-up phases). */
function nodesReadySince(f: Facts): string | undefined {
  const rr = f.c('ResourceReady');
  if (isTrue(rr)) return rr!.lastTransitionTime;
  const nr = f.c('NodesReady');
  if (isTrue(nr)) return nr!.lastTransitionTime;
  return f.pods.startedAt ?? f.ws.metadata.creationTimestamp;
}

function provisioning(f: Facts, retry?: Verdict): Verdict {
  const created = f.ws.metadata.creationTimestamp;
  const t = phaseTiming('ProvisioningNodes', created, f.nowMs);
  const kaito = conditionMessage(
    f,
    'NodeClaimReady',
    'ResourceReady',
    'NodesReady',
  );
  if (retry)
    return {
      ...retry,
      since: created,
      ...(!retry.kaitoMessage && kaito ? { kaitoMessage: kaito } : {}),
    };
  const plugins = f.c('NodesReady')?.reason === 'NodePluginsNotReady';
  const nc = splitReconcileError(f.c('NodeClaimReady')?.message).text;
  let reason: string;
  if (plugins) {
    reason = `The GPU nodes are up; waiting for the GPU device plugin to be ready on them.${note(
      f,
    )}`;
  } else if (t.slow) {
    const blind = !f.profile.surfacesNodeClaimErrors && !f.hasNodeClaims;
    reason = `Still provisioning ${nodesText(f)} after ${minutes(
      t.seconds ?? 0,
    )}; ${
      blind
        ? 'this KAITO release does not copy node launch errors to the Workspace, so check its NodeClaims (kubectl get nodeclaims -l kaito.sh/workspace) for quota or capacity errors'
        : 'check the NodeClaims for quota or capacity errors'
    }.${note(f)}`;
  } else {
    reason = `Provisioning ${nodesText(f)}${
      nc ? ` (${clip(nc, 100)})` : ''
    }; this usually takes 5 to 15 minutes.${note(f)}`;
  }
  return {
    phase: 'ProvisioningNodes',
    reason,
    outcome: 'progress',
    since: created,
    ...(kaito ? { kaitoMessage: kaito } : {}),
  };
}

/** In-progress phases, from conditions and pod evidence. */
export function progress(f: Facts): Verdict {
  const { c } = f;
  const created = f.ws.metadata.creationTimestamp;
  if (f.conds.length === 0) {
    return {
      phase: 'Pending',
      reason: `Waiting for the KAITO controller to start on the Workspace.${note(
        f,
      )}`,
      outcome: 'progress',
      since: created,
    };
  }
  const model = f.model ?? 'the model';
  const size = f.modelInfo ? ` (${f.modelInfo.weightSizeGiB} GiB)` : '';
  const mirror = c('ModelMirrorReady');
  const mirrorDownloading =
    c('ResourceReady')?.reason === 'ModelMirrorNotReady' ||
    (mirror !== undefined &&
      mirror.status !== 'True' &&
      !isMirrorFailure(mirror));
  if (!isTrue(c('ResourceReady')) && !mirrorDownloading) return provisioning(f);
  const since = nodesReadySince(f);
  if (mirrorDownloading) {
    return {
      phase: 'DownloadingWeights',
      reason: `The GPU nodes are ready; KAITO is downloading ${model}${size} into its model mirror (model streaming), which can take 10 to 60 minutes for large models.${note(
        f,
      )}`,
      outcome: 'progress',
      since: mirror?.lastTransitionTime ?? since,
      ...(conditionMessage(f, 'ModelMirrorReady', 'ResourceReady')
        ? {
            kaitoMessage: conditionMessage(
              f,
              'ModelMirrorReady',
              'ResourceReady',
            ),
          }
        : {}),
    };
  }
  const kaito = conditionMessage(f, 'InferenceReady');
  const base = {
    outcome: 'progress' as const,
    since,
    ...(kaito ? { kaitoMessage: kaito } : {}),
  };
  if (isTrue(c('InferenceReady'))) {
    return {
      ...base,
      phase: 'StartingInference',
      reason: `The inference server is up; KAITO is finishing its checks (post-load benchmark) before marking it ready.${note(
        f,
      )}`,
    };
  }
  if (f.pods.loading && f.pods.benchmarkProbe) {
    return {
      ...base,
      phase: 'StartingInference',
      reason: `The inference server is loading ${model}${size}; KAITO's post-load benchmark runs in its startup probe, and the Workspace becomes ready when both finish.${note(
        f,
      )}`,
    };
  }
  if ((f.pods.pulling || f.pods.loading) && !f.pods.startedNotReady) {
    return {
      ...base,
      phase: 'DownloadingWeights',
      reason: `The GPU nodes are ready; pulling the inference image and downloading ${model} weights${size}, which can take 10 to 60 minutes for large models.${note(
        f,
      )}`,
    };
  }
  return {
    ...base,
    phase: 'StartingInference',
    reason: `The GPU nodes are ready; the inference server is loading ${model}${size} and becomes ready when its health check passes.${note(
      f,
    )}`,
  };
}

/** Tuning: Succeeded, Failed, TuningRunning or a progress phase. */
export function tuningVerdict(f: Facts, signals: Signal[]): Verdict {
  const { c, state } = f;
  const method = f.ws.tuning?.method ?? 'LoRA';
  if (
    state === 'Succeeded' ||
    (state === undefined && isTrue(c('WorkspaceSucceeded')))
  ) {
    const out = f.ws.tuning?.output?.image
      ? ` The adapter was pushed to ${f.ws.tuning.output.image}.`
      : '';
    return {
      phase: 'Succeeded',
      reason: `Tuning ${f.model ?? 'the model'} with ${method} finished.${out}`,
      outcome: 'ready',
      since: c('WorkspaceSucceeded')?.lastTransitionTime,
    };
  }
  const failure = pick(
    [...signals, ...f.pods.failed].filter(s => s.kind !== 'benchmark'),
  );
  if (failure) {
    if (failure.kind === 'provisioning' && failure.retrying)
      return provisioning(
        f,
        retryingVerdict(f, failure, signals, 'ProvisioningNodes'),
      );
    return failureVerdict(f, failure, signals, 'Failed', 'tuning');
  }
  if (state === 'Failed') {
    const fix =
      "read the tuning pod's log and check the input data and output Secret, then recreate the Workspace";
    return {
      phase: 'Failed',
      reason: `The tuning job failed; ${fix}.`,
      outcome: 'terminal',
      failed: 'tuning',
      cause: 'tuningFailed',
      fix,
    };
  }
  if (state === 'Running' || isTrue(c('JobStarted'))) {
    return {
      phase: 'TuningRunning',
      reason: `Tuning ${f.model ?? 'the model'} with ${method} on ${nodesText(
        f,
      )}; the job pushes its result when it finishes.`,
      outcome: 'progress',
      since: c('JobStarted')?.lastTransitionTime,
    };
  }
  if (f.conds.length === 0) {
    return {
      phase: 'Pending',
      reason:
        'Waiting for the KAITO controller to start on the tuning Workspace.',
      outcome: 'progress',
      since: f.ws.metadata.creationTimestamp,
    };
  }
  if (!isTrue(c('ResourceReady'))) return provisioning(f);
  return {
    phase: 'Pending',
    reason: 'The GPU nodes are ready; waiting for the tuning job to start.',
    outcome: 'progress',
    since: c('ResourceReady')?.lastTransitionTime,
    ...(conditionMessage(f, 'JobStarted')
      ? { kaitoMessage: conditionMessage(f, 'JobStarted') }
      : {}),
  };
}
