export interface Config {
  kaito?: {
    watch?: {
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
