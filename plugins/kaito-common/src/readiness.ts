import { findModel, servedModelName } from './catalog/models';
import { findSku } from './catalog/skus';
import type { KubeCondition } from './types/kube';
import type { Workspace } from './types/workspace';
import {
  findCondition,
  normalizeWorkspace,
  workspacePresetName,
  workspaceRuntime,
} from './workspace';
import {
  conditionSignals,
  eventSignals,
  isTransientError,
  nodeClaimSignals,
  podFacts,
  splitReconcileError,
  type FailureKind,
  type PodFacts,
  type Signal,
} from './readinessSignals';

import type {
  ReadinessContext,
  ReadinessPhase,
  ReadinessStep,
  WorkspaceReadiness,
} from './readiness/types';

export type * from './readiness/types';

/** Provisioning slower than this gets a hint to look for quota errors. */
const SLOW_PROVISIONING_MS = 30 * 60 * 1000;

/** Removes HF tokens that may appear in pod or event messages. */
function redact(text: string): string {
  return text.replace(/hf_[A-Za-z0-9]{8,}/g, 'hf_***');
}

function clip(text: string, max = 240): string {
  const t = redact(text.replace(/\s+/g, ' ').trim());
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

function isTrue(c: KubeCondition | undefined): boolean {
  return c?.status === 'True';
}

interface Facts {
  ws: Workspace;
  conds: KubeCondition[];
  state?: string;
  model?: string;
  instanceType?: string;
  runtime: 'vllm' | 'transformers';
  nowMs: number;
  pods: PodFacts;
  hasPods: boolean;
}

function nodesText(f: Facts): string {
  const n = f.ws.status.targetNodeCount ?? 1;
  return f.instanceType
    ? `${n} × ${f.instanceType}`
    : `${n} GPU node${n === 1 ? '' : 's'}`;
}

/** A sentence with the fix, per failure kind. */
function explain(sig: Signal, f: Facts, degraded: boolean): string {
  const detail = sig.detail ? ` (${clip(sig.detail, 160)})` : '';
  const restarts = sig.restarts
    ? ` after ${sig.restarts} restart${sig.restarts === 1 ? '' : 's'}`
    : '';
  const model = f.model ?? 'the model';
  const sku = f.instanceType ? findSku(f.instanceType) : undefined;
  const prefix = degraded ? 'KAITO reports the Workspace ready, but ' : '';
  switch (sig.kind as FailureKind) {
    case 'quota':
      return `${prefix}GPU nodes cannot be created because the Azure quota is exhausted${detail}; request more quota${
        sku?.quotaFamily ? ` for the ${sku.quotaFamily} family` : ''
      } in that region, or choose another instance type.`;
    case 'provisioning':
      return `${prefix}GPU node provisioning failed${detail}; check the NodeClaims and the node provisioner's permissions, or choose another instance type.`;
    case 'oom':
      return `${prefix}the inference container was killed for running out of memory${restarts}; choose a larger instance type or lower vllm max-model-len in the inference config ConfigMap.`;
    case 'imagePull':
      return `${prefix}an image cannot be pulled${detail}; check the image name and tag and that imagePullSecrets grant access to the registry.`;
    case 'gatedModel':
      return `${prefix}${model} is a gated Hugging Face model and the download was refused${detail}; create a Secret with key HF_TOKEN from an account that accepted the model's license and set inference.preset.presetOptions.modelAccessSecret to it.`;
    case 'crashLoop':
      return `${prefix}the inference container keeps crashing${restarts}${detail}; read the logs of ${
        sig.source.replace(/^pod /, '').split(' ')[0]
      } for the cause.`;
    case 'startError':
      return `${prefix}the inference container cannot start${detail}; check the referenced Secrets, ConfigMaps and the container command.`;
    case 'nodePressure':
      return `${prefix}the GPU node is under disk or memory pressure${detail}; free disk space (model weights need room) or use a size with local NVMe.`;
    case 'evicted':
      return `${prefix}the inference pod was evicted${detail}; the node ran short of resources, so use a larger instance type.`;
    case 'unschedulable':
      return `${prefix}the inference pod cannot be scheduled${detail}; check that resource.labelSelector matches the GPU nodes and that they have free GPUs.`;
    case 'tuningFailed':
      return `The tuning job failed${detail}; read the tuning pod's logs, check the input data URL or image and the push Secret, then recreate the Workspace.`;
    case 'benchmark':
      return `${prefix}the post-load benchmark failed${detail}; inference may still work, or set the annotation kaito.sh/disable-benchmark: "true" to skip the benchmark.`;
    case 'reconcile':
      return `${prefix}the KAITO controller cannot reconcile the Workspace: ${clip(
        sig.detail,
        200,
      )}; fix the Workspace accordingly (for example a larger instance type if GPU memory is too small) and recreate it.`;
    default:
      return `${prefix}${sig.source} reports a problem${detail}.`;
  }
}

const NODE_KINDS: FailureKind[] = ['quota', 'provisioning'];
const POD_KINDS: FailureKind[] = [
  'gatedModel',
  'oom',
  'imagePull',
  'startError',
  'crashLoop',
  'evicted',
  'nodePressure',
  'unschedulable',
];

function stepOf(kind: FailureKind): string {
  if (NODE_KINDS.includes(kind)) return 'nodes';
  if (kind === 'imagePull' || kind === 'gatedModel') return 'weights';
  if (kind === 'benchmark') return 'benchmark';
  return 'inference';
}

/** The first signal of the most specific kind (quota beats generic provisioning, etc.). */
const PRIORITY: FailureKind[] = [
  'quota',
  'gatedModel',
  'oom',
  'imagePull',
  'startError',
  'provisioning',
  'crashLoop',
  'evicted',
  'nodePressure',
  'unschedulable',
  'tuningFailed',
  'reconcile',
  'benchmark',
  'other',
];

function pick(
  signals: Signal[],
  kinds: FailureKind[] = PRIORITY,
): Signal | undefined {
  for (const k of kinds) {
    const s = signals.find(x => x.kind === k);
    if (s) return s;
  }
  return undefined;
}

/**
 * Interprets a Workspace (any controller generation) plus optional pods,
 * NodeClaims and events: one phase, one plain reason with the fix when one
 * is known, and a timeline. Pending and `workspacePending` are progress,
 * never failure; pods that crash under `InferenceReady=True` make the phase
 * Degraded. Throws only when `ws` is not a Workspace at all.
 */
export function workspaceReadiness(
  ws: unknown,
  ctx: ReadinessContext = {},
): WorkspaceReadiness {
  const w = normalizeWorkspace(ws);
  const nowMs = toMillis(ctx.now);
  const preset = workspacePresetName(w);
  const facts: Facts = {
    ws: w,
    conds: w.status.conditions,
    state: typeof w.status.state === 'string' ? w.status.state : undefined,
    model: preset,
    instanceType:
      typeof w.resource.instanceType === 'string' && w.resource.instanceType
        ? w.resource.instanceType
        : undefined,
    runtime: workspaceRuntime(w),
    nowMs,
    pods: podFacts(Array.isArray(ctx.pods) ? ctx.pods : undefined, nowMs),
    hasPods: Array.isArray(ctx.pods),
  };
  const signals = [
    ...conditionSignals(facts.conds),
    ...nodeClaimSignals(
      Array.isArray(ctx.nodeClaims) ? ctx.nodeClaims : undefined,
    ),
    ...facts.pods.signals,
    ...relevantEvents(
      eventSignals(Array.isArray(ctx.events) ? ctx.events : undefined),
      facts,
    ),
  ].map(s => ({ ...s, detail: redact(s.detail) }));

  const result =
    w.mode === 'tuning'
      ? tuningPhase(facts, signals)
      : inferencePhase(facts, signals);
  const { phase, failed } = result;
  // There is no Deleting phase; say so in the reason instead.
  const deleting =
    typeof w.metadata.deletionTimestamp === 'string' ||
    isTrue(findCondition(facts.conds, 'WorkspaceDeleting'));
  const reason = deleting
    ? `The Workspace is being deleted; KAITO is removing its nodes and workloads.`
    : result.reason;
  return {
    phase,
    reason,
    steps:
      w.mode === 'tuning'
        ? tuningSteps(facts, phase, failed)
        : inferenceSteps(facts, phase, failed),
    conditions: facts.conds,
    mode: w.mode,
    ...(typeof w.status.targetNodeCount === 'number'
      ? { targetNodeCount: w.status.targetNodeCount }
      : {}),
    ...(facts.instanceType ? { instanceType: facts.instanceType } : {}),
    ...(preset ? { model: preset } : {}),
    runtime: facts.runtime,
  };
}

/**
 * Events outlive the problem they report, so trust them only where nothing
 * fresher speaks: node errors while nodes are not ready, pod errors when no
 * pods were given.
 */
function relevantEvents(signals: Signal[], f: Facts): Signal[] {
  const nodesReady = isTrue(findCondition(f.conds, 'ResourceReady'));
  return signals.filter(s =>
    NODE_KINDS.includes(s.kind) ? !nodesReady : !f.hasPods,
  );
}

function toMillis(now: Date | number | undefined): number {
  if (now instanceof Date) return now.getTime();
  if (typeof now === 'number' && Number.isFinite(now)) return now;
  return Date.now();
}

interface PhaseResult {
  phase: ReadinessPhase;
  reason: string;
  /** The step id where a failure sits, for the timeline. */
  failed?: string;
}

function inferencePhase(f: Facts, signals: Signal[]): PhaseResult {
  const c = (t: string) => findCondition(f.conds, t);
  const summary = c('WorkspaceSucceeded') ?? c('WorkspaceReady');
  const inferenceReady = isTrue(c('InferenceReady'));
  const reportedReady =
    f.state === 'Ready' ||
    (f.state === undefined && isTrue(summary)) ||
    (f.state === undefined &&
      !summary &&
      inferenceReady &&
      isTrue(c('ResourceReady')));
  const served = f.model ? servedModelName(f.model) : undefined;

  // Ready by KAITO's account: check the pods before believing it (kaito#1493, #931).
  if (
    reportedReady ||
    (inferenceReady && f.state !== 'Pending' && f.state !== 'Failed')
  ) {
    // Only live pod state can contradict KAITO's Ready; old events cannot.
    const podProblem = pick(
      f.pods.signals.map(x => ({ ...x, detail: redact(x.detail) })),
      POD_KINDS,
    );
    if (podProblem) {
      return {
        phase: 'Degraded',
        reason: explain(podProblem, f, true),
        failed: 'ready',
      };
    }
    if (f.state === 'NotReady') {
      const inf = c('InferenceReady');
      const { text } = splitReconcileError(inf?.message);
      return {
        phase: 'Degraded',
        reason: `The Workspace was ready but is not any more${
          text ? ` (${clip(text, 160)})` : ''
        }; check the inference pods and their logs.`,
        failed: 'ready',
      };
    }
    const bench = pick(signals, ['benchmark']);
    if (bench)
      return {
        phase: 'Degraded',
        reason: explain(bench, f, true),
        failed: 'benchmark',
      };
    if (reportedReady) {
      return {
        phase: 'Ready',
        reason: `Serving ${served ?? 'the model'} with ${
          f.runtime === 'vllm' ? 'vLLM' : 'Hugging Face Transformers'
        } on ${nodesText(f)}.`,
      };
    }
  }

  const failure = pick(signals.filter(isHardFailure));
  if (f.state === 'Failed' || failure) {
    if (failure)
      return {
        phase: 'Failed',
        reason: explain(failure, f, false),
        failed: stepOf(failure.kind),
      };
    const msg = [c('InferenceReady'), summary, c('ResourceReady')]
      .map(x => splitReconcileError(x?.message).text)
      .find(Boolean);
    return {
      phase: 'Failed',
      reason: `KAITO marked the Workspace failed${
        msg ? `: ${clip(msg, 200)}` : ''
      }; check its conditions and pods.`,
      failed: 'inference',
    };
  }
  return progressPhase(f, signals);
}

/** Early crash-loop restarts can still recover (kaito#1567); benchmark failures are not fatal. */
const EARLY_RESTARTS = 3;
function isHardFailure(sig: Signal): boolean {
  if (sig.kind === 'benchmark') return false;
  // KAITO's own CrashLoopBackOff classification counts when it states no restart count.
  if (
    sig.kind === 'crashLoop' &&
    sig.restarts !== undefined &&
    sig.restarts < EARLY_RESTARTS
  ) {
    return false;
  }
  return true;
}

/** In-progress phases, from conditions and pod evidence. */
function progressPhase(f: Facts, signals: Signal[]): PhaseResult {
  const c = (t: string) => findCondition(f.conds, t);
  const note = reconcileNote(f.conds);
  const resourceReady = isTrue(c('ResourceReady'));
  const inferenceReady = isTrue(c('InferenceReady'));
  const soft = signals.find(s => s.kind === 'crashLoop');

  if (f.conds.length === 0 && !f.state) {
    return {
      phase: 'Pending',
      reason: `Waiting for the KAITO controller to start on the Workspace.${note}`,
    };
  }
  if (!resourceReady) {
    const anyNodeInfo = ['ResourceReady', 'NodeClaimReady', 'NodesReady'].some(
      t => c(t),
    );
    if (!anyNodeInfo && f.state === 'Pending' && f.conds.length === 0) {
      return {
        phase: 'Pending',
        reason: `Waiting for the KAITO controller to start on the Workspace.${note}`,
      };
    }
    const since = Date.parse(
      c('ResourceReady')?.lastTransitionTime ??
        f.ws.metadata.creationTimestamp ??
        '',
    );
    const slow =
      Number.isFinite(since) && f.nowMs - since > SLOW_PROVISIONING_MS;
    const nc = splitReconcileError(c('NodeClaimReady')?.message).text;
    return {
      phase: 'ProvisioningNodes',
      reason: slow
        ? `Still provisioning ${nodesText(f)} after ${Math.round(
            (f.nowMs - since) / 60000,
          )} minutes; check the NodeClaims for quota or capacity errors.${note}`
        : `Provisioning ${nodesText(f)}${
            nc ? ` (${clip(nc, 100)})` : ''
          }; this usually takes 5 to 15 minutes.${note}`,
    };
  }
  if (inferenceReady) {
    // v0.10+: InferenceReady but state still Pending while the benchmark runs.
    return {
      phase: 'StartingInference',
      reason: `The inference server is up; KAITO is finishing its checks (post-load benchmark) before marking it ready.${note}`,
    };
  }
  const model = f.model ? findModel(f.model) : undefined;
  const size = model ? ` (${model.weightSizeGiB} GiB)` : '';
  const mirror = c('ModelMirrorReady');
  const downloading =
    f.pods.pulling ||
    f.pods.loading ||
    (mirror && mirror.status !== 'True') ||
    c('ResourceReady')?.reason === 'ModelMirrorNotReady';
  const restartNote = soft
    ? ` It has restarted ${
        soft.restarts ?? 0
      } time(s) so far; large models sometimes need a retry.`
    : '';
  if (downloading && !f.pods.startedNotReady) {
    return {
      phase: 'DownloadingWeights',
      reason: `Nodes are ready; pulling the inference image and downloading ${
        f.model ?? 'the model'
      } weights${size}, which can take 10 to 60 minutes for large models.${restartNote}${note}`,
    };
  }
  return {
    phase: 'StartingInference',
    reason: `Nodes are ready; the inference server is loading ${
      f.model ?? 'the model'
    }${size} and becomes ready when its health check passes.${restartNote}${note}`,
  };
}

/** A short note for a non-transient last reconcile error not otherwise explained. */
function reconcileNote(conds: KubeCondition[]): string {
  for (const c of conds) {
    const { reconcileError } = splitReconcileError(c.message);
    if (reconcileError && isTransientError(reconcileError)) {
      return ` (The controller's last attempt hit a transient error and will retry: ${clip(
        reconcileError,
        120,
      )}.)`;
    }
  }
  return '';
}

function tuningPhase(f: Facts, signals: Signal[]): PhaseResult {
  const c = (t: string) => findCondition(f.conds, t);
  const summary = c('WorkspaceSucceeded') ?? c('WorkspaceReady');
  const method = f.ws.tuning?.method ?? 'LoRA';
  if (f.state === 'Succeeded' || (f.state === undefined && isTrue(summary))) {
    const out = f.ws.tuning?.output?.image
      ? ` The adapter was pushed to ${f.ws.tuning.output.image}.`
      : '';
    return {
      phase: 'Succeeded',
      reason: `Tuning ${f.model ?? 'the model'} with ${method} finished.${out}`,
    };
  }
  const failure = pick(signals.filter(isHardFailure));
  if (f.state === 'Failed' || failure) {
    if (failure)
      return {
        phase: 'Failed',
        reason: explain(failure, f, false),
        failed: NODE_KINDS.includes(failure.kind) ? 'nodes' : 'tuning',
      };
    return {
      phase: 'Failed',
      reason:
        'The tuning job failed; read the tuning pod logs and check the input data and output Secret, then recreate the Workspace.',
      failed: 'tuning',
    };
  }
  if (f.state === 'Running' || isTrue(c('JobStarted'))) {
    return {
      phase: 'TuningRunning',
      reason: `Tuning ${f.model ?? 'the model'} with ${method} on ${nodesText(
        f,
      )}; the job pushes its result when it finishes.`,
    };
  }
  if (!isTrue(c('ResourceReady')) && f.conds.length > 0) {
    return progressPhase(f, signals);
  }
  if (f.conds.length === 0) {
    return {
      phase: 'Pending',
      reason:
        'Waiting for the KAITO controller to start on the tuning Workspace.',
    };
  }
  return {
    phase: 'Pending',
    reason: 'Nodes are ready; waiting for the tuning job to start.',
  };
}

type StepStatus = ReadinessStep['status'];

const INFERENCE_ORDER: ReadinessPhase[] = [
  'Pending',
  'ProvisioningNodes',
  'DownloadingWeights',
  'StartingInference',
  'Ready',
];

function inferenceSteps(
  f: Facts,
  phase: ReadinessPhase,
  failed?: string,
): ReadinessStep[] {
  const c = (t: string) => findCondition(f.conds, t);
  const rr = c('ResourceReady');
  const ir = c('InferenceReady');
  const bench = c('BenchmarkCompleted');
  const summary = c('WorkspaceSucceeded') ?? c('WorkspaceReady');
  const reached = (p: ReadinessPhase) =>
    phase === 'Ready' || phase === 'Degraded'
      ? true
      : INFERENCE_ORDER.indexOf(phase) > INFERENCE_ORDER.indexOf(p);
  const status = (id: string, p: ReadinessPhase): StepStatus => {
    if (failed === id) return phase === 'Degraded' ? 'warning' : 'failed';
    if (phase === 'Failed') {
      const order = ['nodes', 'weights', 'inference', 'benchmark', 'ready'];
      return order.indexOf(id) < order.indexOf(failed ?? 'inference')
        ? 'done'
        : 'pending';
    }
    if (reached(p)) return 'done';
    return phase === p ? 'active' : 'pending';
  };
  const steps: ReadinessStep[] = [
    {
      id: 'created',
      title: 'Workspace created',
      status: 'done',
      ...(f.ws.metadata.creationTimestamp
        ? { at: f.ws.metadata.creationTimestamp }
        : {}),
    },
    step(
      'nodes',
      `Provision ${nodesText(f)}`,
      status('nodes', 'ProvisioningNodes'),
      rr,
    ),
    step(
      'weights',
      'Pull image and download weights',
      status('weights', 'DownloadingWeights'),
    ),
    step(
      'inference',
      'Start inference server',
      status('inference', 'StartingInference'),
      ir,
    ),
  ];
  if (bench) {
    let benchStatus: StepStatus = 'active';
    if (bench.status === 'True') benchStatus = 'done';
    else if (failed === 'benchmark') benchStatus = 'warning';
    steps.push(step('benchmark', 'Post-load benchmark', benchStatus, bench));
  }
  let readyStatus: StepStatus = 'pending';
  if (phase === 'Ready') readyStatus = 'done';
  else if (phase === 'Degraded') readyStatus = 'warning';
  steps.push(
    step(
      'ready',
      'Ready for chat',
      readyStatus,
      summary && isTrue(summary) ? summary : undefined,
    ),
  );
  return steps;
}

function tuningSteps(
  f: Facts,
  phase: ReadinessPhase,
  failed?: string,
): ReadinessStep[] {
  const c = (t: string) => findCondition(f.conds, t);
  const order: ReadinessPhase[] = [
    'Pending',
    'ProvisioningNodes',
    'TuningRunning',
    'Succeeded',
  ];
  const idx = order.indexOf(
    phase === 'DownloadingWeights' || phase === 'StartingInference'
      ? 'TuningRunning'
      : phase,
  );
  const nodesDone = isTrue(c('ResourceReady')) || idx >= 2;
  const jobStarted =
    isTrue(c('JobStarted')) ||
    phase === 'TuningRunning' ||
    phase === 'Succeeded';
  const st = (done: boolean, active: boolean, id: string): StepStatus => {
    if (failed === id) return 'failed';
    if (done) return 'done';
    return active ? 'active' : 'pending';
  };
  return [
    {
      id: 'created',
      title: 'Workspace created',
      status: 'done',
      ...(f.ws.metadata.creationTimestamp
        ? { at: f.ws.metadata.creationTimestamp }
        : {}),
    },
    step(
      'nodes',
      `Provision ${nodesText(f)}`,
      st(nodesDone, phase === 'ProvisioningNodes', 'nodes'),
      c('ResourceReady'),
    ),
    step(
      'job',
      'Start tuning job',
      st(jobStarted, phase === 'Pending' && nodesDone, 'job'),
      c('JobStarted'),
    ),
    step(
      'tuning',
      `Tune with ${f.ws.tuning?.method ?? 'LoRA'}`,
      st(phase === 'Succeeded', phase === 'TuningRunning', 'tuning'),
    ),
    step(
      'succeeded',
      'Push result',
      st(phase === 'Succeeded', false, 'succeeded'),
      phase === 'Succeeded' ? c('WorkspaceSucceeded') : undefined,
    ),
  ];
}

function step(
  id: string,
  title: string,
  status: StepStatus,
  cond?: KubeCondition,
): ReadinessStep {
  const s: ReadinessStep = { id, title, status };
  if (cond?.lastTransitionTime) s.at = cond.lastTransitionTime;
  if (
    cond?.message &&
    (status === 'failed' || status === 'active' || status === 'warning')
  ) {
    const { text } = splitReconcileError(cond.message);
    if (text) s.detail = clip(text, 200);
  }
  return s;
}
