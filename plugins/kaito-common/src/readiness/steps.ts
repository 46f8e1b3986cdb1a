import type { KubeCondition } from '../types/kube';
import type { ConditionLookup } from './conditions';
import { isTrue, splitReconcileError } from './conditions';
import { clip } from './text';
import type { ReadinessPhase, ReadinessStep } from './types';

type StepStatus = ReadinessStep['status'];

export interface StepInput {
  c: ConditionLookup;
  phase: ReadinessPhase;
  /** The step id where a failure sits. */
  failed?: string;
  createdAt?: string;
  nodesText: string;
  tuningMethod?: string;
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

/** The one `created` step both timelines start with. */
function created(at: string | undefined): ReadinessStep {
  return {
    id: 'created',
    title: 'Workspace created',
    status: 'done',
    ...(at ? { at } : {}),
  };
}

const INFERENCE_ORDER: ReadinessPhase[] = [
  'Pending',
  'ProvisioningNodes',
  'DownloadingWeights',
  'StartingInference',
  'Ready',
];
const FAILURE_ORDER = ['nodes', 'weights', 'inference', 'benchmark', 'ready'];

export function inferenceSteps(x: StepInput): ReadinessStep[] {
  const { c, phase, failed } = x;
  const bench = c('BenchmarkCompleted');
  const summary = c('WorkspaceSucceeded');
  const serving = phase === 'Ready' || phase === 'Degraded';
  const status = (id: string, p: ReadinessPhase): StepStatus => {
    if (failed === id) return phase === 'Degraded' ? 'warning' : 'failed';
    if (phase === 'Failed')
      return FAILURE_ORDER.indexOf(id) <
        FAILURE_ORDER.indexOf(failed ?? 'inference')
        ? 'done'
        : 'pending';
    if (serving || INFERENCE_ORDER.indexOf(phase) > INFERENCE_ORDER.indexOf(p))
      return 'done';
    return phase === p ? 'active' : 'pending';
  };
  const steps = [
    created(x.createdAt),
    step(
      'nodes',
      `Provision ${x.nodesText}`,
      status('nodes', 'ProvisioningNodes'),
      c('ResourceReady'),
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
      c('InferenceReady'),
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
      isTrue(summary) ? summary : undefined,
    ),
  );
  return steps;
}

const TUNING_ORDER: ReadinessPhase[] = [
  'Pending',
  'ProvisioningNodes',
  'TuningRunning',
  'Succeeded',
];

export function tuningSteps(x: StepInput): ReadinessStep[] {
  const { c, phase, failed } = x;
  const idx = TUNING_ORDER.indexOf(
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
    created(x.createdAt),
    step(
      'nodes',
      `Provision ${x.nodesText}`,
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
      `Tune with ${x.tuningMethod ?? 'LoRA'}`,
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
