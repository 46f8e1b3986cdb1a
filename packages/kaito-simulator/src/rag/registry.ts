import { RagBackend, RagBackendOptions } from './server';

/** The RAG services of one cluster, one per RAGEngine (its Deployment's pod). */
export class RagRegistry {
  private readonly backends = new Map<string, RagBackend>();

  create(opts: RagBackendOptions): RagBackend {
    this.remove(opts.namespace, opts.name);
    const backend = new RagBackend(opts);
    this.backends.set(`${opts.namespace}/${opts.name}`, backend);
    return backend;
  }

  get(namespace: string, name: string): RagBackend | undefined {
    return this.backends.get(`${namespace}/${name}`);
  }

  remove(namespace: string, name: string): void {
    const key = `${namespace}/${name}`;
    this.backends.get(key)?.setPhase('down');
    this.backends.delete(key);
  }

  stopAll(): void {
    for (const b of this.backends.values()) b.setPhase('down');
    this.backends.clear();
  }
}
