import { isTrue } from './conditions';
import { pick, type Signal } from './signal';
import { type Facts, type Verdict, nodesText } from './facts';
import { failureVerdict, retryingVerdict, conditionMessage } from './failure';
import { provisioning } from './inference';

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
