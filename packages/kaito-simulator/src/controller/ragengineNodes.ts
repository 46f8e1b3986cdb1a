import { NODECLAIMS, NODES } from '../kube/resources';
import { isRecord, KubeObject, nowIso } from '../kube/types';
import { RAGENGINE_LABEL } from '../rag/proxy';
import { quotaExceededMessage } from './faults';
import * as build from './objects';
import type { RagRunContext } from './ragengineContext';
import { ragFaultAt } from './ragengineFaults';
import * as rag from './ragengineObjects';
import { RAG_CONDITIONS as T, RAG_STATUS as S } from './ragengineStatus';

/**
 * The node part of a RAGEngine with compute.instanceType: one NodeClaim
 * (labelled kaito.sh/ragengine), its node, and the NodeClaimReady /
 * ResourceReady conditions; a quota fault leaves the claim unlaunched.
 */
export class RagNodeProvisioner {
  private claim?: string;
  nodeName?: string;

  constructor(
    private readonly c: RagRunContext,
    private readonly onReady: (nodeName: string) => void,
  ) {}

  start(): void {
    const { spec } = this.c;
    this.c.status.set([[T.nodeClaim, S.nodeClaimPending]]);
    const claim = build.nodeClaim(
      this.c.id,
      spec.instanceType!,
      spec.matchLabels,
    );
    claim.metadata.name = `rag${build.hex(5).slice(0, 9)}`;
    claim.metadata.labels = this.relabel(claim.metadata.labels);
    this.claim = this.c.d.store.create(NODECLAIMS, claim).metadata.name!;
    this.c.after(this.c.d.timings.nodeLaunchMs, () => this.launch());
  }

  private relabel(labels: Record<string, string> = {}): Record<string, string> {
    const out = { ...labels };
    delete out[build.WORKSPACE_LABEL];
    delete out[build.WORKSPACE_NAMESPACE_LABEL];
    return {
      ...out,
      [RAGENGINE_LABEL]: this.c.id.name,
      [rag.RAGENGINE_NAMESPACE_LABEL]: this.c.id.namespace,
    };
  }

  private claimCondition(
    type: string,
    status: string,
    reason: string,
    message = '',
  ): void {
    if (!this.claim) return;
    this.c.d.store.mutate(NODECLAIMS, undefined, this.claim, c => {
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
    if (ragFaultAt(this.c.fault, 'launch')) {
      const message = quotaExceededMessage({
        family: this.c.spec.quotaFamily,
        location: this.c.d.location,
        vCPUs: this.c.spec.vCPUs,
        nodes: 1,
      });
      this.claimCondition('Launched', 'Unknown', 'LaunchFailed', message);
      // CheckNodeClaimStatus gives up after its timeout; the three conditions carry its error.
      this.c.after(this.c.d.timings.crashBackoffMs, () => {
        const err = `check nodeClaim status timed out. nodeClaim ${this.claim} is not ready`;
        this.c.status.set([
          [T.nodeClaim, S.nodeClaimCheckFailed(err)],
          [T.resource, S.resourceFailed(err)],
          [T.succeeded, S.failed(err)],
        ]);
      });
      return;
    }
    this.claimCondition('Launched', 'True', 'Launched');
    this.c.after(this.c.d.timings.nodeRegisterMs, () => {
      const claim = this.c.d.store.peek(NODECLAIMS, undefined, this.claim!);
      if (!claim) return;
      const node = build.node(
        claim,
        this.c.spec.instanceType!,
        this.c.spec.gpus,
        this.c.id,
      );
      node.metadata.labels = this.relabel(node.metadata.labels);
      const name = this.c.d.store.create(NODES, node).metadata.name!;
      this.claimCondition('Registered', 'True', 'Registered');
      this.nodeName = name;
      this.c.after(this.c.d.timings.nodeReadyMs, () => this.nodeReady(name));
    });
  }

  private nodeReady(name: string): void {
    this.claimCondition('Initialized', 'True', 'Initialized');
    this.claimCondition('Ready', 'True', 'Ready');
    this.c.d.store.mutate(NODES, undefined, name, n => {
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
    this.c.status.set([[T.nodeClaim, S.nodeClaimReady]], [name]);
    this.c.status.set([[T.resource, S.resourceReady]]);
    this.onReady(name);
  }

  /** Finalizer work: the NodeClaim and node are not owned, so they are deleted by label. */
  remove(): void {
    const { store } = this.c.d;
    const mine = (o: KubeObject) =>
      o.metadata.labels?.[RAGENGINE_LABEL] === this.c.id.name &&
      o.metadata.labels?.[rag.RAGENGINE_NAMESPACE_LABEL] ===
        this.c.id.namespace;
    for (const c of store.list(NODECLAIMS).filter(mine))
      store.remove(NODECLAIMS, undefined, c.metadata.name!);
    for (const n of store.list(NODES).filter(mine))
      store.remove(NODES, undefined, n.metadata.name!);
  }
}
