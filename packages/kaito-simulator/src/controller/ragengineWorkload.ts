import { DEPLOYMENTS, PODS, SERVICES } from '../kube/resources';
import { isRecord, KubeObject, nowIso } from '../kube/types';
import type { RagRunContext } from './ragengineContext';
import { ragFaultAt } from './ragengineFaults';
import * as rag from './ragengineObjects';
import { RAG_CONDITIONS as T, RAG_STATUS as S } from './ragengineStatus';

/**
 * The service part of a RAGEngine (ensureService + applyRAG): the Service,
 * the Deployment and its pod, the RAG service once the pod runs, and
 * ServiceReady / RAGEngineSucceeded, or the failure types when the pod
 * never gets ready.
 */
export class RagWorkload {
  constructor(private readonly c: RagRunContext) {}

  /** ensureService, then applyRAG: the Deployment and its pod. */
  deploy(nodeName: string): void {
    const { store } = this.c.d;
    if (!store.peek(SERVICES, this.c.id.namespace, this.c.id.name))
      store.create(SERVICES, rag.ragService(this.c.id));
    if (!store.peek(DEPLOYMENTS, this.c.id.namespace, this.c.id.name))
      store.create(DEPLOYMENTS, rag.ragDeployment(this.c.id, this.c.spec, '1'));
    const pod = store.create(PODS, rag.ragPod(this.c.id, nodeName));
    this.c.after(this.c.d.timings.containerStartMs, () =>
      this.containerStart(pod),
    );
  }

  private containerStart(pod: KubeObject): void {
    const fault = ragFaultAt(this.c.fault, 'containerStart');
    if (fault) {
      if (fault === 'imagePull') this.imagePullFailure(pod);
      else this.crashFailure(pod);
      // The Deployment passes its progress deadline; CheckResourceStatus returns that error.
      this.c.after(this.c.d.timings.crashBackoffMs, () => {
        const rs = `${this.c.id.name}-${rag.replicaSetHash(this.c.id)}`;
        const message = `ReplicaSet "${rs}" has timed out progressing.`;
        this.deployment(d => {
          d.conditions = (d.conditions as Array<Record<string, unknown>>).map(
            c =>
              c.type === 'Progressing'
                ? {
                    ...c,
                    status: 'False',
                    reason: 'ProgressDeadlineExceeded',
                    message,
                    lastUpdateTime: nowIso(),
                    lastTransitionTime: nowIso(),
                  }
                : c,
          );
        });
        const err = `deployment ${this.c.id.name} is not progressing: ${message}`;
        this.c.status.set([[T.serviceFailed, S.serviceFailed(err)]]);
        this.c.status.set([[T.succeeded, S.failed(err)]]);
      });
      return;
    }
    this.c.d.rag
      .create({
        namespace: this.c.id.namespace,
        name: this.c.id.name,
        inferenceUrl: this.c.spec.inferenceUrl,
        contextWindow: this.c.spec.contextWindow,
        resolveWorkspace: this.c.d.resolveWorkspace,
      })
      .setPhase('ready');
    this.log(pod, [
      'INFO:     Started server process [1]',
      'INFO:     Waiting for application startup.',
      'INFO:     Application startup complete.',
      'INFO:     Uvicorn running on http://0.0.0.0:5000 (Press CTRL+C to quit)',
    ]);
    this.podState(pod, { running: { startedAt: nowIso() } }, true);
    this.deployment(d => {
      d.readyReplicas = 1;
      d.availableReplicas = 1;
      delete d.unavailableReplicas;
      d.conditions = (d.conditions as Array<Record<string, unknown>>).map(c =>
        c.type === 'Available'
          ? {
              ...c,
              status: 'True',
              reason: 'MinimumReplicasAvailable',
              message: 'Deployment has minimum availability.',
              lastTransitionTime: nowIso(),
            }
          : c,
      );
    });
    this.c.status.set([[T.serviceOk, S.serviceReady]]);
    this.c.status.set([[T.succeeded, S.succeeded]]);
  }

  private event(pod: KubeObject, reason: string, message: string): void {
    this.c.d.events.record({
      involved: pod,
      type: 'Warning',
      reason,
      message,
      component: 'kubelet',
      host: String((pod.spec as { nodeName?: string }).nodeName),
    });
  }

  /** Appends lines to the RAG container's log (served by the pods/log API). */
  private log(pod: KubeObject, lines: string[]): void {
    const logs = this.c.d.logs;
    if (!logs) return;
    const key = `${this.c.id.namespace}/${pod.metadata.name}/${this.c.id.name}`;
    logs.set(key, `${logs.get(key) ?? ''}${lines.join('\n')}\n`);
  }

  private imagePullFailure(pod: KubeObject): void {
    const image = rag.RAG_IMAGE;
    this.podState(
      pod,
      {
        waiting: {
          reason: 'ImagePullBackOff',
          message: `Back-off pulling image "${image}"`,
        },
      },
      false,
    );
    this.event(
      pod,
      'Failed',
      `Failed to pull image "${image}": rpc error: code = NotFound desc = failed to pull and unpack image "${image}": not found`,
    );
    this.event(pod, 'Failed', 'Error: ImagePullBackOff');
  }

  /** The service exits while loading the embedding model (it cannot reach Hugging Face) and crash-loops. */
  private crashFailure(pod: KubeObject): void {
    const model = this.c.spec.modelID ?? 'BAAI/bge-small-en-v1.5';
    this.log(pod, [
      'INFO:     Started server process [1]',
      `OSError: We couldn't connect to 'https://huggingface.co' to load the files, and couldn't find them in the cached files. Check your internet connection or see how to run the library in offline mode at 'https://huggingface.co/docs/transformers/installation#offline-mode'. (model ${model})`,
    ]);
    this.podState(
      pod,
      {
        waiting: {
          reason: 'CrashLoopBackOff',
          message: `back-off 40s restarting failed container=${this.c.id.name} pod=${pod.metadata.name}`,
        },
      },
      false,
      {
        restartCount: 3,
        lastState: {
          terminated: { exitCode: 1, reason: 'Error', finishedAt: nowIso() },
        },
      },
    );
    this.event(
      pod,
      'BackOff',
      `Back-off restarting failed container ${this.c.id.name} in pod ${pod.metadata.name}`,
    );
  }

  private podState(
    pod: KubeObject,
    state: Record<string, unknown>,
    ready: boolean,
    extra: Record<string, unknown> = {},
  ): void {
    this.c.d.store.mutate(PODS, this.c.id.namespace, pod.metadata.name!, p => {
      const st = p.status as Record<string, unknown>;
      st.phase = ready ? 'Running' : 'Pending';
      st.conditions = [
        { type: 'PodScheduled', status: 'True', lastTransitionTime: nowIso() },
        { type: 'Initialized', status: 'True', lastTransitionTime: nowIso() },
        {
          type: 'ContainersReady',
          status: ready ? 'True' : 'False',
          lastTransitionTime: nowIso(),
        },
        {
          type: 'Ready',
          status: ready ? 'True' : 'False',
          lastTransitionTime: nowIso(),
        },
      ];
      st.containerStatuses = (
        st.containerStatuses as Array<Record<string, unknown>>
      ).map(c => ({ ...c, ready, started: ready, state, ...extra }));
    });
  }

  private deployment(edit: (status: Record<string, unknown>) => void): void {
    this.c.d.store.mutate(
      DEPLOYMENTS,
      this.c.id.namespace,
      this.c.id.name,
      dep => {
        const st = isRecord(dep.status) ? dep.status : {};
        edit(st);
        dep.status = st;
      },
    );
  }

  /**
   * A changed spec: KAITO bumps the revision and writes the new env into the
   * Deployment; the RAG service then talks to the new inference URL.
   */
  respec(revision: string): void {
    const { d, id, spec } = this.c;
    d.store.mutate(DEPLOYMENTS, id.namespace, id.name, dep => {
      dep.metadata.annotations = {
        ...dep.metadata.annotations,
        [rag.RAG_REVISION_ANNOTATION]: revision,
      };
      const container = (
        dep.spec as
          | { template?: { spec?: { containers?: Array<{ env?: unknown }> } } }
          | undefined
      )?.template?.spec?.containers?.[0];
      if (container) container.env = rag.ragEnv(spec);
    });
    const backend = d.rag.get(id.namespace, id.name);
    backend?.configure({
      ...backend.opts,
      inferenceUrl: spec.inferenceUrl,
      contextWindow: spec.contextWindow,
    });
  }
}
