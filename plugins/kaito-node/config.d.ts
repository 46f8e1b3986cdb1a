export interface Config {
  /**
   * The `kaito.*` keys kaito-node reads (clusters, watches, inference and
   * RAGEngine access, external targets, Azure). kaito-backend declares the
   * keys only it reads (limits, chat caps, conversations, prices, ...).
   */
  kaito?: {
    inference?: {
      /**
       * How the backend reaches a Workspace's model server: through the API
       * server's service proxy (works from anywhere, needs `services/proxy`
       * RBAC), or by cluster DNS `http://<ws>.<ns>.svc.<clusterDomain>`
       * (Backstage runs inside the cluster). Default `serviceProxy`.
       */
      access?: 'serviceProxy' | 'clusterDns';
      /** Service port name or number used through the service proxy. Default `http`. */
      servicePort?: string;
      /** Cluster DNS domain for `clusterDns`. Default `cluster.local`. */
      clusterDomain?: string;
      /** How long a detected protocol and model list are cached, in ms. Default 60000. */
      detectTtlMs?: number;
    };

    /**
     * RAGEngines (entities with `kaito.sh/ragengine`): how the engine is
     * reached. Access and cluster domain follow `kaito.inference`. Upload
     * limits (`maxFiles`, ...) are kaito-backend's.
     */
    rag?: {
      /** Service port name or number of the engine, through the service proxy. Default `http`. */
      servicePort?: string;
      /** Deadline for reading from and deleting in an engine, ms. Default 30000. */
      timeoutMs?: number;
      /** Deadline for indexing (the engine embeds every chunk), ms. Default 120000. */
      indexTimeoutMs?: number;
      /** Largest answer read from an engine (not chat: kaito.limits.maxResponseBytes), bytes. Default 8388608. */
      maxResponseBytes?: number;
      /** How often a RAGEngine with open readiness streams is read (object, pods, events), ms; shared by its viewers. Default 3000. */
      pollIntervalMs?: number;
    };

    clusters?: {
      /** How long clusters found by the `catalog` locator are cached, ms. Default 30000. */
      catalogRefreshMs?: number;
    };

    /**
     * OpenAI-compatible endpoints (e.g. Azure OpenAI) an entity may use
     * instead of a Workspace, with the annotation `kaito.sh/external-target: <name>`.
     */
    externalTargets?: Array<{
      /** Name entities refer to. */
      name: string;
      /** OpenAI base URL including `/v1` (Azure: `https://<resource>.openai.azure.com/openai/v1`). */
      baseUrl: string;
      /**
       * API key sent to the endpoint.
       * @visibility secret
       */
      apiKey?: string;
      /** Header carrying the key: `authorization` (Bearer, default) or `api-key` (Azure). */
      apiKeyHeader?: 'authorization' | 'api-key';
      /** Model (Azure: deployment) used when the request names none. */
      model?: string;
      /**
       * Field that carries the completion limit: `max_completion_tokens`
       * (default; OpenAI and Azure OpenAI, whose reasoning models refuse
       * `max_tokens`) or `max_tokens` (older OpenAI-compatible servers).
       */
      maxTokensField?: 'max_tokens' | 'max_completion_tokens';
    }>;

    /** The shared Workspace watches (one per cluster and resource type). */
    watch?: {
      /** Server-side watch timeout, seconds; the watch then resumes from its resourceVersion. Default 300. */
      timeoutSeconds?: number;
      /** Watch pods labelled `kaito.sh/workspace` (detects crash loops behind InferenceReady). Default true. */
      pods?: boolean;
      /** Watch Karpenter NodeClaims labelled `kaito.sh/workspace`. Default true. */
      nodeClaims?: boolean;
      /** Which Events to watch: `warnings` (default), `all` or `none`. */
      events?: 'warnings' | 'all' | 'none';
      /** How long a request waits for a cluster's first answer, ms. Default 10000. */
      syncTimeoutMs?: number;
      /** Stop a cluster's watches after it has been unused this long, ms. Default 600000. */
      idleStopMs?: number;
      /** Re-derive readiness for viewers this often (time-based phases), ms. Default 30000. */
      recomputeIntervalMs?: number;
      backoff?: {
        /** First retry delay after a failed list or watch, ms. Default 500. */
        minMs?: number;
        /** Longest retry delay, ms. Default 30000. */
        maxMs?: number;
      };
      /** Reading the log of a crashed inference container, so readiness can name the cause. */
      containerLogs?: {
        /** Read pods/log at all. Default true. */
        enabled?: boolean;
        /** Lines from the end of the log (`tailLines`), 1..1000. Default 50. */
        tailLines?: number;
        /** Bytes at most (`limitBytes`), 1..1048576. Default 16384. */
        limitBytes?: number;
        /** A crash-looping container's log is read again at most this often, ms. Default 30000. */
        refreshMs?: number;
        /** Time allowed for one read, ms. Default 10000. */
        timeoutMs?: number;
      };
    };

    /**
     * Azure access for KAITO features: the scaffolder actions
     * `kaito:aks:create` and `kaito:quota:check`, catalog modules that list
     * managed clusters, and the server-side token for clusters with
     * `authProvider: azure`. Targets come from here, never from a request.
     */
    azure?: {
      /** Default subscription (GUID) for actions that do not name one. */
      subscriptionId?: string;
      /** Entra ID tenant (GUID). Required for `credential: clientSecret`. */
      tenantId?: string;
      /**
       * Application (client) id. With `clientSecret`: the service principal;
       * with `workloadIdentity`: the federated identity; with `default`: the
       * user-assigned managed identity to use.
       */
      clientId?: string;
      /**
       * Client secret of the service principal.
       * @visibility secret
       */
      clientSecret?: string;
      /**
       * `clientSecret` (ClientSecretCredential), `workloadIdentity`
       * (WorkloadIdentityCredential: AKS workload identity) or `default`
       * (DefaultAzureCredential). Default: clientSecret when a secret is set,
       * else default.
       */
      credential?: 'default' | 'clientSecret' | 'workloadIdentity';
      /** Workload identity token file; default AZURE_FEDERATED_TOKEN_FILE. */
      tokenFilePath?: string;
      /** Azure Resource Manager URL (https). Default https://management.azure.com. */
      armEndpoint?: string;
      /** Entra ID authority (https). Default https://login.microsoftonline.com. */
      authorityHost?: string;
      /** Skip Entra instance discovery; needed for a private authority such as the simulator. Default false. */
      disableInstanceDiscovery?: boolean;
      /** Extra CA trusted for ARM and the authority (the simulator's self-signed certificate). */
      tls?: {
        /** PEM file. A missing file is logged, not fatal. */
        caFile?: string;
        /** PEM text. */
        caPem?: string;
      };
      /** Azure SDK retry policy (429 with Retry-After and transient 5xx are retried). */
      retry?: {
        /** Default 3. */
        maxRetries?: number;
        /** Default 1000. */
        retryDelayInMs?: number;
        /** Default 64000. */
        maxRetryDelayInMs?: number;
      };
      /** How often long-running operations (cluster create) are polled, ms. Default 10000. */
      pollIntervalMs?: number;
    };
  };
}
