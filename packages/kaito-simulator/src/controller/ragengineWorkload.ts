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
      this.podState(
        pod,
        fault === 'imagePull'
          ? {
              waiting: {
                reason: 'ImagePullBackOff',
                message: `Back-off pulling image "${rag.RAG_IMAGE}"`,
              },
            }
          : {
              waiting: {
                reason: 'CrashLoopBackOff',
                message: `back-off 10s restarting failed container=${this.c.id.name} pod=${pod.metadata.name}`,
              },
            },
        false,
      );
      const event = (reason: string, message: string) =>
        this.c.d.events.record({
          involved: pod,
          type: 'Warning',
          reason,
          message,
          component: 'kubelet',
          host: String((pod.spec as { nodeName?: string }).nodeName),
        });
      if (fault === 'imagePull') {
        event(
          'Failed',
          `Failed to pull image "${rag.RAG_IMAGE}": rpc error: code = NotFound desc = failed to pull and unpack image "${rag.RAG_IMAGE}": not found`,
        );
        event('Failed', 'Error: ImagePullBackOff');
      } else
        event(
          'BackOff',
          `Back-off restarting failed container ${this.c.id.name} in pod ${pod.metadata.name}`,
        );
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

  private podState(
    pod: KubeObject,
    state: Record<string, unknown>,
    ready: boolean,
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
      ).map(c => ({ ...c, ready, started: ready, state }));
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
