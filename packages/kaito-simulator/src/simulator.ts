import { AKS_AUDIENCE, ArmFaults, startArmSimulator } from './arm';
import { generateToken, RunningCluster, startCluster } from './cluster';
import { checkFaults, SimulatorFault } from './controller/faults';
import { resolveTimings, SimulatorTimings } from './controller/timings';
import { ControllerVersion } from './controller/version';
import type { KaitoAdmissionMode } from './kube/admission';

export interface SimulatorOptions {
  /** Loopback address to listen on. Default '127.0.0.1'. */
  host?: string;
  /** Kubernetes API port; 0 (default) picks a free one. */
  port?: number;
  /** 'test' (default, milliseconds), 'demo' (tens of seconds) or explicit values. */
  timings?: 'test' | 'demo' | Partial<SimulatorTimings>;
  /** Scripted faults by `<namespace>/<workspace name>` (or RAGEngine name). */
  faults?: Record<string, SimulatorFault>;
  /** KAITO release to imitate: '0.12.0' (default), '0.8.0', '0.3.0', ... */
  controllerVersion?: string;
  /**
   * How KAITO is installed, for its admission webhook (main cluster): node
   * auto-provisioning (default true; false means BYO nodes) and feature gates
   * such as `{ disableNodeAutoProvisioning: true }`.
   */
  admission?: KaitoAdmissionMode;
  /** Bearer token the API server accepts; generated when omitted. */
  token?: string;
  inference?: {
    /** Streaming pace; 0 = unthrottled. Default: 0 with test timings, 30 otherwise. */
    tokensPerSecond?: number;
    /** Concurrent requests per inference server before 429 (vLLM max-num-seqs). Default 16. */
    maxConcurrency?: number;
  };
  /** Also serve the Azure Resource Manager subset (HTTPS, self-signed) on its own port. */
  arm?:
    | boolean
    | {
        subscriptionId?: string;
        quotas?: Record<string, number>;
        port?: number;
        /** Entra stand-in: tenant and the service principal it accepts. */
        entra?: { tenantId?: string; clientId?: string; clientSecret?: string };
        /** Minimum time a cluster operation stays in progress (default 50 ms). */
        operationDelayMs?: number;
      };
  /** Objects (namespaces, secrets, Workspaces, ...) to create at start. */
  seed?: Array<object>;
  /** Azure region quoted in the main cluster's quota errors. Default 'eastus'. */
  location?: string;
  /** Watch events kept for resuming watches; older resourceVersions get 410 Gone. Default 5000. */
  watchHistory?: number;
  /** Where internal problems are reported. Default: console.warn. */
  log?: (message: string) => void;
}

export interface RunningSimulator {
  /** Kubernetes API base URL, e.g. http://127.0.0.1:41234. */
  url: string;
  token: string;
  /** YAML kubeconfig for the simulated cluster. */
  kubeconfig: string;
  /** ARM base URL (https, self-signed) when `arm` is enabled. */
  armUrl?: string;
  /** PEM of the ARM server's certificate, to trust it. */
  armCaPem?: string;
  /**
   * The Entra ID stand-in at `armUrl` (set it as `authorityHost`): clusters
   * created through ARM accept its tokens for the AKS audience.
   */
  entra?: { tenantId: string; clientId: string; clientSecret: string };
  /** Scripted ARM faults (429/5xx answers, failed operations). */
  armFaults?: ArmFaults;
  /** Kubernetes API URLs of the clusters created through ARM, by `<resourceGroup>/<name>` (lower case). */
  armClusters(): Record<string, string>;
  /** Direct loopback URL of a ready workspace's inference server. */
  inferenceUrl(namespace: string, name: string): string | undefined;
  /** Test hook: cuts every open watch stream on the main cluster (a forced disconnect). Returns how many. */
  disconnectWatches(): number;
  /** Test hook: appends lines to a container's log on the main cluster, served by the pods/log API. */
  writeContainerLog(
    namespace: string,
    pod: string,
    container: string,
    lines: string[],
  ): void;
  stop(): Promise<void>;
}

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|localhost)$/;

function positiveInt(
  value: unknown,
  what: string,
  allowZero = false,
): number | undefined {
  if (value === undefined) return undefined;
  if (
    typeof value !== 'number' ||
    !Number.isInteger(value) ||
    value < (allowZero ? 0 : 1)
  ) {
    throw new Error(
      `kaito-simulator: ${what} must be ${
        allowZero ? 'a non-negative' : 'a positive'
      } integer, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/**
 * Starts a simulated AKS + KAITO cluster (and optionally the ARM subset) on
 * loopback. Every cluster created through ARM becomes another simulated
 * Kubernetes API server with its own port and token.
 */
export async function startSimulator(
  options: SimulatorOptions = {},
): Promise<RunningSimulator> {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK.test(host)) {
    throw new Error(
      `kaito-simulator: host must be a loopback address (127.0.0.1, ::1 or localhost), got ${JSON.stringify(
        host,
      )}`,
    );
  }
  const port = positiveInt(options.port, 'port', true) ?? 0;
  if (port > 65535)
    throw new Error(`kaito-simulator: port must be at most 65535, got ${port}`);
  const timings = resolveTimings(options.timings);
  const version = new ControllerVersion(options.controllerVersion ?? '0.12.0');
  const faults = checkFaults(options.faults);
  if (
    options.token !== undefined &&
    (typeof options.token !== 'string' ||
      !/^[\x21-\x7e]{8,}$/.test(options.token))
  ) {
    throw new Error(
      'kaito-simulator: token must be at least 8 printable characters without spaces',
    );
  }
  const rate = options.inference?.tokensPerSecond;
  if (
    rate !== undefined &&
    (typeof rate !== 'number' || !Number.isFinite(rate) || rate < 0)
  ) {
    throw new Error(
      `kaito-simulator: inference.tokensPerSecond must be a number >= 0, got ${JSON.stringify(
        rate,
      )}`,
    );
  }
  const tokensPerSecond =
    rate ??
    (options.timings === undefined || options.timings === 'test' ? 0 : 30);
  const maxConcurrency =
    positiveInt(
      options.inference?.maxConcurrency,
      'inference.maxConcurrency',
    ) ?? 16;
  const watchHistory =
    positiveInt(options.watchHistory, 'watchHistory') ?? 5000;
  const log =
    options.log ?? ((m: string) => console.warn(`kaito-simulator: ${m}`));
  if (options.seed !== undefined && !Array.isArray(options.seed)) {
    throw new Error(
      'kaito-simulator: seed must be an array of Kubernetes objects',
    );
  }

  const common = {
    host,
    timings,
    version,
    faults,
    tokensPerSecond,
    maxConcurrency,
    watchHistory,
    log,
  };
  const main = await startCluster({
    ...common,
    admission: options.admission,
    port,
    token: options.token ?? generateToken(),
    name: 'kaito-simulator',
    kaito: true,
    location: options.location ?? 'eastus',
  });
  const armClusters = new Map<string, RunningCluster>();
  const stopAll = async (armStop?: () => Promise<void>) => {
    await armStop?.();
    await Promise.all([...armClusters.values()].map(c => c.stop()));
    await main.stop();
  };

  try {
    main.seed(options.seed ?? []);
  } catch (e) {
    await stopAll();
    throw e;
  }

  let arm: Awaited<ReturnType<typeof startArmSimulator>> | undefined;
  if (options.arm) {
    const armOpts = typeof options.arm === 'object' ? options.arm : {};
    const key = (rg: string, name: string) => `${rg}/${name}`.toLowerCase();
    try {
      arm = await startArmSimulator({
        host,
        port: positiveInt(armOpts.port, 'arm.port', true) ?? 0,
        subscriptionId: armOpts.subscriptionId,
        quotas: armOpts.quotas,
        entra: armOpts.entra,
        operationDelayMs: armOpts.operationDelayMs,
        createCluster: async req => {
          const cluster = await startCluster({
            ...common,
            faults: {},
            port: 0,
            token: generateToken(),
            // Entra-enabled AKS: the portal's Entra token for the AKS server app works.
            acceptToken: token => !!arm?.entra.verify(token, AKS_AUDIENCE),
            name: req.name,
            kaito: req.kaitoEnabled,
            location: req.location,
          });
          armClusters.set(key(req.resourceGroup, req.name), cluster);
          return {
            server: cluster.url,
            token: cluster.token,
            kubeconfig: cluster.kubeconfig,
          };
        },
        updateCluster: async req => {
          if (req.kaitoEnabled)
            armClusters.get(key(req.resourceGroup, req.name))?.enableKaito();
        },
        deleteCluster: async req => {
          const k = key(req.resourceGroup, req.name);
          const cluster = armClusters.get(k);
          armClusters.delete(k);
          await cluster?.stop();
        },
        logger: { warn: log },
      });
    } catch (e) {
      await stopAll();
      throw e;
    }
  }

  let stopped: Promise<void> | undefined;
  return {
    url: main.url,
    token: main.token,
    kubeconfig: main.kubeconfig,
    ...(arm
      ? {
          armUrl: arm.url,
          armCaPem: arm.caPem,
          entra: {
            tenantId: arm.entra.tenantId,
            clientId: arm.entra.clientId,
            clientSecret: arm.entra.clientSecret,
          },
          armFaults: arm.faults,
        }
      : {}),
    armClusters: () =>
      Object.fromEntries([...armClusters].map(([k, c]) => [k, c.url])),
    inferenceUrl: (namespace, name) => main.inferenceUrl(namespace, name),
    disconnectWatches: () => main.disconnectWatches(),
    writeContainerLog: (namespace, pod, container, lines) =>
      main.writeContainerLog(namespace, pod, container, lines),
    stop() {
      stopped ??= stopAll(arm ? () => arm!.stop() : undefined);
      return stopped;
    },
  };
}
