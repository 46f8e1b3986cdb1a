import type { ServerResponse } from 'node:http';

/** vLLM's bucket bounds for `vllm:time_to_first_token_seconds`. */
const TTFT_BUCKETS = [
  0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5,
  7.5, 10, 20, 40, 80, 160, 640, 2560,
];
/** vLLM's bucket bounds for `vllm:e2e_request_latency_seconds`. */
const E2E_BUCKETS = [
  0.3, 0.5, 0.8, 1, 1.5, 2, 2.5, 5, 10, 15, 20, 30, 40, 50, 60, 120, 240, 480,
  960, 1920, 7680,
];

class Histogram {
  readonly counts: number[];
  count = 0;
  sum = 0;
  constructor(readonly bounds: number[]) {
    this.counts = bounds.map(() => 0);
  }
  observe(v: number) {
    this.count++;
    this.sum += v;
    this.bounds.forEach((b, i) => {
      if (v <= b) this.counts[i]++;
    });
  }
  lines(name: string, labels: string): string[] {
    return [
      ...this.bounds.map(
        (b, i) =>
          `${name}_bucket{${labels},le="${b.toFixed(
            Number.isInteger(b) ? 1 : 3,
          )}"} ${this.counts[i]}`,
      ),
      `${name}_bucket{${labels},le="+Inf"} ${this.count}`,
      `${name}_count{${labels}} ${this.count}`,
      `${name}_sum{${labels}} ${this.sum}`,
    ];
  }
}

interface InFlight {
  arrived: number;
  /** Prompt plus generated tokens held in the KV cache, once generating. */
  tokens: number;
  generating: boolean;
}

/** The totals the inference server keeps itself. */
export interface ServerTotals {
  model: string;
  promptTokens: number;
  generationTokens: number;
  requests: number;
  /** Requests served at once (`max-num-seqs`). */
  maxConcurrency: number;
  maxModelLen: number;
}

/**
 * vLLM's load metrics for the simulated server, by vLLM's own names, from
 * the requests really in flight: a request waits until its first token is
 * generated, then runs; the KV cache holds the prompt and generated tokens
 * of the running requests, out of `max-num-seqs × max-model-len` tokens.
 */
export class VllmMetrics {
  readonly #inFlight = new Map<ServerResponse, InFlight>();
  readonly #ttft = new Histogram(TTFT_BUCKETS);
  readonly #e2e = new Histogram(E2E_BUCKETS);

  /** A request entered the server (admitted by the rate limiter). */
  arrived(res: ServerResponse): void {
    this.#inFlight.set(res, {
      arrived: performance.now(),
      tokens: 0,
      generating: false,
    });
  }

  /** `generated` tokens of a request's answer exist so far. */
  generated(res: ServerResponse, promptTokens: number, generated: number) {
    const r = this.#inFlight.get(res);
    if (!r || generated <= 0) return;
    if (!r.generating) {
      r.generating = true;
      this.#ttft.observe((performance.now() - r.arrived) / 1000);
    }
    r.tokens = promptTokens + generated;
  }

  /** The request is over (answered, failed or dropped). */
  finished(res: ServerResponse): void {
    const r = this.#inFlight.get(res);
    if (!r) return;
    this.#inFlight.delete(res);
    if (r.generating) this.#e2e.observe((performance.now() - r.arrived) / 1000);
  }

  /** Prometheus text lines for the `vllm:*` families. */
  lines(t: ServerTotals): string[] {
    const labels = `model_name=${JSON.stringify(t.model)}`;
    let running = 0;
    let waiting = 0;
    let cached = 0;
    for (const r of this.#inFlight.values()) {
      if (r.generating) {
        running++;
        cached += r.tokens;
      } else waiting++;
    }
    const capacity = Math.max(1, t.maxConcurrency * t.maxModelLen);
    const usage = Math.min(1, cached / capacity);
    const family = (name: string, type: string, help: string) => [
      `# HELP ${name} ${help}`,
      `# TYPE ${name} ${type}`,
    ];
    return [
      ...family(
        'vllm:num_requests_running',
        'gauge',
        'Number of requests in model execution batches.',
      ),
      `vllm:num_requests_running{${labels}} ${running}`,
      ...family(
        'vllm:num_requests_waiting',
        'gauge',
        'Number of requests waiting to be processed.',
      ),
      `vllm:num_requests_waiting{${labels}} ${waiting}`,
      ...family(
        'vllm:kv_cache_usage_perc',
        'gauge',
        'KV-cache usage. 1 means 100 percent usage.',
      ),
      `vllm:kv_cache_usage_perc{${labels}} ${usage}`,
      ...family(
        'vllm:gpu_cache_usage_perc',
        'gauge',
        'GPU KV-cache usage. 1 means 100 percent usage (older name of vllm:kv_cache_usage_perc).',
      ),
      `vllm:gpu_cache_usage_perc{${labels}} ${usage}`,
      ...family(
        'vllm:prompt_tokens_total',
        'counter',
        'Number of prefill tokens processed.',
      ),
      `vllm:prompt_tokens_total{${labels}} ${t.promptTokens}`,
      ...family(
        'vllm:generation_tokens_total',
        'counter',
        'Number of generation tokens processed.',
      ),
      `vllm:generation_tokens_total{${labels}} ${t.generationTokens}`,
      ...family(
        'vllm:request_success_total',
        'counter',
        'Count of successfully processed requests.',
      ),
      `vllm:request_success_total{${labels}} ${t.requests}`,
      ...family(
        'vllm:time_to_first_token_seconds',
        'histogram',
        'Histogram of time to first token in seconds.',
      ),
      ...this.#ttft.lines('vllm:time_to_first_token_seconds', labels),
      ...family(
        'vllm:e2e_request_latency_seconds',
        'histogram',
        'Histogram of end to end request latency in seconds.',
      ),
      ...this.#e2e.lines('vllm:e2e_request_latency_seconds', labels),
    ];
  }
}
