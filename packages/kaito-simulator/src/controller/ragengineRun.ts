import { RAGENGINES } from '../kube/resources';
import type { KubeObject } from '../kube/types';
import type { RagRunContext, RagRunDeps } from './ragengineContext';
import type { SimulatorFault } from './faults';
import { RagNodeProvisioner } from './ragengineNodes';
import * as rag from './ragengineObjects';
import { parseRagEngineSpec } from './ragengineSpec';
import {
  RAG_CONDITIONS as T,
  RAG_STATUS as S,
  RagEngineStatusWriter,
} from './ragengineStatus';
import { RagWorkload } from './ragengineWorkload';
import { runIdentity, RunTimers } from './runTimers';

export type { RagRunDeps } from './ragengineContext';

/** The node the engine runs on when spec.compute has no instanceType (an existing system node). */
const SYSTEM_NODE = 'aks-nodepool1-12345678-vmss000000';

/**
 * One RAGEngine through the simulated controller, in the real order:
 * NodeClaim (only with compute.instanceType) → ResourceReady → Service →
 * Deployment + pod → ServiceReady → RAGEngineSucceeded.
 */
export class RagEngineRun {
  readonly id: rag.RagIdentity;
  private readonly c: RagRunContext;
  private readonly timers: RunTimers;
  private readonly nodes: RagNodeProvisioner;
  private readonly workload: RagWorkload;

  constructor(d: RagRunDeps, obj: KubeObject, fault?: SimulatorFault) {
    this.id = runIdentity(obj);
    this.timers = new RunTimers(e => d.onError(e));
    this.c = {
      d,
      id: this.id,
      spec: parseRagEngineSpec(obj),
      status: new RagEngineStatusWriter(
        d.store,
        this.id.namespace,
        this.id.name,
      ),
      fault,
      after: (ms, step) => this.timers.after(ms, step),
    };
    this.workload = new RagWorkload(this.c);
    this.nodes = new RagNodeProvisioner(this.c, node =>
      this.workload.deploy(node),
    );
  }

  start(): void {
    const { d } = this.c;
    d.store.mutate(RAGENGINES, this.id.namespace, this.id.name, obj => {
      const fin = obj.metadata.finalizers ?? [];
      if (!fin.includes(rag.RAGENGINE_FINALIZER))
        obj.metadata.finalizers = [...fin, rag.RAGENGINE_FINALIZER];
      obj.metadata.annotations = {
        ...obj.metadata.annotations,
        [rag.RAG_REVISION_ANNOTATION]: '1',
        [rag.RAG_HASH_ANNOTATION]: rag.ragSpecHash(obj.spec),
      };
      this.specHash = rag.ragSpecHash(obj.spec);
    });
    if (this.c.spec.instanceType) {
      this.nodes.start();
      return;
    }
    this.c.status.set([[T.resource, S.resourceReady]]);
    this.workload.deploy(SYSTEM_NODE);
  }

  /** The spec hash this run last acted on. */
  specHash = '';

  /** A spec update: new revision and hash annotations, the Deployment's env, the service's LLM. */
  respec(obj: KubeObject): void {
    const hash = rag.ragSpecHash(obj.spec);
    if (hash === this.specHash) return;
    this.specHash = hash;
    this.c.spec = parseRagEngineSpec(obj);
    let revision = '1';
    this.c.d.store.mutate(RAGENGINES, this.id.namespace, this.id.name, o => {
      revision = String(
        Number(o.metadata.annotations?.[rag.RAG_REVISION_ANNOTATION] ?? '0') +
          1,
      );
      o.metadata.annotations = {
        ...o.metadata.annotations,
        [rag.RAG_REVISION_ANNOTATION]: revision,
        [rag.RAG_HASH_ANNOTATION]: hash,
      };
    });
    this.workload.respec(revision);
  }

  cancel(): void {
    this.timers.cancel();
  }

  /** RAGEngineDeleting, the NodeClaim and node go (not owned), the RAG service stops, the finalizer is removed. */
  finalize(): void {
    this.cancel();
    this.c.status.set([[T.deleting, S.deleting]]);
    this.c.d.rag.remove(this.id.namespace, this.id.name);
    this.nodes.remove();
    this.c.d.store.mutate(RAGENGINES, this.id.namespace, this.id.name, obj => {
      obj.metadata.finalizers = (obj.metadata.finalizers ?? []).filter(
        f => f !== rag.RAGENGINE_FINALIZER,
      );
    });
  }
}
