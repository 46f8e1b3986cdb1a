import { randomBytes } from 'node:crypto';
import { stringify } from 'yaml';
import { KaitoController } from './controller/controller';
import { EventRecorder } from './controller/events';
import { RagEngineController } from './controller/ragengineController';
import { SimulatorFault } from './controller/faults';
import { SimulatorTimings } from './controller/timings';
import { ControllerVersion } from './controller/version';
import { serviceProxy } from './inference/proxy';
import { InferenceRegistry } from './inference/registry';
import { RagRegistry } from './rag/registry';
import { workspaceResolver } from './rag/resolve';
import {
  admit,
  applyDefaults,
  generateName,
  KaitoAdmissionMode,
} from './kube/admission';
import { KubeError } from './kube/errors';
import { NAMESPACES, ResourceRegistry } from './kube/resources';
import { startApiServer } from './kube/server';
import { ObjectStore } from './kube/store';
import { isRecord, KubeObject } from './kube/types';

export interface ClusterOptions {
  host: string;
  port: number;
  token: string;
  /** Also accept these bearer tokens (AKS with Entra ID accepts Entra tokens). */
  acceptToken?: (token: string) => boolean;
  /** Name used in the kubeconfig (cluster, user and context). */
  name: string;
  kaito: boolean;
  timings: SimulatorTimings;
  version: ControllerVersion;
  faults: Record<string, SimulatorFault>;
  location: string;
  tokensPerSecond: number;
  maxConcurrency: number;
  watchHistory: number;
  /** The KAITO operator's mode (node auto-provisioning, feature gates), for its webhook. */
  admission?: KaitoAdmissionMode;
  log(message: string): void;
}

export interface RunningCluster {
  url: string;
  token: string;
  kubeconfig: string;
  inferenceUrl(namespace: string, name: string): string | undefined;
  /** Creates objects as trusted seed data (namespaces are created as needed). */
  seed(objects: unknown[]): void;
  /** Installs the KAITO add-on (CRD + controller) on a running cluster. */
  enableKaito(): void;
  disconnectWatches(): number;
  /** Test hook: appends lines to a container's log, served by the pods/log API (a scripted crash's output). */
  writeContainerLog(
    namespace: string,
    pod: string,
    container: string,
    lines: string[],
  ): void;
  stop(): Promise<void>;
}

export function generateToken(): string {
  return `sim-${randomBytes(24).toString('base64url')}`;
}

function kubeconfig(name: string, url: string, token: string): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    // client-node refuses plain http unless TLS verification is explicitly skipped.
    clusters: [
      { name, cluster: { server: url, 'insecure-skip-tls-verify': true } },
    ],
    users: [{ name, user: { token } }],
    contexts: [
      { name, context: { cluster: name, user: name, namespace: 'default' } },
    ],
    'current-context': name,
    preferences: {},
  });
}

/** One simulated cluster: API server, object store, KAITO controller and inference pods. */
export async function startCluster(o: ClusterOptions): Promise<RunningCluster> {
  const store = new ObjectStore(o.watchHistory);
  const registry = new ResourceRegistry(o.kaito);
  const inference = new InferenceRegistry(o.host);
  const rag = new RagRegistry();
  for (const ns of [
    'default',
    'kube-system',
    'kube-public',
    'kube-node-lease',
  ]) {
    const obj: KubeObject = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: ns },
    };
    applyDefaults(obj, NAMESPACES);
    store.create(NAMESPACES, obj);
  }
  let controller: KaitoController | undefined;
  let ragController: RagEngineController | undefined;
  const containerLogs = new Map<string, string>();
  const startController = () => {
    controller = new KaitoController({
      store,
      inference,
      timings: o.timings,
      version: o.version,
      faults: o.faults,
      location: o.location,
      tokensPerSecond: o.tokensPerSecond,
      maxConcurrency: o.maxConcurrency,
      logs: containerLogs,
      onError: e =>
        o.log(
          `controller error: ${e instanceof Error ? e.message : String(e)}`,
        ),
    });
    controller.start();
    ragController = new RagEngineController(
      {
        store,
        timings: o.timings,
        rag,
        resolveWorkspace: workspaceResolver(store, inference),
        events: new EventRecorder(store),
        location: o.location,
        logs: containerLogs,
        onError: e =>
          o.log(
            `ragengine controller error: ${
              e instanceof Error ? e.message : String(e)
            }`,
          ),
      },
      o.faults,
    );
    ragController.start();
  };
  if (o.kaito) startController();

  const api = await startApiServer({
    host: o.host,
    port: o.port,
    token: o.token,
    acceptToken: o.acceptToken,
    store,
    registry,
    bookmarkIntervalMs: o.timings.bookmarkIntervalMs,
    proxy: serviceProxy(store, inference, rag),
    kaito: o.admission,
    podLog: (namespace, pod, container) =>
      containerLogs.get(`${namespace}/${pod}/${container}`),
  });

  const seedOne = (raw: unknown, index: number) => {
    if (
      !isRecord(raw) ||
      typeof raw.apiVersion !== 'string' ||
      typeof raw.kind !== 'string' ||
      !isRecord(raw.metadata)
    ) {
      throw new Error(
        `kaito-simulator: seed[${index}] must be a Kubernetes object with apiVersion, kind and metadata`,
      );
    }
    const r = registry.byKind(raw.apiVersion, raw.kind);
    if (!r) {
      throw new Error(
        `kaito-simulator: seed[${index}] has kind ${raw.kind} (${raw.apiVersion}), which this cluster does not serve`,
      );
    }
    const obj = structuredClone(raw) as KubeObject;
    const ns = r.namespaced
      ? String(obj.metadata.namespace ?? 'default')
      : undefined;
    if (r.namespaced) obj.metadata.namespace = ns;
    if (ns && !store.peek(NAMESPACES, undefined, ns))
      seedOne(
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
        index,
      );
    generateName(obj);
    if (
      r === NAMESPACES &&
      store.peek(NAMESPACES, undefined, String(obj.metadata.name))
    )
      return;
    delete obj.metadata.resourceVersion;
    try {
      admit(obj, {
        resource: r,
        apiVersion: raw.apiVersion,
        namespace: ns,
        kaito: o.admission,
      });
      applyDefaults(obj, r);
      obj.apiVersion = `${r.group ? `${r.group}/` : ''}${r.versions[0]}`;
      store.create(r, obj);
    } catch (e) {
      const why = e instanceof KubeError ? e.message : String(e);
      throw new Error(
        `kaito-simulator: seed[${index}] (${raw.kind} ${String(
          obj.metadata.name,
        )}) was rejected: ${why}`,
      );
    }
  };

  return {
    url: api.url,
    token: o.token,
    kubeconfig: kubeconfig(o.name, api.url, o.token),
    inferenceUrl: (namespace, name) => inference.url(namespace, name),
    seed: objects => objects.forEach((obj, i) => seedOne(obj, i)),
    enableKaito() {
      if (registry.kaitoInstalled) return;
      registry.installKaito();
      startController();
    },
    disconnectWatches: () => api.disconnectWatches(),
    writeContainerLog(namespace, pod, container, lines) {
      const key = `${namespace}/${pod}/${container}`;
      containerLogs.set(
        key,
        `${containerLogs.get(key) ?? ''}${lines.join('\n')}\n`,
      );
    },
    async stop() {
      controller?.stop();
      ragController?.stop();
      rag.stopAll();
      await inference.stopAll();
      await api.stop();
    },
  };
}
