import { NODECLAIMS, NODES, WORKSPACES } from '../kube/resources';
import { isRecord, KubeObject, nowIso } from '../kube/types';
import type { RunContext } from './context';
import { faultAt } from './faultTable';
import { quotaExceededMessage } from './faults';
import * as build from './objects';

/** The node provisioner part (gpu-provisioner / Karpenter v1): NodeClaims → nodes. */
export class Provisioner {
  constructor(
    private readonly c: RunContext,
    private readonly onNodesReady: () => void,
  ) {}

  /** Finalizer, revision annotations, the first status and the NodeClaims. */
  start(): void {
    const { store } = this.c.d;
    store.mutate(WORKSPACES, this.c.ws.namespace, this.c.ws.name, obj => {
      const fin = obj.metadata.finalizers ?? [];
      if (!fin.includes(build.KAITO_FINALIZER))
        obj.metadata.finalizers = [...fin, build.KAITO_FINALIZER];
      obj.metadata.annotations = {
        ...obj.metadata.annotations,
        [build.REVISION_ANNOTATION]: '1',
        [build.HASH_ANNOTATION]: build.specHash(obj),
      };
    });
    this.c.status.update(this.c.release.created(this.c.spec.nodes));
    for (let i = 0; i < this.c.spec.nodes; i++) {
      const created = store.create(
        NODECLAIMS,
        build.nodeClaim(
          this.c.ws,
          this.c.spec.instanceType,
          this.c.spec.matchLabels,
        ),
      );
      this.c.nodes.claims.push(created.metadata.name!);
    }
    this.c.after(this.c.d.timings.nodeLaunchMs, () => this.launch());
  }

  private setClaimConditions(
    types: string[],
    status: 'True' | 'False' | 'Unknown',
    reason?: string,
    message?: string,
    extra?: (c: KubeObject, i: number) => void,
  ): void {
    this.c.nodes.claims.forEach((name, i) =>
      this.c.d.store.mutate(NODECLAIMS, undefined, name, claim => {
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
    const { spec } = this.c;
    if (faultAt(this.c.fault, 'launch', spec.mode)?.kind === 'launchFailed') {
      const message = quotaExceededMessage({
        family: spec.sku?.quotaFamily ?? 'StandardNCADSA100v4Family',
        location: this.c.d.location,
        vCPUs: spec.sku?.vCPUs ?? 24,
        nodes: 1,
      });
      // Karpenter v1 records a failed launch as Unknown (it retries), not False.
      this.setClaimConditions(['Launched'], 'Unknown', 'LaunchFailed', message);
      const surfaced = this.c.release.launchFailed(message);
      if (surfaced) this.c.status.update(surfaced);
      return;
    }
    this.setClaimConditions(
      ['Launched'],
      'True',
      'Launched',
      '',
      (claim, i) => {
        const st = claim.status as Record<string, unknown>;
        st.providerID = `azure:///subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/mc_kaito/providers/Microsoft.Compute/virtualMachines/${this.c.nodes.claims[i]}`;
        st.imageID =
          '/CommunityGalleries/AKSUbuntu-38d80f77-467a-481f-a8d4-09b6d4220bd2/images/2204gen2containerd/versions/202506.02.0';
        st.capacity = {
          cpu: String(spec.sku?.vCPUs ?? 24),
          'nvidia.com/gpu': String(spec.gpus),
        };
      },
    );
    this.c.after(this.c.d.timings.nodeRegisterMs, () => this.register());
  }

  private register(): void {
    const { store } = this.c.d;
    this.c.nodes.names = this.c.nodes.claims
      .map(name => {
        const claim = store.peek(NODECLAIMS, undefined, name);
        if (!claim) return '';
        return store.create(
          NODES,
          build.node(
            claim,
            this.c.spec.instanceType,
            this.c.spec.gpus,
            this.c.ws,
          ),
        ).metadata.name!;
      })
      .filter(Boolean);
    this.setClaimConditions(
      ['Registered'],
      'True',
      'Registered',
      '',
      (claim, i) => {
        (claim.status as Record<string, unknown>).nodeName =
          this.c.nodes.names[i];
      },
    );
    this.c.status.update({ workerNodes: this.c.nodes.names });
    this.c.after(this.c.d.timings.nodeReadyMs, () => this.nodesReady());
  }

  private nodesReady(): void {
    this.setClaimConditions(['Initialized', 'Ready'], 'True');
    for (const n of this.c.nodes.names) {
      this.c.d.store.mutate(NODES, undefined, n, node => {
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
    this.c.status.update(this.c.release.nodesReady(this.c.spec.nodes));
    this.onNodesReady();
  }

  /** Finalizer work: NodeClaims and nodes go (they are not owned). */
  removeNodes(): void {
    const { store } = this.c.d;
    const mine = (o: KubeObject) =>
      o.metadata.labels?.[build.WORKSPACE_LABEL] === this.c.ws.name &&
      (o.metadata.labels?.[build.WORKSPACE_NAMESPACE_LABEL] ??
        this.c.ws.namespace) === this.c.ws.namespace;
    for (const c of store.list(NODECLAIMS).filter(mine))
      store.remove(NODECLAIMS, undefined, c.metadata.name!);
    for (const n of store
      .list(NODES)
      .filter(o => mine(o) || this.c.nodes.names.includes(o.metadata.name!)))
      store.remove(NODES, undefined, n.metadata.name!);
  }
}
