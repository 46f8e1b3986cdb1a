/** A simulated AKS cluster handed back by the embedding simulator. */
export interface SimulatedClusterAccess {
  /** Kubernetes API base URL. */
  server: string;
  token: string;
  /** Complete kubeconfig YAML, returned base64-encoded by listClusterUserCredential. */
  kubeconfig: string;
}

/** What a managed-cluster create or update asks of the embedding simulator. */
export interface ClusterRequest {
  resourceGroup: string;
  name: string;
  /** Normalized region, e.g. "eastus". */
  location: string;
  /** `properties.aiToolchainOperatorProfile.enabled`. */
  kaitoEnabled: boolean;
}

export interface ArmSimulatorOptions {
  /** Loopback address or name to listen on, e.g. "127.0.0.1". */
  host: string;
  /** 0 or omitted picks a free port. */
  port?: number;
  /** Default "00000000-0000-0000-0000-000000000000". */
  subscriptionId?: string;
  /**
   * Per-region vCPU limits by quota family (usage `name.value`, compared
   * case- and space-insensitively), plus `cores` for Total Regional vCPUs.
   * Merged over the defaults in `data.ts`.
   */
  quotas?: Record<string, number>;
  /** Called once when a managed cluster is first created. */
  createCluster: (req: ClusterRequest) => Promise<SimulatedClusterAccess>;
  /**
   * Called when a PUT updates an existing cluster (e.g. enables KAITO), after
   * which the cluster keeps the access `createCluster` returned.
   */
  updateCluster?: (req: ClusterRequest) => Promise<void>;
  /** Called when a DELETE removes a cluster (stop its Kubernetes side). */
  deleteCluster?: (req: ClusterRequest) => Promise<void>;
  /** Minimum time a create/update stays in progress. Default 50 ms. */
  operationDelayMs?: number;
  /**
   * ARM's per-subscription token buckets. Defaults to ARM's published
   * figures (reads 250 refilled 25/s, writes 200 refilled 10/s); `false`
   * turns throttling off.
   */
  throttling?:
    | false
    | Partial<
        Record<
          'reads' | 'writes',
          { bucketSize: number; refillPerSecond: number }
        >
      >;
  /** Where unexpected internal errors are reported. Default console.warn. */
  logger?: { warn(message: string): void };
  /**
   * The Entra ID stand-in served on the same origin (token endpoint and
   * OpenID metadata): tenant, and the one service principal it knows.
   */
  entra?: { tenantId?: string; clientId?: string; clientSecret?: string };
}

export interface RunningArmSimulator {
  /** HTTPS base URL, e.g. https://127.0.0.1:41234 (pass as the SDK `endpoint`). */
  url: string;
  /** The self-signed certificate to trust (SDK option `tlsOptions: { ca: caPem }`). */
  caPem: string;
  /**
   * The Entra ID stand-in at `url` (use it as `authorityHost`): its tenant,
   * service principal, and a check for tokens it issued.
   */
  entra: {
    tenantId: string;
    clientId: string;
    clientSecret: string;
    verify(token: string, audience: string): boolean;
  };
  /** Scripted faults: transient 429/5xx answers and failed operations. */
  faults: import('./faults').ArmFaults;
  stop(): Promise<void>;
}

/** A parsed request as route handlers see it. */
export interface ArmRequest {
  method: string;
  /** The api-version query parameter (always present by the time a handler runs). */
  apiVersion: string;
  query: URLSearchParams;
  params: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  /** The body parsed as JSON; throws an ARM 400/415 when it is not. */
  json(): unknown;
}

export interface ArmResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type ArmHandler = (
  req: ArmRequest,
) => ArmResponse | Promise<ArmResponse>;

export interface ArmRoute {
  /**
   * Path below /subscriptions/{subscriptionId}, e.g.
   * "providers/Microsoft.Compute/locations/{location}/usages". Literal
   * segments match case-insensitively, as ARM does.
   */
  path: string;
  methods: Partial<Record<'GET' | 'PUT' | 'POST' | 'DELETE', ArmHandler>>;
}
