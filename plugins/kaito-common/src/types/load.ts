/**
 * A model server's live load, summarised from its Prometheus `/metrics`
 * (vLLM's `vllm:*` series). Rates come from two scrapes; fields a runtime
 * does not report are absent.
 */
export interface WorkspaceLoad {
  /** When the server was scraped (ISO 8601). */
  observedAt: string;
  /** `vllm` when the server publishes vLLM metrics; `unsupported` otherwise (e.g. the Transformers runtime's JSON /metrics). */
  source: 'vllm' | 'unsupported';
  /** Requests being generated (`vllm:num_requests_running`). */
  requestsRunning?: number;
  /** Requests queued (`vllm:num_requests_waiting`). */
  requestsWaiting?: number;
  /** KV-cache usage, 0 to 1 (`vllm:kv_cache_usage_perc`, or `vllm:gpu_cache_usage_perc` on older vLLM). */
  kvCacheUsage?: number;
  /** Prompt tokens per second between the last two scrapes. */
  promptTokensPerSecond?: number;
  /** Generated tokens per second between the last two scrapes. */
  generationTokensPerSecond?: number;
  /** Mean time to first token in seconds: over the last interval when requests started in it, else since the server started. */
  timeToFirstTokenSeconds?: number;
  /** Seconds between the two scrapes the rates come from (absent on the first scrape). */
  rateWindowSeconds?: number;
}
