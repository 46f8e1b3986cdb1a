import { JOBS, PODS } from '../kube/resources';
import { nowIso } from '../kube/types';
import type { RunContext } from './context';
import { faultAt } from './faultTable';
import { containerInput } from './inference';
import type { Kubelet } from './kubelet';
import * as build from './objects';

const condition = (
  type: string,
  reason: string,
  message: string,
  t: string,
) => ({
  type,
  status: 'True',
  reason,
  message,
  lastProbeTime: t,
  lastTransitionTime: t,
});

/** The tuning lifecycle: Job → pod running (or stuck pulling) → succeeded or failed. */
export class TuningLifecycle {
  constructor(
    private readonly c: RunContext,
    private readonly kubelet: Kubelet,
  ) {}

  private setJob(status: Record<string, unknown>): void {
    this.c.d.store.mutate(JOBS, this.c.ws.namespace, this.c.ws.name, j => {
      j.status = { ...(j.status as object), ...status };
    });
  }

  start(): void {
    const { store } = this.c.d;
    const input = containerInput(this.c);
    const j = store.create(JOBS, build.job(input));
    this.c.pod.name = `${this.c.ws.name}-${build.hex(3).slice(0, 5)}`;
    const pod = store.create(
      PODS,
      build.pod(
        input,
        j,
        this.c.pod.name,
        {
          'job-name': this.c.ws.name,
          'batch.kubernetes.io/job-name': this.c.ws.name,
          'batch.kubernetes.io/controller-uid': j.metadata.uid!,
        },
        this.c.nodes.names[0] ?? '',
      ),
    );
    this.kubelet.scheduled(pod);
    this.c.status.update(this.c.release.jobCreated());
    const pull =
      faultAt(this.c.fault, 'containerStart', 'tuning')?.kind === 'imagePull';
    this.c.after(this.c.d.timings.tuningStartMs, () =>
      pull ? this.stuckPulling() : this.running(),
    );
  }

  /** The Job's pod is active but cannot pull its image: KAITO calls the job started (JobStarted=True, Running). */
  private stuckPulling(): void {
    this.kubelet.imagePullBackOff();
    this.setJob({ startTime: nowIso(), active: 1, ready: 0, terminating: 0 });
    this.c.status.update(this.c.release.jobActive(0));
  }

  private running(): void {
    const pod = this.kubelet.mutatePod(st => {
      st.phase = 'Running';
      this.kubelet.mainContainer(st, {
        ready: true,
        started: true,
        state: { running: { startedAt: nowIso() } },
      });
      this.kubelet.podConditions(st, true);
    });
    this.kubelet.event(
      pod,
      'Normal',
      'Started',
      `Started container ${this.c.ws.name}`,
    );
    this.setJob({ startTime: nowIso(), active: 1, ready: 1, terminating: 0 });
    this.c.status.update(this.c.release.jobActive(1));
    const oom =
      faultAt(this.c.fault, 'tuningRun', 'tuning')?.kind === 'tuningOom';
    this.c.after(this.c.d.timings.tuningRunMs, () =>
      oom ? this.failed() : this.succeeded(),
    );
  }

  private succeeded(): void {
    const t = nowIso();
    this.kubelet.terminate('Completed');
    const done = 'Reached expected number of succeeded pods';
    this.setJob({
      active: 0,
      ready: 0,
      succeeded: 1,
      completionTime: t,
      conditions: [
        condition('SuccessCriteriaMet', 'CompletionsReached', done, t),
        condition('Complete', 'CompletionsReached', done, t),
      ],
    });
    this.c.status.update(this.c.release.jobSucceeded());
  }

  private failed(): void {
    const t = nowIso();
    this.kubelet.terminate('OOMKilled');
    const limit = 'Job has reached the specified backoff limit';
    this.setJob({
      active: 0,
      failed: 1,
      conditions: [
        condition('FailureTarget', 'BackoffLimitExceeded', limit, t),
        condition('Failed', 'BackoffLimitExceeded', limit, t),
      ],
    });
    this.c.status.update(this.c.release.jobFailed());
  }
}
