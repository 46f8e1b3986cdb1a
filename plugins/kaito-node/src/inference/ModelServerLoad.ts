import { WorkspaceLoad } from '@kaito-backstage/plugin-kaito-common';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { readBody } from '../kubernetes/KubernetesClient';
import { InferenceTarget } from './targets';
import { UpstreamError, upstreamStatusError } from './UpstreamError';

/** The counters a summary needs from one scrape. */
interface Sample {
  at: number;
  prompt?: number;
  generation?: number;
  ttftSum?: number;
  ttftCount?: number;
}

interface Family {
  name: string;
  type: string;
  metrics: Array<{
    value?: string;
    count?: string;
    sum?: string;
    labels?: Record<string, string>;
  }>;
}

export interface ModelServerLoadOptions {
  /** How long one scrape answers every caller (default 2 s). */
  cacheTtlMs?: number;
  /** Deadline of one scrape (default 10 s). */
  timeoutMs?: number;
  /** Largest `/metrics` page read (default 4 MiB). */
  maxBytes?: number;
}

const MAX_SERVERS = 5_000;

/** Sum of a family's samples (one per model on a multi-model server). */
function total(
  families: Map<string, Family>,
  name: string,
  field: 'value' | 'count' | 'sum' = 'value',
): number | undefined {
  const f = families.get(name);
  if (!f || f.metrics.length === 0) return undefined;
  let sum = 0;
  for (const m of f.metrics) {
    const v = Number(m[field]);
    if (!Number.isFinite(v)) return undefined;
    sum += v;
  }
  return sum;
}

/**
 * A histogram's `_sum` and `_count`, read from the page itself: the text
 * parser drops them when they come before the buckets.
 */
function histogramTotals(text: string, name: string) {
  let sum: number | undefined;
  let count: number | undefined;
  const esc = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`^${esc}_(sum|count)(?:\\{[^}]*\\})? (\\S+)`, 'gm');
  for (const m of text.matchAll(re)) {
    const v = Number(m[2]);
    if (!Number.isFinite(v)) continue;
    if (m[1] === 'sum') sum = (sum ?? 0) + v;
    else count = (count ?? 0) + v;
  }
  return { sum, count };
}

const rate = (a?: number, b?: number, seconds?: number) =>
  a !== undefined && b !== undefined && seconds && b >= a
    ? (b - a) / seconds
    : undefined;

/**
 * Reads model servers' Prometheus `/metrics` through the same target the
 * chat relay uses (service proxy or cluster DNS) and summarises their load.
 * One scrape per server answers all callers for `cacheTtlMs`; rates come
 * from the previous scrape of the same server.
 */
export class ModelServerLoad {
  readonly #ttl: number;
  readonly #timeout: number;
  readonly #maxBytes: number;
  readonly #servers = new Map<
    string,
    {
      last?: Sample;
      summary?: { at: number; load: WorkspaceLoad };
      pending?: Promise<WorkspaceLoad>;
    }
  >();

  constructor(options: ModelServerLoadOptions = {}) {
    this.#ttl = options.cacheTtlMs ?? 2_000;
    this.#timeout = options.timeoutMs ?? 10_000;
    this.#maxBytes = options.maxBytes ?? 4 * 1024 * 1024;
  }

  /** The load of the server behind `target`, from cache when fresh. */
  async read(target: InferenceTarget): Promise<WorkspaceLoad> {
    let state = this.#servers.get(target.id);
    if (!state) {
      if (this.#servers.size >= MAX_SERVERS)
        this.#servers.delete(this.#servers.keys().next().value!);
      state = {};
      this.#servers.set(target.id, state);
    }
    const s = state;
    if (s.summary && Date.now() - s.summary.at < this.#ttl)
      return s.summary.load;
    s.pending ??= this.#scrape(target, s).finally(() => {
      s.pending = undefined;
    });
    return s.pending;
  }

  async #scrape(
    target: InferenceTarget,
    state: { last?: Sample; summary?: { at: number; load: WorkspaceLoad } },
  ): Promise<WorkspaceLoad> {
    let res;
    try {
      res = await target.send('/metrics', {
        method: 'GET',
        headers: { accept: 'text/plain' },
        signal: AbortSignal.timeout(this.#timeout),
      });
    } catch (error) {
      throw new UpstreamError(
        'unreachable',
        `${target.label} did not answer /metrics: ${(error as Error).message}`,
        502,
      );
    }
    const text = await readBody(res, this.#maxBytes);
    const status = res.statusCode ?? 0;
    if (status < 200 || status >= 300)
      throw upstreamStatusError(target.label, status, text);
    const now = Date.now();
    const observedAt = new Date(now).toISOString();
    const type = String(res.headers['content-type'] ?? '');
    let families: Map<string, Family>;
    try {
      if (type.includes('json')) throw new Error('JSON metrics');
      families = new Map(
        (parsePrometheusTextFormat(text) as Family[]).map(f => [f.name, f]),
      );
    } catch {
      families = new Map();
    }
    if (![...families.keys()].some(n => n.startsWith('vllm:'))) {
      const load: WorkspaceLoad = { observedAt, source: 'unsupported' };
      state.summary = { at: now, load };
      return load;
    }
    const ttft = histogramTotals(text, 'vllm:time_to_first_token_seconds');
    const sample: Sample = {
      at: now,
      prompt: total(families, 'vllm:prompt_tokens_total'),
      generation: total(families, 'vllm:generation_tokens_total'),
      ttftSum: ttft.sum,
      ttftCount: ttft.count,
    };
    const prev = state.last;
    const window = prev ? (now - prev.at) / 1000 : undefined;
    let ttftSeconds: number | undefined;
    if (sample.ttftCount && sample.ttftSum !== undefined) {
      const dCount =
        prev?.ttftCount !== undefined ? sample.ttftCount - prev.ttftCount : 0;
      ttftSeconds =
        dCount > 0 && prev?.ttftSum !== undefined
          ? (sample.ttftSum - prev.ttftSum) / dCount
          : sample.ttftSum / sample.ttftCount;
    }
    const load: WorkspaceLoad = {
      observedAt,
      source: 'vllm',
      requestsRunning: total(families, 'vllm:num_requests_running'),
      requestsWaiting: total(families, 'vllm:num_requests_waiting'),
      kvCacheUsage:
        total(families, 'vllm:kv_cache_usage_perc') ??
        total(families, 'vllm:gpu_cache_usage_perc'),
      promptTokensPerSecond: rate(prev?.prompt, sample.prompt, window),
      generationTokensPerSecond: rate(
        prev?.generation,
        sample.generation,
        window,
      ),
      timeToFirstTokenSeconds: ttftSeconds,
      rateWindowSeconds: window,
    };
    for (const k of Object.keys(load) as Array<keyof WorkspaceLoad>)
      if (load[k] === undefined) delete load[k];
    // (A counter that went down, a restarted server, gives no rate: see rate().)
    state.last = sample;
    state.summary = { at: now, load };
    return load;
  }
}
