import { PODS } from '../kube/resources';
import { isRecord, KubeObject, nowIso } from '../kube/types';
import type { RunContext } from './context';
import * as build from './objects';

type Status = Record<string, unknown>;

/** The simulated kubelet: what happens to the workload's pod, and the events it records. */
export class Kubelet {
  constructor(private readonly c: RunContext) {}

  private get name(): string {
    return this.c.ws.name;
  }

  mutatePod(
    fn: (status: Status, pod: KubeObject) => void,
  ): KubeObject | undefined {
    return this.c.d.store.mutate(
      PODS,
      this.c.ws.namespace,
      this.c.pod.name,
      pod => {
        const st = isRecord(pod.status) ? pod.status : {};
        fn(st, pod);
        pod.status = st;
      },
    );
  }

  mainContainer(st: Status, patch: Status): void {
    const list = Array.isArray(st.containerStatuses)
      ? (st.containerStatuses as Status[])
      : [];
    st.containerStatuses = list.map(c =>
      c.name === this.name ? { ...c, ...patch } : c,
    );
  }

  podConditions(st: Status, ready: boolean, initialized = true): void {
    const t = nowIso();
    const notReady = ready ? {} : { reason: 'ContainersNotReady' };
    st.conditions = [
      {
        type: 'PodReadyToStartContainers',
        status: 'True',
        lastTransitionTime: t,
      },
      {
        type: 'Initialized',
        status: initialized ? 'True' : 'False',
        lastTransitionTime: t,
        ...(initialized ? {} : { reason: 'ContainersNotInitialized' }),
      },
      {
        type: 'Ready',
        status: ready ? 'True' : 'False',
        lastTransitionTime: t,
        ...notReady,
      },
      {
        type: 'ContainersReady',
        status: ready ? 'True' : 'False',
        lastTransitionTime: t,
        ...notReady,
      },
      { type: 'PodScheduled', status: 'True', lastTransitionTime: t },
    ];
  }

  event(
    pod: KubeObject | undefined,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
    component = 'kubelet',
  ): void {
    if (!pod) return;
    this.c.d.events.record({
      involved: pod,
      type,
      reason,
      message,
      component,
      host: component === 'kubelet' ? this.c.nodes.names[0] : undefined,
    });
  }

  /** The scheduler's event for the pod landing on the first node. */
  scheduled(pod: KubeObject): void {
    this.event(
      pod,
      'Normal',
      'Scheduled',
      `Successfully assigned ${this.c.ws.namespace}/${this.c.pod.name} to ${
        this.c.nodes.names[0] ?? ''
      }`,
      'default-scheduler',
    );
  }

  /** Appends lines to the main container's log (served by the pods/log API). */
  log(lines: string[]): void {
    const logs = this.c.d.logs;
    if (!logs) return;
    const key = `${this.c.ws.namespace}/${this.c.pod.name}/${this.name}`;
    logs.set(key, `${logs.get(key) ?? ''}${lines.join('\n')}\n`);
  }

  /** Init containers done, main container running but not started (startup probe pending). */
  startMain(): KubeObject | undefined {
    const pod = this.mutatePod(st => {
      st.phase = 'Running';
      if (Array.isArray(st.initContainerStatuses)) {
        st.initContainerStatuses = (st.initContainerStatuses as Status[]).map(
          c => ({
            ...c,
            ready: true,
            state: {
              terminated: {
                exitCode: 0,
                reason: 'Completed',
                startedAt: nowIso(),
                finishedAt: nowIso(),
              },
            },
          }),
        );
      }
      this.mainContainer(st, {
        state: { running: { startedAt: nowIso() } },
        started: false,
        ready: false,
        imageID: `${build.BASE_IMAGE}@sha256:${build.hex(32)}`,
      });
      this.podConditions(st, false);
    });
    for (const a of this.c.spec.adapters)
      this.event(
        pod,
        'Normal',
        'Pulled',
        `Successfully pulled image "${a.image}"`,
      );
    this.event(pod, 'Normal', 'Pulling', `Pulling image "${build.BASE_IMAGE}"`);
    this.event(
      pod,
      'Normal',
      'Pulled',
      `Successfully pulled image "${build.BASE_IMAGE}"`,
    );
    this.event(pod, 'Normal', 'Created', `Created container: ${this.name}`);
    this.event(pod, 'Normal', 'Started', `Started container ${this.name}`);
    return pod;
  }

  /** The main container passed its probes. */
  markReady(): void {
    this.mutatePod(st => {
      this.mainContainer(st, { ready: true, started: true });
      this.podConditions(st, true);
    });
  }

  /** A referenced Secret does not exist: CreateContainerConfigError. Returns the kubelet's message. */
  missingSecret(secret: string): string {
    const message = `secret "${secret}" not found`;
    const pod = this.mutatePod(st => {
      this.mainContainer(st, {
        state: { waiting: { reason: 'CreateContainerConfigError', message } },
      });
      this.podConditions(st, false);
    });
    this.event(pod, 'Warning', 'Failed', `Error: ${message}`);
    return message;
  }

  /** The first image (an adapter's, else the base) cannot be pulled. Returns the container and image. */
  imagePullBackOff(): { container: string; image: string; init: boolean } {
    const target =
      this.c.spec.mode === 'inference' ? this.c.spec.adapters[0] : undefined;
    const container = target?.name ?? this.name;
    const image = target?.image ?? build.BASE_IMAGE;
    const init = target !== undefined;
    const pullError = `failed to pull and unpack image "${image}": failed to resolve reference "${image}": ${image}: not found`;
    const pod = this.mutatePod(st => {
      const waiting = {
        state: {
          waiting: {
            reason: 'ImagePullBackOff',
            message: `Back-off pulling image "${image}"`,
          },
        },
      };
      if (init) {
        st.initContainerStatuses = (st.initContainerStatuses as Status[]).map(
          c => (c.name === container ? { ...c, ...waiting } : c),
        );
      } else this.mainContainer(st, waiting);
      this.podConditions(st, false, !init);
    });
    this.event(pod, 'Normal', 'Pulling', `Pulling image "${image}"`);
    this.event(
      pod,
      'Warning',
      'Failed',
      `Failed to pull image "${image}": rpc error: code = NotFound desc = ${pullError}`,
    );
    this.event(pod, 'Warning', 'Failed', 'Error: ErrImagePull');
    this.event(pod, 'Normal', 'BackOff', `Back-off pulling image "${image}"`);
    this.event(pod, 'Warning', 'Failed', 'Error: ImagePullBackOff');
    return { container, image, init };
  }

  /**
   * The main container died once more: restartCount grows and the kubelet
   * backs off. KAITO sets no termination-message policy, so the reason and
   * exit code are all the pod says; the cause is in the container log.
   */
  crash(oom: boolean, backoffMs: number): void {
    this.c.pod.restarts++;
    const finished = nowIso();
    const pod = this.mutatePod((st, p) => {
      this.mainContainer(st, {
        ready: false,
        started: false,
        restartCount: this.c.pod.restarts,
        lastState: {
          terminated: {
            exitCode: oom ? 137 : 1,
            reason: oom ? 'OOMKilled' : 'Error',
            startedAt: finished,
            finishedAt: finished,
          },
        },
        state: {
          waiting: {
            reason: 'CrashLoopBackOff',
            message: `back-off ${Math.max(
              1,
              Math.round(backoffMs / 1000),
            )}s restarting failed container=${this.name} pod=${
              this.c.pod.name
            }_${this.c.ws.namespace}(${p.metadata.uid})`,
          },
        },
      });
      this.podConditions(st, false);
    });
    if (oom)
      this.event(
        pod,
        'Warning',
        'OOMKilling',
        `Memory cgroup out of memory: Killed process (python3) in container ${this.name}`,
      );
    this.event(
      pod,
      'Warning',
      'BackOff',
      `Back-off restarting failed container ${this.name} in pod ${
        this.c.pod.name
      }_${this.c.ws.namespace}(${pod?.metadata.uid ?? ''})`,
    );
  }

  /** The main container ended (a tuning pod): phase Succeeded or Failed. */
  terminate(outcome: 'Completed' | 'OOMKilled'): KubeObject | undefined {
    const t = nowIso();
    const pod = this.mutatePod(st => {
      st.phase = outcome === 'Completed' ? 'Succeeded' : 'Failed';
      this.mainContainer(st, {
        ready: false,
        started: false,
        state: {
          terminated: {
            exitCode: outcome === 'Completed' ? 0 : 137,
            reason: outcome,
            startedAt: t,
            finishedAt: t,
          },
        },
      });
      this.podConditions(st, false);
    });
    if (outcome === 'OOMKilled')
      this.event(
        pod,
        'Warning',
        'OOMKilling',
        `Memory cgroup out of memory: Killed process (python3) in container ${this.name}`,
      );
    return pod;
  }
}
