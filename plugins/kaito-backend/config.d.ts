export interface Config {
  /**
   * KAITO backend plugin (`/api/kaito`). Clusters are NOT configured here:
   * they come from the Kubernetes plugin's `kubernetes.clusterLocatorMethods`
   * (types `config`, `catalog`, `localKubectlProxy`; auth providers
   * `serviceAccount`, `azure`, `localKubectlProxy`).
   */
  kaito?: {
    /**
     * RAGEngines (entities with `kaito.sh/ragengine`). The engine's Service
     * is reached like Workspaces (`kaito.inference.access`, `clusterDomain`).
     * Refusals name the key: 413 for a limit, 415 for a file type. How the
     * engine is reached (servicePort, timeouts) is declared in kaito-node.
     */
    rag?: {
      /** Most files in one upload. Default 10. */
      maxFiles?: number;
      /** Largest uploaded file, and largest JSON document text, bytes. Default 5242880 (5 MiB). */
      maxFileBytes?: number;
      /** Largest upload (all files) or JSON body, bytes. Default 20971520 (20 MiB). */
      maxTotalBytes?: number;
      /** Most documents in one JSON add, and doc_ids in one delete. Default 100. */
      maxDocuments?: number;
      /** Document additions (uploads, JSON, TechDocs) one user may have in flight at once (429 above). Default 2. */
      maxConcurrentWritesPerUser?: number;
      techdocs?: {
        /** Most TechDocs pages indexed by one `rag/techdocs` request. Default 200. */
        maxPages?: number;
      };
    };

    /** Bounds on chat and readiness traffic. Requests over a limit get 413 or 429 naming the key. */
    limits?: {
      /** Largest chat request body, bytes. Default 1048576. */
      maxBodyBytes?: number;
      /** Most messages in one chat request. Default 200. */
      maxMessages?: number;
      /**
       * Cap on max_tokens / max_completion_tokens (more answers 413). When a
       * request sets neither, the backend sends the room the model's context
       * length leaves after the prompt, at most this. Default 4096.
       */
      maxTokens?: number;
      /** Longest a chat request may take end to end, ms. Default 300000. */
      totalTimeoutMs?: number;
      /** Longest wait for the first byte and between chunks of a streamed answer, ms (whole answers: totalTimeoutMs only). Default 60000. */
      idleTimeoutMs?: number;
      /** Chat requests (streamed or not) one user may have in flight. Default 4. */
      maxConcurrentStreamsPerUser?: number;
      /** Readiness event streams one user may hold open. Default 20. */
      maxReadinessStreamsPerUser?: number;
      /** Readiness streams are closed after this long (the client reconnects), ms. Default 3600000. */
      readinessStreamMaxAgeMs?: number;
      /** SSE heartbeat comment interval, ms. Default 15000. */
      heartbeatMs?: number;
      /** Largest non-streamed answer accepted from a model server, bytes. Default 8388608. */
      maxResponseBytes?: number;
    };

    /** Caps on a chat request's OpenAI fields; a request past one gets a 400 naming the field. */
    chat?: {
      /** Characters of one message's content. Default 100000. */
      maxContentLength?: number;
      /** Largest `top_logprobs` (0-20). Default 5. */
      maxTopLogprobs?: number;
      /** Most `stop` sequences (0-16). Default 4. */
      maxStopSequences?: number;
      /** Most `tools` (0-1024). Default 128. */
      maxTools?: number;
      /** Largest `n` (1-128); each choice is a whole answer's work. Default 1. */
      maxChoices?: number;
    };

    /**
     * When set, entities may only point at Workspaces in these namespaces;
     * anything else is refused with 403. When unset, every namespace except
     * the system ones (kube-*, kaito-system, gpu-provisioner, karpenter,
     * calico-system, tigera-operator, gatekeeper-system, app-routing-system,
     * cert-manager) is allowed.
     */
    allowedNamespaces?: string[];

    cache?: {
      /**
       * How long a caller's resolved entity (catalog lookup) and permission
       * decision are reused, ms. Default 5000; 0 disables. Annotation and
       * policy changes take effect within this time.
       */
      entityTtlMs?: number;
    };

    /** Saved chat conversations (per user and entity, in the plugin database). */
    conversations?: {
      /** Serve the conversation routes and run the migrations. Default true. */
      enabled?: boolean;
      /** Most conversations one user may keep, over all entities; more answer 400. Default 200. */
      maxPerUser?: number;
      /** Most messages in one conversation; more answer 413. Default 500. */
      maxMessages?: number;
      /** Largest conversation (title, messages, settings as UTF-8 JSON), bytes; larger answer 413. Default 1048576. */
      maxBytes?: number;
      /** Delete conversations not updated for this many days (hourly task); 0 keeps them. Default 90. */
      retentionDays?: number;
    };

    /**
     * Hourly node prices for the catalog routes and pickers. Without this,
     * the built-in approximate Azure list prices (USD, pay-as-you-go, Linux;
     * see kaito-common's README) are used.
     */
    prices?: {
      /** ISO 4217 code of `entries`. Default USD; any other drops the built-in USD table. */
      currency?: string;
      /** Where `entries` come from, e.g. "Contoso EA price sheet". */
      source?: string;
      /** Date (YYYY-MM-DD) `entries` were valid on. */
      asOf?: string;
      /** Use only `entries`. Default false (entries replace or extend the built-in table). */
      replaceBuiltIn?: boolean;
      /** One price per size and region (negotiated prices, other regions). */
      entries?: Array<{
        /** VM size, e.g. Standard_NC24ads_A100_v4. */
        instanceType: string;
        /** Azure region, e.g. eastus. */
        region: string;
        /** Price of one node for one hour, in `currency`. */
        perHour: number;
      }>;
    };

    catalog?: {
      /** Region `GET /api/kaito/catalog/instance-types` prices and checks quota in when the request names none. Default eastus. */
      defaultRegion?: string;
    };

    audit?: {
      /** Put chat messages into audit events. Default false: prompts are never recorded. */
      includePrompts?: boolean;
    };
  };
}
