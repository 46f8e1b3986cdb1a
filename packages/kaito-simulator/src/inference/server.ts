import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { generate, Generation, promptTokenCount } from './generator';
import { BodyError, json, openAiError, readJsonBody } from './http';
import { handleLegacyChat } from './legacy';
import { VllmMetrics } from './vllmMetrics';
import {
  ChunkWriter,
  chatCompletion,
  completionBudget,
  parseChatRequest,
} from './openai';

/** Where a simulated inference pod is in its life. */
export type InferencePhase = 'downloading' | 'loading' | 'ready' | 'down';

export interface InferenceBackendOptions {
  servedName: string;
  /** HF id (vLLM's `root`), when known. */
  hfId?: string;
  maxModelLen: number;
  runtime: 'vllm' | 'transformers';
  /** KAITO <= v0.8 Transformers: only `POST /chat`. */
  legacy: boolean;
  /** Streaming pace; 0 means as fast as the socket takes it. */
  tokensPerSecond: number;
  /** Requests served at once before 429 (`max-num-seqs`). */
  maxConcurrency: number;
  /** Weight size, for the download gauges. */
  weightBytes: number;
}

/**
 * One workspace's inference server: vLLM (default) or Transformers routes,
 * KAITO's rate limiter, and the download-progress `/metrics` that KAITO's
 * pre-bound server exposes while weights are still downloading.
 */
export class InferenceBackend {
  phase: InferencePhase = 'downloading';
  private downloadStart = Date.now();
  private downloadMs = 0;
  private active = 0;
  private readonly counters = {
    rejected: 0,
    requests: 0,
    promptTokens: 0,
    generationTokens: 0,
  };
  private readonly startedAt = Math.floor(Date.now() / 1000);
  private readonly open = new Set<ServerResponse>();
  private readonly vllm = new VllmMetrics();

  constructor(readonly opts: InferenceBackendOptions) {}

  startDownload(durationMs: number): void {
    this.phase = 'downloading';
    this.downloadStart = Date.now();
    this.downloadMs = durationMs;
  }

  setPhase(phase: InferencePhase): void {
    this.phase = phase;
    if (phase === 'down') {
      // A crashed server drops its connections.
      for (const res of this.open) res.destroy();
      this.open.clear();
    }
  }

  /** Serves one request; `path` is the request path (with query) as the pod sees it. */
  handle(
    req: IncomingMessage,
    res: ServerResponse,
    path = req.url ?? '/',
  ): void {
    this.route(req, res, path.split('?')[0]).catch(err => {
      if (!res.headersSent)
        openAiError(res, 500, 'InternalServerError', (err as Error).message);
      else res.destroy();
    });
  }

  private async route(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
  ): Promise<void> {
    const method = req.method ?? 'GET';
    const o = this.opts;
    if (this.phase === 'downloading' || this.phase === 'loading') {
      if (path === '/metrics' && method === 'GET')
        return this.downloadMetrics(res);
      req.resume();
      return json(res, 503, {
        detail:
          this.phase === 'downloading'
            ? 'Model weights are still downloading'
            : 'Model is loading',
      });
    }
    const routes: Record<string, string> = o.legacy
      ? { '/': 'GET', '/health': 'GET', '/chat': 'POST', '/metrics': 'GET' }
      : {
          '/health': 'GET',
          '/v1/models': 'GET',
          '/v1/chat/completions': 'POST',
          '/metrics': 'GET',
          ...(o.runtime === 'vllm' ? { '/version': 'GET' } : {}),
        };
    const allowed = routes[path];
    if (!allowed) {
      req.resume();
      return json(res, 404, { detail: 'Not Found' });
    }
    if (allowed !== method) {
      req.resume();
      return json(
        res,
        405,
        { detail: 'Method Not Allowed' },
        { allow: allowed },
      );
    }
    switch (path) {
      case '/':
        return json(res, 200, { message: 'Server is running' });
      case '/health':
        if (o.runtime === 'vllm' && !o.legacy) {
          res.writeHead(200, { 'content-length': '0' });
          return void res.end();
        }
        return json(res, 200, { status: 'Healthy' });
      case '/version':
        return json(res, 200, { version: '0.25.1' });
      case '/metrics':
        return o.runtime === 'vllm' && !o.legacy
          ? this.promMetrics(res)
          : this.jsonMetrics(res);
      case '/v1/models':
        return json(res, 200, {
          object: 'list',
          data: [
            o.runtime === 'vllm'
              ? {
                  id: o.servedName,
                  object: 'model',
                  created: this.startedAt,
                  owned_by: 'vllm',
                  root: o.hfId ?? o.servedName,
                  parent: null,
                  max_model_len: o.maxModelLen,
                  permission: [],
                }
              : {
                  id: o.servedName,
                  object: 'model',
                  created: this.startedAt,
                  owned_by: 'kaito',
                },
          ],
        });
      case '/chat':
        return this.limited(
          res,
          () => handleLegacyChat(req, res, o.servedName, o.tokensPerSecond),
          req,
        );
      default:
        return this.limited(res, () => this.chat(req, res), req);
    }
  }

  /** KAITO's rate limiter: only inference routes count, and only they get 429. */
  private async limited(
    res: ServerResponse,
    fn: () => Promise<void>,
    req: IncomingMessage,
  ): Promise<void> {
    const max = this.opts.maxConcurrency;
    if (this.active >= max) {
      this.counters.rejected++;
      req.resume();
      json(res, 429, {
        error: {
          message: `Too many requests: waiting queue (${
            this.active + 1
          }) exceeds max-num-seqs (${max}).`,
          type: 'requests',
          param: null,
          code: 'rate_limit_exceeded',
        },
      });
      return;
    }
    this.active++;
    this.open.add(res);
    this.vllm.arrived(res);
    try {
      await fn();
    } finally {
      this.active--;
      this.open.delete(res);
      this.vllm.finished(res);
    }
  }

  private async chat(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body: unknown;
    try {
      body = await readJsonBody(req);
    } catch (e) {
      const err = e as BodyError;
      openAiError(res, err.code, 'BadRequestError', err.message);
      return;
    }
    const params = parseChatRequest(body);
    if (typeof params === 'string') {
      openAiError(res, 400, 'BadRequestError', params);
      return;
    }
    const model = this.opts.servedName;
    if (params.model !== undefined && params.model !== model) {
      openAiError(
        res,
        404,
        'NotFoundError',
        `The model \`${params.model}\` does not exist.`,
      );
      return;
    }
    const budget = completionBudget(
      promptTokenCount(params.messages),
      params.maxTokens,
      this.opts.maxModelLen,
    );
    if (typeof budget === 'string') {
      openAiError(res, 400, 'BadRequestError', budget);
      return;
    }
    const g = generate({
      model,
      messages: params.messages,
      maxTokens: budget,
      minTokens: params.minTokens,
      stop: params.stop,
      seed: params.seed,
    });
    this.counters.requests++;
    this.counters.promptTokens += g.promptTokens;
    const id = `chatcmpl-${randomBytes(16).toString('hex')}`;
    const created = Math.floor(Date.now() / 1000);
    if (!params.stream) {
      const rate = this.opts.tokensPerSecond;
      if (rate > 0) await sleep((g.tokens.length / rate) * 1000, res);
      if (res.destroyed) return;
      this.counters.generationTokens += g.tokens.length;
      this.vllm.generated(res, g.promptTokens, g.tokens.length);
      json(res, 200, chatCompletion(id, created, model, g));
      return;
    }
    await this.stream(
      res,
      new ChunkWriter(id, created, model),
      g,
      params.includeUsage,
    );
  }

  private async stream(
    res: ServerResponse,
    w: ChunkWriter,
    g: Generation,
    includeUsage: boolean,
  ): Promise<void> {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
    });
    res.write(w.role());
    const rate = this.opts.tokensPerSecond;
    const start = Date.now();
    let sent = 0;
    while (sent < g.tokens.length) {
      if (res.destroyed) return;
      // With a rate, send what is due by now; without one, send in batches so the event loop stays fair.
      const due =
        rate > 0
          ? Math.min(
              g.tokens.length,
              Math.floor(((Date.now() - start) / 1000) * rate) + 1,
            )
          : Math.min(g.tokens.length, sent + 64);
      let frames = '';
      const before = sent;
      for (; sent < due; sent++) frames += w.content(g.tokens[sent]);
      this.counters.generationTokens += sent - before;
      this.vllm.generated(res, g.promptTokens, sent);
      const ok = frames ? res.write(frames) : true;
      if (!ok) await drained(res);
      if (sent < g.tokens.length) {
        if (rate > 0) await sleep(Math.max(1, 1000 / rate), res);
        else await new Promise(r => setImmediate(r));
      }
    }
    if (res.destroyed) return;
    let tail = w.finish(g.finishReason);
    if (includeUsage) tail += w.usage(g);
    tail += w.done();
    res.end(tail);
  }

  private downloadMetrics(res: ServerResponse): void {
    const elapsed = Date.now() - this.downloadStart;
    const remainingS =
      this.phase === 'loading'
        ? 0
        : Math.max(0, (this.downloadMs - elapsed) / 1000);
    const speed =
      this.phase === 'loading' || this.downloadMs === 0
        ? 0
        : this.opts.weightBytes / (this.downloadMs / 1000);
    const text = [
      '# HELP kaito_model_download_speed_bytes_per_second Current model download speed in bytes per second.',
      '# TYPE kaito_model_download_speed_bytes_per_second gauge',
      `kaito_model_download_speed_bytes_per_second ${speed.toFixed(1)}`,
      '# HELP kaito_model_download_remaining_seconds Estimated seconds until the model download completes (-1 when unknown).',
      '# TYPE kaito_model_download_remaining_seconds gauge',
      `kaito_model_download_remaining_seconds ${remainingS.toFixed(3)}`,
      '',
    ].join('\n');
    res.writeHead(200, {
      'content-type': 'text/plain; version=0.0.4; charset=utf-8',
      'content-length': Buffer.byteLength(text),
    });
    res.end(text);
  }

  private promMetrics(res: ServerResponse): void {
    const m = this.opts.servedName;
    const c = this.counters;
    const text = [
      ...this.vllm.lines({
        model: m,
        promptTokens: c.promptTokens,
        generationTokens: c.generationTokens,
        requests: c.requests,
        maxConcurrency: this.opts.maxConcurrency,
        maxModelLen: this.opts.maxModelLen,
      }),
      '# HELP kaito_ratelimit_rejected_total Requests rejected by the KAITO rate limiter.',
      '# TYPE kaito_ratelimit_rejected_total counter',
      `kaito_ratelimit_rejected_total ${c.rejected}`,
      '',
    ].join('\n');
    res.writeHead(200, {
      'content-type': 'text/plain; version=0.0.4; charset=utf-8',
      'content-length': Buffer.byteLength(text),
    });
    res.end(text);
  }

  private jsonMetrics(res: ServerResponse): void {
    json(res, 200, {
      gpu_info: [
        {
          id: '0',
          name: 'Simulated GPU (kaito-simulator)',
          load: `${Math.min(100, this.active * 10)}%`,
          temperature: '40 C',
          memory: { used: '0.00 GB', total: '80.00 GB' },
        },
      ],
      cpu_info: null,
    });
  }
}

function sleep(ms: number, res: ServerResponse): Promise<void> {
  return new Promise(resolve => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      res.off('close', done);
      resolve();
    }
    res.once('close', done);
  });
}

function drained(res: ServerResponse): Promise<void> {
  return new Promise(resolve => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.once('drain', done);
    res.once('close', done);
  });
}
