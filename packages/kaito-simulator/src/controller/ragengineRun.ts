import {
  DEPLOYMENTS,
  NODECLAIMS,
  NODES,
  PODS,
  RAGENGINES,
  SERVICES,
} from '../kube/resources';
import type { ObjectStore } from '../kube/store';
import { isRecord, KubeObject, nowIso } from '../kube/types';
import type { RagRegistry } from '../rag/registry';
import type { WorkspaceResolver } from '../rag/llm';
import type { EventRecorder } from './events';
import { quotaExceededMessage, SimulatorFault } from './faults';
import * as build from './objects';
import { ragFaultAt } from './ragengineFaults';
import * as rag from './ragengineObjects';
import { parseRagEngineSpec, RagEngineSpec } from './ragengineSpec';
import {
  RAG_CONDITIONS as T,
  RAG_STATUS as S,
  RagEngineStatusWriter,
} from './ragengineStatus';
import type { SimulatorTimings } from './timings';

export interface RagRunDeps {
  store: ObjectStore;
  timings: SimulatorTimings;
  rag: RagRegistry;
  resolveWorkspace: WorkspaceResolver;
  events: EventRecorder;
  location: string;
  onError(err: unknown): void;
}

/** The node the engine runs on when spec.compute has no instanceType (an existing system node). */
const SYSTEM_NODE = 'aks-nodepool1-12345678-vmss000000';

/**
 * One RAGEngine through the simulated controller, in the real order:
 * NodeClaim (only with compute.instanceType) → ResourceReady → Service →
 * Deployment + pod → ServiceReady → RAGEngineSucceeded.
 */
export class RagEngineRun {
  readonly id: rag.RagIdentity;
  private readonly spec: RagEngineSpec;
  private readonly status: RagEngineStatusWriter;
  private readonly timers = new Set<NodeJS.Timeout>();
  private claim?: string;
  private nodeName = SYSTEM_NODE;

  constructor(
    private readonly d: RagRunDeps,
    obj: KubeObject,
    private readonly fault?: SimulatorFault,
  ) {
    const m = obj.metadata;
    this.id = {
      namespace: m.namespace!,
      name: m.name!,
      uid: m.uid!,
      apiVersion: String(obj.apiVersion),
    };
    this.spec = parseRagEngineSpec(obj);
    this.status = new RagEngineStatusWriter(
      d.store,
      this.id.namespace,
      this.id.name,
    );
  }

  start(): void {
    this.d.store.mutate(RAGENGINES, this.id.namespace, this.id.name, obj => {
      const fin = obj.metadata.finalizers ?? [];
      if (!fin.includes(rag.RAGENGINE_FINALIZER))
        obj.metadata.finalizers = [...fin, rag.RAGENGINE_FINALIZER];
      obj.metadata.annotations = {
        ...obj.metadata.annotations,
        [rag.RAG_REVISION_ANNOTATION]: '1',
        [rag.RAG_HASH_ANNOTATION]: rag.ragSpecHash(obj.spec),
      };
    });
    if (!this.spec.instanceType) {
      this.status.set([[T.resource, S.resourceReady]]);
      this.deploy();
      return;
    }
    this.status.set([[T.nodeClaim, S.nodeClaimPending]]);
    const claim = build.nodeClaim(
      this.wsLike(),
      this.spec.instanceType,
      this.spec.matchLabels,
    );
    claim.metadata.name = `rag${build.hex(5).slice(0, 9)}`;
    claim.metadata.labels = this.relabel(claim.metadata.labels);
    this.claim = this.d.store.create(NODECLAIMS, claim).metadata.name!;
    this.after(this.d.timings.nodeLaunchMs, () => this.launch());
  }

  private wsLike(): build.WorkspaceIdentity {
    return { ...this.id };
  }

  private relabel(labels: Record<string, string> = {}): Record<string, string> {
    const out = { ...labels };
    delete out[build.WORKSPACE_LABEL];
    delete out[build.WORKSPACE_NAMESPACE_LABEL];
    return {
      ...out,
      'kaito.sh/ragengine': this.id.name,
      [rag.RAGENGINE_NAMESPACE_LABEL]: this.id.namespace,
    };
  }

  private claimCondition(
    type: string,
    status: string,
    reason: string,
    message = '',
  ): void {
    if (!this.claim) return;
    this.d.store.mutate(NODECLAIMS, undefined, this.claim, c => {
      const st = isRecord(c.status) ? c.status : {};
      const list = Array.isArray(st.conditions)
        ? (st.conditions as Array<Record<string, unknown>>)
        : [];
      st.conditions = list.map(x =>
        x.type === type
          ? { ...x, status, reason, message, lastTransitionTime: nowIso() }
          : x,
      );
      c.status = st;
    });
  }

  private launch(): void {
    if (ragFaultAt(this.fault, 'launch')) {
      const message = quotaExceededMessage({
        family: this.spec.quotaFamily,
        location: this.d.location,
        vCPUs: this.spec.vCPUs,
        nodes: 1,
      });
      this.claimCondition('Launched', 'Unknown', 'LaunchFailed', message);
      // CheckNodeClaimStatus gives up after its timeout; the three conditions carry its error.
      this.after(this.d.timings.crashBackoffMs, () => {
        const err = `check nodeClaim status timed out. nodeClaim ${this.claim} is not ready`;
        this.status.set([
          [T.nodeClaim, S.nodeClaimCheckFailed(err)],
          [T.resource, S.resourceFailed(err)],
          [T.succeeded, S.failed(err)],
        ]);
      });
      return;
    }
    this.claimCondition('Launched', 'True', 'Launched');
    this.after(this.d.timings.nodeRegisterMs, () => {
      const claim = this.d.store.peek(NODECLAIMS, undefined, this.claim!);
      if (!claim) return;
      const node = build.node(
        claim,
        this.spec.instanceType!,
        this.spec.gpus,
        this.wsLike(),
      );
      node.metadata.labels = this.relabel(node.metadata.labels);
      this.nodeName = this.d.store.create(NODES, node).metadata.name!;
      this.claimCondition('Registered', 'True', 'Registered');
      this.after(this.d.timings.nodeReadyMs, () => this.nodeReady());
    });
  }

  private nodeReady(): void {
    this.claimCondition('Initialized', 'True', 'Initialized');
    this.claimCondition('Ready', 'True', 'Ready');
    this.d.store.mutate(NODES, undefined, this.nodeName, n => {
      (n.status as Record<string, unknown>).conditions = [
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
    this.status.set([[T.nodeClaim, S.nodeClaimReady]], [this.nodeName]);
    this.status.set([[T.resource, S.resourceReady]]);
    this.deploy();
  }

  /** ensureService, then applyRAG: the Deployment and its pod. */
  private deploy(): void {
    const { store } = this.d;
    if (!store.peek(SERVICES, this.id.namespace, this.id.name))
      store.create(SERVICES, rag.ragService(this.id));
    if (!store.peek(DEPLOYMENTS, this.id.namespace, this.id.name))
      store.create(DEPLOYMENTS, rag.ragDeployment(this.id, this.spec, '1'));
    const pod = store.create(PODS, rag.ragPod(this.id, this.nodeName));
    this.after(this.d.timings.containerStartMs, () => this.containerStart(pod));
  }

  private containerStart(pod: KubeObject): void {
    const fault = ragFaultAt(this.fault, 'containerStart');
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
                message: `back-off 10s restarting failed container=${this.id.name} pod=${pod.metadata.name}`,
              },
            },
        false,
      );
      const event = (reason: string, message: string) =>
        this.d.events.record({
          involved: pod,
          type: 'Warning',
          reason,
          message,
          component: 'kubelet',
          host: this.nodeName,
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
          `Back-off restarting failed container ${this.id.name} in pod ${pod.metadata.name}`,
        );
      // The Deployment passes its progress deadline; CheckResourceStatus returns that error.
      this.after(this.d.timings.crashBackoffMs, () => {
        const rs = `${this.id.name}-${rag.replicaSetHash(this.id)}`;
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
        const err = `deployment ${this.id.name} is not progressing: ${message}`;
        this.status.set([[T.serviceFailed, S.serviceFailed(err)]]);
        this.status.set([[T.succeeded, S.failed(err)]]);
      });
      return;
    }
    this.d.rag
      .create({
        namespace: this.id.namespace,
        name: this.id.name,
        inferenceUrl: this.spec.inferenceUrl,
        contextWindow: this.spec.contextWindow,
        resolveWorkspace: this.d.resolveWorkspace,
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
    this.status.set([[T.serviceOk, S.serviceReady]]);
    this.status.set([[T.succeeded, S.succeeded]]);
  }

  private podState(
    pod: KubeObject,
    state: Record<string, unknown>,
    ready: boolean,
  ): void {
    this.d.store.mutate(PODS, this.id.namespace, pod.metadata.name!, p => {
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
    this.d.store.mutate(DEPLOYMENTS, this.id.namespace, this.id.name, dep => {
      const st = isRecord(dep.status) ? dep.status : {};
      edit(st);
      dep.status = st;
    });
  }

  private after(ms: number, step: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      try {
        step();
      } catch (e) {
        this.d.onError(e);
      }
    }, ms);
    t.unref();
    this.timers.add(t);
  }

  cancel(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  /** RAGEngineDeleting, the NodeClaim and node go (not owned), the RAG service stops, the finalizer is removed. */
  finalize(): void {
    this.cancel();
    this.status.set([[T.deleting, S.deleting]]);
    this.d.rag.remove(this.id.namespace, this.id.name);
    const { store } = this.d;
    const mine = (o: KubeObject) =>
      o.metadata.labels?.['kaito.sh/ragengine'] === this.id.name &&
      o.metadata.labels?.[rag.RAGENGINE_NAMESPACE_LABEL] === this.id.namespace;
    for (const c of store.list(NODECLAIMS).filter(mine))
      store.remove(NODECLAIMS, undefined, c.metadata.name!);
    for (const n of store.list(NODES).filter(mine))
      store.remove(NODES, undefined, n.metadata.name!);
    store.mutate(RAGENGINES, this.id.namespace, this.id.name, obj => {
      obj.metadata.finalizers = (obj.metadata.finalizers ?? []).filter(
        f => f !== rag.RAGENGINE_FINALIZER,
      );
    });
  }
}
