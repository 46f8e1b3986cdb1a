import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSimulator, RunningSimulator } from '../simulator';
import { RagBackend, RagBackendOptions } from '../rag/server';
import type { WorkspaceResolver } from '../rag/llm';
import { kube, waitFor, workspace, WS_PATH } from './http';
import { call, ragIndexBody } from './rag';

/**
 * RAG services on their own ports (what a port-forward to an engine's pod
 * gives), calling a real simulated workspace `phi` in `default`. `rag` has
 * index `docs` with the shared documents; `make` starts more.
 */
export interface RagHarness {
  sim: RunningSimulator;
  rag: ServedRag;
  make(o: Partial<RagBackendOptions>): Promise<ServedRag>;
  stop(): Promise<void>;
}

export interface ServedRag {
  url: string;
  close(): Promise<void>;
}

async function serve(backend: RagBackend): Promise<ServedRag> {
  const server = http.createServer((req, res) => backend.handle(req, res));
  await new Promise<void>(r => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, close: () => new Promise<void>(r => server.close(() => r())) };
}

export async function startRagHarness(): Promise<RagHarness> {
  const sim = await startSimulator({ log: () => {} });
  const served: ServedRag[] = [];
  const resolver: WorkspaceResolver = async (ns, ws) => {
    const url = sim.inferenceUrl(ns, ws);
    return url ? { url } : { error: ws === 'phi' ? 'refused' : 'unknownHost' };
  };
  const make = async (o: Partial<RagBackendOptions>) => {
    const b = new RagBackend({
      namespace: 'default',
      name: 'rag',
      resolveWorkspace: resolver,
      ...o,
    });
    b.setPhase('ready');
    const s = await serve(b);
    served.push(s);
    return s;
  };
  const created = await kube(
    sim,
    'POST',
    WS_PATH('default'),
    workspace('phi', 'default'),
  );
  if (created.status !== 201) throw new Error(created.text);
  await waitFor(() => sim.inferenceUrl('default', 'phi'), 'phi inference');
  const rag = await make({
    inferenceUrl: 'http://phi.default.svc.cluster.local/v1/chat/completions',
    contextWindow: 4096,
  });
  const indexed = await call(rag.url, 'POST', '/index', ragIndexBody('docs'));
  if (indexed.status !== 200) throw new Error(indexed.text);
  return {
    sim,
    rag,
    make,
    async stop() {
      await Promise.all(served.map(s => s.close()));
      await sim.stop();
    },
  };
}
