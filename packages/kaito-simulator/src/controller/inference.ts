import { servedModelName } from '@kaito-backstage/plugin-kaito-common';
import {
  DEPLOYMENTS,
  PODS,
  SECRETS,
  SERVICES,
  STATEFULSETS,
  WORKSPACES,
} from '../kube/resources';
import { isRecord } from '../kube/types';
import type { RunContext } from './context';
import { faultAt } from './faultTable';
import { benchmarkFailedMessage, gatedRepoMessage } from './faults';
import type { Kubelet } from './kubelet';
import * as build from './objects';
import type { PodFailure } from './release';

const MAX_BACKOFF_MS = 5 * 60 * 1000;

/** The inference lifecycle: workload → container start → weights → ready (or a fault on the way). */
export class InferenceLifecycle {
  constructor(
    private readonly c: RunContext,
    private readonly kubelet: Kubelet,
  ) {}

  private get backend() {
    return this.c.d.inference.get(this.c.ws.namespace, this.c.ws.name);
  }

  /** Services, the StatefulSet (0.8+) or Deployment, and its pod. */
  createWorkload(): void {
    const { store, version } = this.c.d;
    const { ws, spec } = this.c;
    const input = containerInput(this.c);
    for (const svc of build.inferenceServices(
      ws,
      spec.runtime,
      version.usesStatefulSet,
    )) {
      if (!store.peek(SERVICES, ws.namespace, svc.metadata.name!))
        store.create(SERVICES, svc);
    }
    const wl = store.create(
      version.usesStatefulSet ? STATEFULSETS : DEPLOYMENTS,
      build.workload(input, spec.nodes, version.usesStatefulSet),
    );
    this.c.pod.name = version.usesStatefulSet
      ? `${ws.name}-0`
      : `${ws.name}-${build.hex(5).slice(0, 10)}-${build.hex(3).slice(0, 5)}`;
    const labels: Record<string, string> = version.usesStatefulSet
      ? {
          'statefulset.kubernetes.io/pod-name': this.c.pod.name,
          'apps.kubernetes.io/pod-index': '0',
          'controller-revision-hash': `${ws.name}-${build.hex(5).slice(0, 10)}`,
        }
      : { 'pod-template-hash': build.hex(5).slice(0, 10) };
    const pod = store.create(
      PODS,
      build.pod(
        input,
        wl,
        this.c.pod.name,
        labels,
        this.c.nodes.names[0] ?? '',
      ),
    );
    this.kubelet.scheduled(pod);
    this.c.status.update(this.c.release.inferencePending());
    this.c.after(this.c.d.timings.containerStartMs, () =>
      this.containerStart(),
    );
  }

  /** 'missing-secret': named but absent; 'no-token': none named, or no HF_TOKEN key. */
  private secretProblem(): 'missing-secret' | 'no-token' | undefined {
    const name = this.c.spec.modelAccessSecret;
    if (!name) return 'no-token';
    const secret = this.c.d.store.peek(SECRETS, this.c.ws.namespace, name);
    if (!secret) return 'missing-secret';
    return isRecord(secret.data) && 'HF_TOKEN' in secret.data
      ? undefined
      : 'no-token';
  }

  private failed(failure: PodFailure): void {
    const state = this.c.status.state();
    this.c.status.update(
      this.c.release.podFailed(
        failure,
        state === 'Ready' || state === 'NotReady',
      ),
    );
  }

  private containerStart(): void {
    const { spec, d } = this.c;
    const effect = faultAt(this.c.fault, 'containerStart', 'inference');
    if (effect?.kind === 'imagePull') {
      const { container, image } = this.kubelet.imagePullBackOff();
      this.failed({
        reason: 'ImagePullError',
        message: `container "${container}" image pull failed (ImagePullBackOff): Back-off pulling image "${image}"`,
      });
      return;
    }
    const secret = this.secretProblem();
    // Up to 0.10 the HF_TOKEN secret reference is required; 0.11+ mark it optional.
    if (secret === 'missing-secret' && !d.version.optionalHfToken) {
      const message = this.kubelet.missingSecret(spec.modelAccessSecret!);
      this.failed({
        reason: 'ContainerStartError',
        message: `container "${this.c.ws.name}" failed to start (CreateContainerConfigError): ${message}`,
      });
      return;
    }
    const gated =
      effect?.kind === 'gated' ||
      (spec.model?.gated === true && secret !== undefined);
    this.kubelet.startMain();
    const backend = d.inference.create(this.c.ws.namespace, this.c.ws.name, {
      servedName: spec.presetName
        ? servedModelName(spec.presetName)
        : this.c.ws.name,
      hfId: spec.model?.hfId ?? spec.presetName,
      maxModelLen: spec.model?.contextLength ?? 2048,
      runtime: spec.runtime,
      legacy:
        spec.runtime === 'transformers' && d.version.legacyTransformersApi,
      tokensPerSecond: d.tokensPerSecond,
      maxConcurrency: d.maxConcurrency,
      weightBytes: Math.round((spec.model?.weightSizeGiB ?? 8) * 1024 ** 3),
    });
    // The pod's port opens now (a port-forward would reach the download /metrics); inferenceUrl() reports it once Ready.
    d.inference
      .listen(this.c.ws.namespace, this.c.ws.name)
      .catch(e => d.onError(e));
    if (gated) {
      backend.setPhase('down');
      // Hugging Face's 401 goes to the container log only (KAITO sets no termination-message policy).
      this.kubelet.log([
        'INFO Automatically detected platform cuda.',
        'Traceback (most recent call last):',
        gatedRepoMessage(spec.model?.hfId ?? spec.presetName ?? this.c.ws.name),
      ]);
      this.crashLoop('error');
      return;
    }
    backend.startDownload(d.timings.weightsDownloadMs);
    this.c.after(d.timings.weightsDownloadMs, () => this.weightsLoaded());
  }

  private weightsLoaded(): void {
    this.backend?.setPhase('loading');
    const effect = faultAt(this.c.fault, 'weightsLoaded', 'inference');
    if (effect?.kind === 'crash') {
      this.backend?.setPhase('down');
      if (effect.exit === 'oom')
        this.kubelet.log([
          'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB.',
        ]);
      this.crashLoop(effect.exit);
      // ≤ 0.8 watched readyReplicas, which flickered, and reported success (KAITO #1493).
      if (effect.exit === 'oom' && !this.c.d.version.syncsStatus)
        this.c.after(this.c.d.timings.inferenceStartMs, () =>
          this.reportReady(false),
        );
      return;
    }
    this.c.after(this.c.d.timings.inferenceStartMs, () => this.becomeReady());
  }

  /** The container keeps dying with the kubelet's doubling back-off; the release reports it its way. */
  private crashLoop(
    exit: 'oom' | 'error',
    backoff = this.c.d.timings.crashBackoffMs,
  ): void {
    this.kubelet.crash(exit === 'oom', backoff);
    const name = this.c.ws.name;
    this.failed(
      exit === 'oom'
        ? {
            reason: 'ContainerOOMKilled',
            message: `container "${name}" was OOMKilled (exit code 137); reduce memory usage or use a larger instance type`,
          }
        : {
            reason: 'ContainerCrashLoopBackOff',
            message: `container "${name}" is in CrashLoopBackOff; last termination: exit code 1`,
          },
    );
    this.c.after(backoff, () =>
      this.crashLoop(exit, Math.min(backoff * 2, MAX_BACKOFF_MS)),
    );
  }

  private becomeReady(): void {
    const backend = this.backend;
    backend?.setPhase('ready');
    void this.c.d.inference
      .listen(this.c.ws.namespace, this.c.ws.name)
      .catch(e => this.c.d.onError(e));
    this.reportReady(true);
    if (faultAt(this.c.fault, 'afterReady', 'inference')?.kind === 'crash') {
      this.c.after(this.c.d.timings.crashBackoffMs, () => {
        backend?.setPhase('down');
        this.crashLoop('error');
      });
    }
  }

  /** Marks the pod ready (when `podReady`) and writes the Ready status. */
  private reportReady(podReady: boolean): void {
    const { store, version } = this.c.d;
    const { ws, spec } = this.c;
    if (podReady) this.kubelet.markReady();
    store.mutate(
      version.usesStatefulSet ? STATEFULSETS : DEPLOYMENTS,
      ws.namespace,
      ws.name,
      wl => {
        wl.status = {
          ...(wl.status as object),
          replicas: spec.nodes,
          readyReplicas: spec.nodes,
          availableReplicas: spec.nodes,
          currentReplicas: spec.nodes,
          updatedReplicas: spec.nodes,
        };
      },
    );
    const benchmark = this.c.release.benchmarks({
      vllmPreset: spec.runtime === 'vllm' && spec.presetName !== undefined,
      annotations:
        store.peek(WORKSPACES, ws.namespace, ws.name)?.metadata.annotations ??
        {},
    });
    if (
      benchmark &&
      faultAt(this.c.fault, 'benchmark', 'inference')?.kind ===
        'benchmarkFailed'
    ) {
      const pod = version.usesStatefulSet ? `${ws.name}-0` : ws.name;
      this.c.status.update(
        this.c.release.benchmarkFailed(
          benchmarkFailedMessage(ws.namespace, pod),
        ),
      );
      return;
    }
    this.c.status.update({
      ...this.c.release.ready(benchmark),
      ...(benchmark ? { performance: this.performance() } : {}),
    });
  }

  private performance(): Record<string, unknown> {
    const { d, spec } = this.c;
    return {
      metrics: {
        peakTokensPerMinute: {
          description:
            'Peak output tokens per minute measured by the post-load benchmark (simulated)',
          value: String(
            Math.round(
              (d.tokensPerSecond || 1000) * 60 * Math.min(d.maxConcurrency, 8),
            ),
          ),
          unit: 'tokens/min',
          config: {
            engine: 'vllm',
            engineVersion: '0.25.1',
            quantization: spec.model?.quantization ?? 'none',
          },
        },
      },
    };
  }
}

export function containerInput(c: RunContext): build.ContainerSpecInput {
  return {
    ws: c.ws,
    presetName: c.spec.presetName,
    gpus: c.spec.gpus,
    adapters: c.spec.adapters,
    modelAccessSecret: c.spec.modelAccessSecret,
    tuning: c.spec.mode === 'tuning',
  };
}
