import {
  estimateFit,
  findModel,
  findSku,
  ModelInfo,
  servedModelName,
  SkuInfo,
  workspaceRuntime,
} from '@kaito-backstage/plugin-kaito-common';
import {
  DEPLOYMENTS,
  JOBS,
  NODECLAIMS,
  NODES,
  PODS,
  SECRETS,
  SERVICES,
  STATEFULSETS,
  WORKSPACES,
} from '../kube/resources';
import type { ObjectStore } from '../kube/store';
import { isRecord, KubeObject, nowIso } from '../kube/types';
import type { InferenceRegistry } from '../inference/registry';
import { EventRecorder } from './events';
import {
  cap,
  gatedRepoMessage,
  quotaExceededMessage,
  SimulatorFault,
} from './faults';
import * as build from './objects';
import { ConditionInput, WorkspaceStatusWriter } from './status';
import { SimulatorTimings } from './timings';
import { ControllerVersion } from './version';

export interface RunDeps {
  store: ObjectStore;
  timings: SimulatorTimings;
  version: ControllerVersion;
  inference: InferenceRegistry;
  events: EventRecorder;
  location: string;
  tokensPerSecond: number;
  maxConcurrency: number;
  onError(err: unknown): void;
}

const T = (
  status: 'True' | 'False',
  reason: string,
  message: string,
): ConditionInput => ({ status, reason, message });

const PENDING_NODECLAIMS = T(
  'False',
  'NodeClaimNotReady',
  'Ready NodeClaims are not enough',
);
const PENDING_INFERENCE = T(
  'False',
  'WorkspaceInferenceStatusPending',
  'Inference workload is not ready',
);
const PENDING_SUMMARY = T(
  'False',
  'workspacePending',
  'workspace is waiting for inference workload readiness',
);
const MAX_BACKOFF_MS = 5 * 60 * 1000;

/**
 * One Workspace's trip through the simulated KAITO controller, node
 * provisioner and kubelet: NodeClaims -> nodes -> workload -> weights ->
 * inference ready (or a tuning Job), with scripted faults along the way.
 */
export class WorkspaceRun {
  readonly ws: build.WorkspaceIdentity;
  private readonly timers = new Set<NodeJS.Timeout>();
  private cancelled = false;
  private readonly status: WorkspaceStatusWriter;
  private readonly mode: 'inference' | 'tuning';
  private readonly runtime: 'vllm' | 'transformers';
  private readonly presetName?: string;
  private readonly model?: ModelInfo;
  private readonly sku?: SkuInfo;
  private readonly instanceType: string;
  private readonly nodes: number;
  private readonly adapters: Array<{ name: string; image: string }>;
  private readonly modelAccessSecret?: string;
  private readonly matchLabels: Record<string, string>;
  private claims: string[] = [];
  private nodeNames: string[] = [];
  private podName = '';
  private restarts = 0;

  constructor(
    private readonly d: RunDeps,
    obj: KubeObject,
    private readonly fault?: SimulatorFault,
  ) {
    const m = obj.metadata;
    this.ws = {
      namespace: m.namespace!,
      name: m.name!,
      uid: m.uid!,
      apiVersion: String(obj.apiVersion),
    };
    this.status = new WorkspaceStatusWriter(
      d.store,
      d.version,
      this.ws.namespace,
      this.ws.name,
    );
    const o = obj as Record<string, unknown>;
    const resource = isRecord(o.resource) ? o.resource : {};
    const inference = isRecord(o.inference) ? o.inference : undefined;
    const tuning = isRecord(o.tuning) ? o.tuning : undefined;
    this.mode = tuning && !inference ? 'tuning' : 'inference';
    this.runtime = workspaceRuntime(obj);
    const preset = isRecord((inference ?? tuning)?.preset)
      ? ((inference ?? tuning)!.preset as Record<string, unknown>)
      : {};
    this.presetName = typeof preset.name === 'string' ? preset.name : undefined;
    this.model = this.presetName ? findModel(this.presetName) : undefined;
    this.instanceType =
      typeof resource.instanceType === 'string'
        ? resource.instanceType
        : 'Standard_NC24ads_A100_v4';
    this.sku = findSku(this.instanceType);
    const options = isRecord(preset.presetOptions) ? preset.presetOptions : {};
    this.modelAccessSecret =
      typeof options.modelAccessSecret === 'string'
        ? options.modelAccessSecret
        : undefined;
    const sel =
      isRecord(resource.labelSelector) &&
      isRecord(resource.labelSelector.matchLabels)
        ? resource.labelSelector.matchLabels
        : {};
    this.matchLabels = Object.fromEntries(
      Object.entries(sel).filter(([, v]) => typeof v === 'string'),
    ) as Record<string, string>;
    const adapters = Array.isArray(inference?.adapters)
      ? (inference!.adapters as unknown[])
      : [];
    this.adapters = adapters.flatMap(a => {
      const src = isRecord(a) && isRecord(a.source) ? a.source : undefined;
      return src &&
        typeof src.name === 'string' &&
        typeof src.image === 'string'
        ? [{ name: src.name, image: src.image }]
        : [];
    });
    this.nodes = this.estimateNodes(resource);
  }

  private estimateNodes(resource: Record<string, unknown>): number {
    if (this.mode === 'tuning') return 1;
    if (this.runtime === 'transformers') {
      return typeof resource.count === 'number' && resource.count > 0
        ? Math.floor(resource.count)
        : 1;
    }
    if (!this.model || !this.sku) return 1;
    try {
      const fit = estimateFit(this.model, this.sku);
      return fit.verdict === 'cannot-run' ? 1 : fit.nodes;
    } catch {
      return 1;
    }
  }

  private get gpus(): number {
    return this.sku?.gpuCount ?? 1;
  }

  cancel(): void {
    this.cancelled = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private after(ms: number, step: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (this.cancelled) return;
      try {
        step();
      } catch (e) {
        this.d.onError(e);
      }
    }, ms);
    t.unref();
    this.timers.add(t);
  }

  private containerInput(): build.ContainerSpecInput {
    return {
      ws: this.ws,
      presetName: this.presetName,
      gpus: this.gpus,
      adapters: this.adapters,
      modelAccessSecret: this.modelAccessSecret,
      tuning: this.mode === 'tuning',
    };
  }

  // ---- provisioning -------------------------------------------------------

  start(): void {
    const { store } = this.d;
    store.mutate(WORKSPACES, this.ws.namespace, this.ws.name, obj => {
      const fin = obj.metadata.finalizers ?? [];
      if (!fin.includes(build.KAITO_FINALIZER))
        obj.metadata.finalizers = [...fin, build.KAITO_FINALIZER];
      obj.metadata.annotations = {
        ...obj.metadata.annotations,
        [build.REVISION_ANNOTATION]: '1',
        [build.HASH_ANNOTATION]: build.specHash(obj),
      };
    });
    const pendingSummary =
      this.mode === 'tuning'
        ? T(
            'False',
            'workspacePending',
            'workspace is initializing, tuning job has not started',
          )
        : PENDING_SUMMARY;
    this.status.update({
      targetNodeCount: this.nodes,
      state: 'Pending',
      conditions: {
        NodeClaimReady: PENDING_NODECLAIMS,
        NodesReady: T('False', 'NodeNotReady', 'Not enough Nodes are ready'),
        ResourceReady: PENDING_NODECLAIMS,
        WorkspaceSucceeded: pendingSummary,
      },
    });
    for (let i = 0; i < this.nodes; i++) {
      const created = store.create(
        NODECLAIMS,
        build.nodeClaim(this.ws, this.instanceType, this.matchLabels),
      );
      this.claims.push(created.metadata.name!);
    }
    this.after(this.d.timings.nodeLaunchMs, () => this.launch());
  }

  private setClaimConditions(
    types: string[],
    status: 'True' | 'False',
    reason?: string,
    message?: string,
    extra?: (c: KubeObject, i: number) => void,
  ): void {
    this.claims.forEach((name, i) =>
      this.d.store.mutate(NODECLAIMS, undefined, name, claim => {
        const st = isRecord(claim.status) ? claim.status : {};
        const conds = Array.isArray(st.conditions)
          ? (st.conditions as Array<Record<string, unknown>>)
          : [];
        st.conditions = conds.map(c =>
          types.includes(String(c.type))
            ? {
                ...c,
                status,
                reason: reason ?? String(c.type),
                message: message ?? '',
                lastTransitionTime: nowIso(),
              }
            : c,
        );
        claim.status = st;
        extra?.(claim, i);
      }),
    );
  }

  private launch(): void {
    if (this.fault === 'quotaExceeded') {
      const message = quotaExceededMessage({
        family: this.sku?.quotaFamily ?? 'StandardNCADSA100v4Family',
        location: this.d.location,
        vCPUs: this.sku?.vCPUs ?? 24,
        nodes: 1,
      });
      this.setClaimConditions(['Launched'], 'False', 'LaunchFailed', message);
      const surfaced = this.d.version.surfacesNodeClaimErrors
        ? T('False', 'LaunchFailed', cap(message))
        : PENDING_NODECLAIMS;
      this.status.update({
        conditions: { NodeClaimReady: surfaced, ResourceReady: surfaced },
      });
      return;
    }
    this.setClaimConditions(
      ['Launched'],
      'True',
      'Launched',
      '',
      (claim, i) => {
        const st = claim.status as Record<string, unknown>;
        st.providerID = `azure:///subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/mc_kaito/providers/Microsoft.Compute/virtualMachines/${this.claims[i]}`;
        st.imageID =
          '/CommunityGalleries/AKSUbuntu-38d80f77-467a-481f-a8d4-09b6d4220bd2/images/2204gen2containerd/versions/202506.02.0';
        st.capacity = {
          cpu: String(this.sku?.vCPUs ?? 24),
          'nvidia.com/gpu': String(this.gpus),
        };
      },
    );
    this.after(this.d.timings.nodeRegisterMs, () => this.register());
  }

  private register(): void {
    const { store } = this.d;
    this.nodeNames = this.claims
      .map(name => {
        const claim = store.peek(NODECLAIMS, undefined, name);
        if (!claim) return '';
        return store.create(
          NODES,
          build.node(claim, this.instanceType, this.gpus, this.ws),
        ).metadata.name!;
      })
      .filter(Boolean);
    this.setClaimConditions(
      ['Registered'],
      'True',
      'Registered',
      '',
      (claim, i) => {
        (claim.status as Record<string, unknown>).nodeName = this.nodeNames[i];
      },
    );
    this.status.update({ workerNodes: this.nodeNames });
    this.after(this.d.timings.nodeReadyMs, () => this.nodesReady());
  }

  private nodesReady(): void {
    const { store } = this.d;
    this.setClaimConditions(['Initialized', 'Ready'], 'True');
    for (const n of this.nodeNames) {
      store.mutate(NODES, undefined, n, node => {
        (node.status as Record<string, unknown>).conditions = [
          {
            type: 'Ready',
            status: 'True',
            reason: 'KubeletReady',
            message: 'kubelet is posting ready status',
            lastHeartbeatTime: nowIso(),
            lastTransitionTime: nowIso(),
          },
        ];
      });
    }
    this.status.update({
      conditions: {
        NodeClaimReady: T(
          'True',
          'NodeClaimsReady',
          'Enough NodeClaims are ready',
        ),
        NodesReady: T('True', 'NodesReady', 'Enough Nodes are ready'),
        ResourceReady: T(
          'True',
          'workspaceResourceStatusSuccess',
          'workspace resource is ready',
        ),
      },
    });
    if (this.mode === 'tuning') this.startTuning();
    else this.createInferenceWorkload();
  }

  // ---- inference ----------------------------------------------------------

  private createInferenceWorkload(): void {
    const { store, version } = this.d;
    const input = this.containerInput();
    for (const svc of build.inferenceServices(
      this.ws,
      this.runtime,
      version.usesStatefulSet,
    )) {
      if (!store.peek(SERVICES, this.ws.namespace, svc.metadata.name!))
        store.create(SERVICES, svc);
    }
    const wl = store.create(
      version.usesStatefulSet ? STATEFULSETS : DEPLOYMENTS,
      build.workload(input, this.nodes, version.usesStatefulSet),
    );
    this.podName = version.usesStatefulSet
      ? `${this.ws.name}-0`
      : `${this.ws.name}-${build.hex(5).slice(0, 10)}-${build
          .hex(3)
          .slice(0, 5)}`;
    const labels: Record<string, string> = version.usesStatefulSet
      ? {
          'statefulset.kubernetes.io/pod-name': this.podName,
          'apps.kubernetes.io/pod-index': '0',
          'controller-revision-hash': `${this.ws.name}-${build
            .hex(5)
            .slice(0, 10)}`,
        }
      : { 'pod-template-hash': build.hex(5).slice(0, 10) };
    const pod = store.create(
      PODS,
      build.pod(input, wl, this.podName, labels, this.nodeNames[0] ?? ''),
    );
    this.scheduledEvent(pod);
    this.status.update({
      conditions: {
        InferenceReady: PENDING_INFERENCE,
        WorkspaceSucceeded: PENDING_SUMMARY,
      },
    });
    this.after(this.d.timings.containerStartMs, () => this.containerStart());
  }

  /** The scheduler's event for the workload's pod landing on the first node. */
  private scheduledEvent(pod: KubeObject): void {
    this.podEvent(
      pod,
      'Normal',
      'Scheduled',
      `Successfully assigned ${this.ws.namespace}/${this.podName} to ${
        this.nodeNames[0] ?? ''
      }`,
      'default-scheduler',
    );
  }

  private podEvent(
    pod: KubeObject | undefined,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
    component = 'kubelet',
  ): void {
    if (!pod) return;
    this.d.events.record({
      involved: pod,
      type,
      reason,
      message,
      component,
      host: component === 'kubelet' ? this.nodeNames[0] : undefined,
    });
  }

  private mutatePod(
    fn: (status: Record<string, unknown>, pod: KubeObject) => void,
  ): KubeObject | undefined {
    return this.d.store.mutate(PODS, this.ws.namespace, this.podName, pod => {
      const st = isRecord(pod.status) ? pod.status : {};
      fn(st, pod);
      pod.status = st;
    });
  }

  private mainContainer(
    st: Record<string, unknown>,
    patch: Record<string, unknown>,
  ): void {
    const list = Array.isArray(st.containerStatuses)
      ? (st.containerStatuses as Array<Record<string, unknown>>)
      : [];
    st.containerStatuses = list.map(c =>
      c.name === this.ws.name ? { ...c, ...patch } : c,
    );
  }

  private podConditions(
    st: Record<string, unknown>,
    ready: boolean,
    initialized = true,
  ): void {
    const t = nowIso();
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
        ...(ready ? {} : { reason: 'ContainersNotReady' }),
      },
      {
        type: 'ContainersReady',
        status: ready ? 'True' : 'False',
        lastTransitionTime: t,
        ...(ready ? {} : { reason: 'ContainersNotReady' }),
      },
      { type: 'PodScheduled', status: 'True', lastTransitionTime: t },
    ];
  }

  private containerStart(): void {
    if (this.fault === 'imagePullError') {
      this.imagePullFailure();
      return;
    }
    const secretProblem = this.secretProblem();
    if (secretProblem === 'missing-secret') {
      this.missingSecret();
      return;
    }
    const gated =
      this.fault === 'gatedModelWithoutToken' ||
      (this.model?.gated === true && secretProblem !== undefined);
    const pod = this.mutatePod(st => {
      st.phase = 'Running';
      if (Array.isArray(st.initContainerStatuses)) {
        st.initContainerStatuses = (
          st.initContainerStatuses as Array<Record<string, unknown>>
        ).map(c => ({
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
        }));
      }
      this.mainContainer(st, {
        state: { running: { startedAt: nowIso() } },
        started: false,
        ready: false,
        imageID: `${build.BASE_IMAGE}@sha256:${build.hex(32)}`,
      });
      this.podConditions(st, false);
    });
    for (const a of this.adapters) {
      this.podEvent(
        pod,
        'Normal',
        'Pulled',
        `Successfully pulled image "${a.image}"`,
      );
    }
    this.podEvent(
      pod,
      'Normal',
      'Pulling',
      `Pulling image "${build.BASE_IMAGE}"`,
    );
    this.podEvent(
      pod,
      'Normal',
      'Pulled',
      `Successfully pulled image "${build.BASE_IMAGE}"`,
    );
    this.podEvent(
      pod,
      'Normal',
      'Created',
      `Created container: ${this.ws.name}`,
    );
    this.podEvent(
      pod,
      'Normal',
      'Started',
      `Started container ${this.ws.name}`,
    );
    const backend = this.d.inference.create(this.ws.namespace, this.ws.name, {
      servedName: this.presetName
        ? servedModelName(this.presetName)
        : this.ws.name,
      hfId: this.model?.hfId ?? this.presetName,
      maxModelLen: this.model?.contextLength ?? 2048,
      runtime: this.runtime,
      legacy:
        this.runtime === 'transformers' && this.d.version.legacyTransformersApi,
      tokensPerSecond: this.d.tokensPerSecond,
      maxConcurrency: this.d.maxConcurrency,
      weightBytes: Math.round((this.model?.weightSizeGiB ?? 8) * 1024 ** 3),
    });
    // The pod's port opens now (a port-forward would reach the download /metrics); inferenceUrl() reports it once Ready.
    this.d.inference
      .listen(this.ws.namespace, this.ws.name)
      .catch(e => this.d.onError(e));
    if (gated) {
      backend.setPhase('down');
      this.crash('gated');
      return;
    }
    backend.startDownload(this.d.timings.weightsDownloadMs);
    this.after(this.d.timings.weightsDownloadMs, () =>
      this.weightsDownloaded(),
    );
  }

  /** 'missing-secret': referenced but absent; 'no-token': none referenced or no HF_TOKEN key. */
  private secretProblem(): 'missing-secret' | 'no-token' | undefined {
    if (!this.modelAccessSecret) return 'no-token';
    const secret = this.d.store.peek(
      SECRETS,
      this.ws.namespace,
      this.modelAccessSecret,
    );
    if (!secret) return 'missing-secret';
    return isRecord(secret.data) && 'HF_TOKEN' in secret.data
      ? undefined
      : 'no-token';
  }

  private missingSecret(): void {
    const message = `secret "${this.modelAccessSecret}" not found`;
    const pod = this.mutatePod(st => {
      this.mainContainer(st, {
        state: { waiting: { reason: 'CreateContainerConfigError', message } },
      });
      this.podConditions(st, false);
    });
    this.podEvent(pod, 'Warning', 'Failed', `Error: ${message}`);
    this.inferenceFailed(
      T(
        'False',
        'ContainerStartError',
        cap(
          `Pod ${this.podName} container ${this.ws.name} cannot start: CreateContainerConfigError: ${message}`,
        ),
      ),
    );
  }

  private imagePullFailure(): void {
    const target = this.adapters[0] ?? {
      name: this.ws.name,
      image: build.BASE_IMAGE,
    };
    const isInit = this.adapters.length > 0;
    const pullError = `failed to pull and unpack image "${target.image}": failed to resolve reference "${target.image}": ${target.image}: not found`;
    const pod = this.mutatePod(st => {
      const waiting = {
        state: {
          waiting: {
            reason: 'ImagePullBackOff',
            message: `Back-off pulling image "${target.image}"`,
          },
        },
      };
      if (isInit) {
        st.initContainerStatuses = (
          st.initContainerStatuses as Array<Record<string, unknown>>
        ).map(c => (c.name === target.name ? { ...c, ...waiting } : c));
      } else this.mainContainer(st, waiting);
      this.podConditions(st, false, !isInit);
    });
    this.podEvent(pod, 'Normal', 'Pulling', `Pulling image "${target.image}"`);
    this.podEvent(
      pod,
      'Warning',
      'Failed',
      `Failed to pull image "${target.image}": rpc error: code = NotFound desc = ${pullError}`,
    );
    this.podEvent(pod, 'Warning', 'Failed', 'Error: ErrImagePull');
    this.podEvent(
      pod,
      'Normal',
      'BackOff',
      `Back-off pulling image "${target.image}"`,
    );
    this.podEvent(pod, 'Warning', 'Failed', 'Error: ImagePullBackOff');
    this.inferenceFailed(
      T(
        'False',
        'ImagePullError',
        cap(
          `Pod ${this.podName} ${isInit ? 'init container' : 'container'} ${
            target.name
          } cannot pull image "${
            target.image
          }": ImagePullBackOff: Back-off pulling image "${target.image}"`,
        ),
      ),
    );
  }

  /** InferenceReady=False with a classified reason (v0.12), or the generic pending one before. */
  private inferenceFailed(classified: ConditionInput): void {
    const cond = this.d.version.classifiesPodFailures
      ? classified
      : PENDING_INFERENCE;
    const wasReady = this.status.state() === 'Ready';
    this.status.update({
      conditions: { InferenceReady: cond, WorkspaceSucceeded: PENDING_SUMMARY },
      state: wasReady ? 'NotReady' : 'Pending',
    });
  }

  private weightsDownloaded(): void {
    this.d.inference.get(this.ws.namespace, this.ws.name)?.setPhase('loading');
    if (this.fault === 'oomKilled') {
      this.d.inference.get(this.ws.namespace, this.ws.name)?.setPhase('down');
      this.crash('oom');
      // Old controllers only looked at readyReplicas, which flickered: they reported success (KAITO #1493).
      if (!this.d.version.classifiesPodFailures)
        this.after(this.d.timings.inferenceStartMs, () =>
          this.reportReady(false),
        );
      return;
    }
    this.after(this.d.timings.inferenceStartMs, () => this.inferenceReady());
  }

  /**
   * A container that keeps dying: restartCount grows with the kubelet's
   * doubling back-off, and InferenceReady says why (v0.12 classifies it).
   * 'whileReady' is KAITO #931: the Workspace keeps saying Ready meanwhile.
   */
  private crash(
    kind: 'oom' | 'gated' | 'whileReady',
    backoff = this.d.timings.crashBackoffMs,
  ): void {
    this.restarts++;
    const oom = kind === 'oom';
    const reason = oom ? 'OOMKilled' : 'Error';
    const exitCode = oom ? 137 : 1;
    const detail =
      kind === 'gated'
        ? gatedRepoMessage(this.model?.hfId ?? this.presetName ?? this.ws.name)
        : '';
    const finished = nowIso();
    const pod = this.mutatePod((st, p) => {
      this.mainContainer(st, {
        ready: false,
        started: false,
        restartCount: this.restarts,
        lastState: {
          terminated: {
            exitCode,
            reason,
            ...(detail ? { message: detail } : {}),
            startedAt: finished,
            finishedAt: finished,
          },
        },
        state: {
          waiting: {
            reason: 'CrashLoopBackOff',
            message: `back-off ${Math.max(
              1,
              Math.round(backoff / 1000),
            )}s restarting failed container=${this.ws.name} pod=${
              this.podName
            }_${this.ws.namespace}(${p.metadata.uid})`,
          },
        },
      });
      this.podConditions(st, false);
    });
    if (oom)
      this.podEvent(
        pod,
        'Warning',
        'OOMKilling',
        `Memory cgroup out of memory: Killed process (python3) in container ${this.ws.name}`,
      );
    this.podEvent(
      pod,
      'Warning',
      'BackOff',
      `Back-off restarting failed container ${this.ws.name} in pod ${
        this.podName
      }_${this.ws.namespace}(${pod?.metadata.uid ?? ''})`,
    );
    if (oom && this.d.version.classifiesPodFailures) {
      this.inferenceFailed(
        T(
          'False',
          'ContainerOOMKilled',
          cap(
            `Pod ${this.podName} container ${this.ws.name} was OOMKilled (exit code 137, restarts: ${this.restarts}): the model does not fit in GPU memory; reduce memory usage or use a larger instance type`,
          ),
        ),
      );
    } else if (kind === 'gated') {
      this.inferenceFailed(
        T(
          'False',
          'ContainerCrashLoopBackOff',
          cap(
            `Pod ${this.podName} container ${this.ws.name} is in CrashLoopBackOff (restarts: ${this.restarts}); last termination: Error (exit code 1): ${detail}`,
          ),
        ),
      );
    }
    this.after(backoff, () =>
      this.crash(kind, Math.min(backoff * 2, MAX_BACKOFF_MS)),
    );
  }

  private inferenceReady(): void {
    const backend = this.d.inference.get(this.ws.namespace, this.ws.name);
    backend?.setPhase('ready');
    void this.d.inference
      .listen(this.ws.namespace, this.ws.name)
      .catch(e => this.d.onError(e));
    this.reportReady(true);
    if (this.fault === 'crashLoopWhileReady') {
      this.after(this.d.timings.crashBackoffMs, () => {
        backend?.setPhase('down');
        this.crash('whileReady');
      });
    }
  }

  /** Marks the pod ready (when `podReady`) and writes the Ready status. */
  private reportReady(podReady: boolean): void {
    const { store, version } = this.d;
    if (podReady) {
      this.mutatePod(st => {
        this.mainContainer(st, { ready: true, started: true });
        this.podConditions(st, true);
      });
    }
    store.mutate(
      version.usesStatefulSet ? STATEFULSETS : DEPLOYMENTS,
      this.ws.namespace,
      this.ws.name,
      wl => {
        wl.status = {
          ...(wl.status as object),
          replicas: this.nodes,
          readyReplicas: this.nodes,
          availableReplicas: this.nodes,
          currentReplicas: this.nodes,
          updatedReplicas: this.nodes,
        };
      },
    );
    const benchmark =
      version.runsBenchmark &&
      this.runtime === 'vllm' &&
      this.presetName !== undefined &&
      store.peek(WORKSPACES, this.ws.namespace, this.ws.name)?.metadata
        .annotations?.['kaito.sh/disable-benchmark'] !== 'true';
    this.status.update({
      state: 'Ready',
      conditions: {
        InferenceReady: T(
          'True',
          'WorkspaceInferenceStatusSuccess',
          'Inference has been deployed successfully',
        ),
        ...(benchmark
          ? {
              BenchmarkCompleted: T(
                'True',
                'BenchmarkCompleted',
                'benchmark result has been recorded',
              ),
            }
          : {}),
        WorkspaceSucceeded: T(
          'True',
          'workspaceSucceeded',
          'workspace succeeds',
        ),
      },
      ...(benchmark
        ? {
            performance: {
              metrics: {
                peakTokensPerMinute: {
                  description:
                    'Peak output tokens per minute measured by the post-load benchmark (simulated)',
                  value: String(
                    Math.round(
                      (this.d.tokensPerSecond || 1000) *
                        60 *
                        Math.min(this.d.maxConcurrency, 8),
                    ),
                  ),
                  unit: 'tokens/min',
                  config: {
                    engine: 'vllm',
                    engineVersion: '0.25.1',
                    quantization: this.model?.quantization ?? 'none',
                  },
                },
              },
            },
          }
        : {}),
    });
  }

  // ---- tuning -------------------------------------------------------------

  private startTuning(): void {
    const { store } = this.d;
    const input = this.containerInput();
    const j = store.create(JOBS, build.job(input));
    this.podName = `${this.ws.name}-${build.hex(3).slice(0, 5)}`;
    const pod = store.create(
      PODS,
      build.pod(
        input,
        j,
        this.podName,
        {
          'job-name': this.ws.name,
          'batch.kubernetes.io/job-name': this.ws.name,
          'batch.kubernetes.io/controller-uid': j.metadata.uid!,
        },
        this.nodeNames[0] ?? '',
      ),
    );
    this.scheduledEvent(pod);
    this.status.update({
      conditions: {
        JobStarted: T(
          'False',
          'WorkspaceTuningJobStatusPending',
          'Tuning job has not started',
        ),
      },
    });
    if (this.fault === 'imagePullError') {
      this.after(this.d.timings.tuningStartMs, () =>
        this.imagePullFailureTuning(),
      );
      return;
    }
    this.after(this.d.timings.tuningStartMs, () => this.tuningRunning());
  }

  private imagePullFailureTuning(): void {
    const pod = this.mutatePod(st => {
      this.mainContainer(st, {
        state: {
          waiting: {
            reason: 'ImagePullBackOff',
            message: `Back-off pulling image "${build.BASE_IMAGE}"`,
          },
        },
      });
    });
    this.podEvent(pod, 'Warning', 'Failed', 'Error: ImagePullBackOff');
  }

  private tuningRunning(): void {
    const { store } = this.d;
    const pod = this.mutatePod(st => {
      st.phase = 'Running';
      this.mainContainer(st, {
        ready: true,
        started: true,
        state: { running: { startedAt: nowIso() } },
      });
      this.podConditions(st, true);
    });
    this.podEvent(
      pod,
      'Normal',
      'Started',
      `Started container ${this.ws.name}`,
    );
    store.mutate(JOBS, this.ws.namespace, this.ws.name, j => {
      j.status = { startTime: nowIso(), active: 1, ready: 1, terminating: 0 };
    });
    this.status.update({
      state: 'Running',
      conditions: {
        JobStarted: T(
          'True',
          'WorkspaceTuningJobStatusStarted',
          'Tuning job has started',
        ),
        WorkspaceSucceeded: T(
          'False',
          'workspacePending',
          'workspace has not completed yet, tuning job is running',
        ),
      },
    });
    this.after(this.d.timings.tuningRunMs, () =>
      this.fault === 'oomKilled' ? this.tuningFailed() : this.tuningSucceeded(),
    );
  }

  private tuningSucceeded(): void {
    const t = nowIso();
    this.mutatePod(st => {
      st.phase = 'Succeeded';
      this.mainContainer(st, {
        ready: false,
        started: false,
        state: {
          terminated: {
            exitCode: 0,
            reason: 'Completed',
            startedAt: t,
            finishedAt: t,
          },
        },
      });
      this.podConditions(st, false);
    });
    this.d.store.mutate(JOBS, this.ws.namespace, this.ws.name, j => {
      j.status = {
        ...(j.status as object),
        active: 0,
        ready: 0,
        succeeded: 1,
        completionTime: t,
        conditions: [
          {
            type: 'SuccessCriteriaMet',
            status: 'True',
            reason: 'CompletionsReached',
            message: 'Reached expected number of succeeded pods',
            lastProbeTime: t,
            lastTransitionTime: t,
          },
          {
            type: 'Complete',
            status: 'True',
            reason: 'CompletionsReached',
            message: 'Reached expected number of succeeded pods',
            lastProbeTime: t,
            lastTransitionTime: t,
          },
        ],
      };
    });
    this.status.update({
      state: 'Succeeded',
      conditions: {
        WorkspaceSucceeded: T(
          'True',
          'workspaceSucceeded',
          'workspace succeeds',
        ),
      },
    });
  }

  private tuningFailed(): void {
    const t = nowIso();
    const pod = this.mutatePod(st => {
      st.phase = 'Failed';
      this.mainContainer(st, {
        ready: false,
        started: false,
        state: {
          terminated: {
            exitCode: 137,
            reason: 'OOMKilled',
            startedAt: t,
            finishedAt: t,
          },
        },
      });
      this.podConditions(st, false);
    });
    this.podEvent(
      pod,
      'Warning',
      'OOMKilling',
      `Memory cgroup out of memory: Killed process (python3) in container ${this.ws.name}`,
    );
    this.d.store.mutate(JOBS, this.ws.namespace, this.ws.name, j => {
      j.status = {
        ...(j.status as object),
        active: 0,
        failed: 1,
        conditions: [
          {
            type: 'FailureTarget',
            status: 'True',
            reason: 'BackoffLimitExceeded',
            message: 'Job has reached the specified backoff limit',
            lastProbeTime: t,
            lastTransitionTime: t,
          },
          {
            type: 'Failed',
            status: 'True',
            reason: 'BackoffLimitExceeded',
            message: 'Job has reached the specified backoff limit',
            lastProbeTime: t,
            lastTransitionTime: t,
          },
        ],
      };
    });
    this.status.update({
      state: 'Failed',
      conditions: {
        JobStarted: T(
          'False',
          'WorkspaceTuningJobStatusFailed',
          'tuning job failed',
        ),
        WorkspaceSucceeded: T('False', 'workspaceFailed', 'tuning job failed'),
      },
    });
  }

  // ---- deletion -----------------------------------------------------------

  /** Finalizer work: NodeClaims and nodes go (they are not owned), then the finalizer. */
  finalize(): void {
    this.cancel();
    const { store } = this.d;
    this.status.update({
      conditions: {
        WorkspaceDeleting: T(
          'True',
          'workspaceDeleted',
          'workspace is being deleted',
        ),
      },
    });
    this.d.inference.remove(this.ws.namespace, this.ws.name);
    const mine = (o: KubeObject) =>
      o.metadata.labels?.[build.WORKSPACE_LABEL] === this.ws.name &&
      (o.metadata.labels?.[build.WORKSPACE_NAMESPACE_LABEL] ??
        this.ws.namespace) === this.ws.namespace;
    for (const c of store.list(NODECLAIMS).filter(mine))
      store.remove(NODECLAIMS, undefined, c.metadata.name!);
    for (const n of store
      .list(NODES)
      .filter(o => mine(o) || this.nodeNames.includes(o.metadata.name!)))
      store.remove(NODES, undefined, n.metadata.name!);
    store.mutate(WORKSPACES, this.ws.namespace, this.ws.name, ws => {
      ws.metadata.finalizers = (ws.metadata.finalizers ?? []).filter(
        f => f !== build.KAITO_FINALIZER,
      );
    });
  }
}
