import { LoggerService } from '@backstage/backend-plugin-api';
import {
  ChatCompletionRequest,
  ChatCompletionResponse,
} from '@kaito-backstage/plugin-kaito-common';
import {
  InferenceUpstream,
  SseParser,
  UpstreamError,
  formatSseEvent,
} from '@kaito-backstage/plugin-kaito-node';
import { Response } from 'express';
import { IncomingMessage } from 'node:http';
import { ChatAudit, ChatOutcome } from './audit';
import { fromUpstreamError, sendError } from './errors';
import { KaitoLimits } from './limits';
import { KaitoMetrics } from './metrics';
import { startSse } from './sseResponse';

export interface ChatRelayRequest {
  res: Response;
  upstream: InferenceUpstream;
  request: ChatCompletionRequest;
  audit: ChatAudit;
  /** Called exactly once when the request is over (frees the user's slot). */
  release: () => void;
}

class ClientGone extends Error {
  readonly name = 'ClientGone';
}

/** Rough tokens for text when the model reports no usage (~4 characters a token). */
function estimateTokens(chars: number) {
  return Math.ceil(chars / 4);
}

function promptChars(request: ChatCompletionRequest) {
  let n = 0;
  for (const m of request.messages) {
    if (typeof m.content === 'string') n += m.content.length;
    else if (Array.isArray(m.content)) {
      for (const p of m.content as Array<{ text?: unknown }>) {
        if (typeof p?.text === 'string') n += p.text.length;
      }
    }
  }
  return n;
}

/**
 * Relays one chat request to a model server. Streams are forwarded event by
 * event as they arrive (only an unfinished event is held back); the upstream
 * request is aborted as soon as the caller goes away or a time limit passes.
 * Failures before the first byte become a JSON error; after it, a final SSE
 * event `data: {"error": {...}}` that OpenAI clients raise as an error.
 */
export class ChatRelay {
  constructor(
    private readonly limits: KaitoLimits,
    private readonly metrics: KaitoMetrics,
    private readonly logger: LoggerService,
  ) {}

  async relay(r: ChatRelayRequest): Promise<void> {
    const { res, upstream, request, audit } = r;
    const metrics = this.metrics.forEntity(audit.entityRef);
    const stream = request.stream === true;
    const started = performance.now();
    const ac = new AbortController();
    const abort = (reason: Error) => {
      if (!ac.signal.aborted) ac.abort(reason);
    };
    const total = setTimeout(
      () =>
        abort(
          new UpstreamError(
            'timeout',
            `The answer took longer than ${this.limits.totalTimeoutMs} ms (kaito.limits.totalTimeoutMs)`,
            504,
          ),
        ),
      this.limits.totalTimeoutMs,
    );
    // The idle deadline moves with every chunk; rather than re-arming a timer
    // per chunk, the timer checks the last chunk's time when it fires.
    let lastActivity = performance.now();
    const idleTimeout = () =>
      new UpstreamError(
        'timeout',
        `${upstream.target.label} sent nothing for ${this.limits.idleTimeoutMs} ms (kaito.limits.idleTimeoutMs)`,
        504,
      );
    let idle: NodeJS.Timeout | undefined = undefined;
    const onIdle = () => {
      const quiet = performance.now() - lastActivity;
      if (quiet >= this.limits.idleTimeoutMs - 1) abort(idleTimeout());
      else idle = setTimeout(onIdle, this.limits.idleTimeoutMs - quiet);
    };
    idle = setTimeout(onIdle, this.limits.idleTimeoutMs);
    const touch = () => {
      lastActivity = performance.now();
    };
    const onClose = () => {
      if (!res.writableFinished)
        abort(new ClientGone('the caller disconnected'));
    };
    res.on('close', onClose);
    // The caller may have left while the entity, body and upstream were resolved.
    if (res.destroyed) onClose();

    let headersSent = false;
    let firstTokenAt: number | undefined;
    let tokensOut = 0;
    let outChars = 0;
    let usage:
      | { prompt_tokens?: number; completion_tokens?: number }
      | undefined;
    let protocol = 'openai';
    let model = request.model;
    let maxTokens = request.max_completion_tokens ?? request.max_tokens;
    let finished = false;

    const finish = (outcome: ChatOutcome, error?: Error) => {
      if (finished) return;
      finished = true;
      clearTimeout(total);
      clearTimeout(idle);
      res.off('close', onClose);
      r.release();
      metrics.streamEnded();
      const now = performance.now();
      const tokensIn =
        usage?.prompt_tokens ?? estimateTokens(promptChars(request));
      const out =
        usage?.completion_tokens ?? (tokensOut || estimateTokens(outChars));
      if (outcome !== 'completed' && outcome !== 'rejected')
        metrics.error(outcome);
      metrics.completed({
        outcome,
        protocol,
        tokensIn,
        tokensOut: out,
        generationMs:
          firstTokenAt !== undefined ? now - firstTokenAt : undefined,
      });
      void audit.finish({
        outcome,
        protocol,
        model,
        maxTokens,
        tokensIn,
        tokensOut: out,
        tokenSource: usage ? 'usage' : 'estimate',
        durationMs: Math.round(now - started),
        timeToFirstTokenMs:
          firstTokenAt !== undefined
            ? Math.round(firstTokenAt - started)
            : undefined,
        error,
      });
    };

    const fail = (error: unknown) => {
      const reason = ac.signal.aborted ? ac.signal.reason : undefined;
      if (reason instanceof ClientGone || error instanceof ClientGone) {
        finish('client_aborted', reason ?? (error as Error));
        if (!res.writableEnded) res.destroy();
        return;
      }
      let e: UpstreamError;
      if (error instanceof UpstreamError) e = error;
      else if (reason instanceof UpstreamError) e = reason;
      else {
        e = new UpstreamError(
          'unreachable',
          `${upstream.target.label} dropped the connection before the answer was complete`,
          502,
        );
      }
      abort(e);
      finish(e.kind, e);
      // The caller's own mistakes and the model server's refusals are
      // answered, not warned about; only faults on the way to the model are.
      const line = `Chat relay to ${upstream.target.label} failed (${e.kind}): ${e.message}`;
      if (e.kind === 'invalid_request') this.logger.info(line);
      else if (e.kind !== 'rate_limited' && e.kind !== 'upstream_rejected') {
        this.logger.warn(line);
      }
      if (res.writableEnded || res.destroyed) return;
      if (!headersSent) {
        sendError(res, fromUpstreamError(e));
      } else {
        res.end(
          formatSseEvent({
            data: JSON.stringify({
              error: { message: e.message, type: 'server_error', code: e.kind },
            }),
          }),
        );
      }
    };

    const noteFirstToken = () => {
      if (firstTokenAt === undefined) {
        firstTokenAt = performance.now();
        metrics.firstToken(firstTokenAt - started);
      }
    };

    metrics.streamStarted();
    let result;
    try {
      const answer = upstream.chat(request, ac.signal, {
        maxTokens: this.limits.maxTokens,
      });
      // Audit once the request has left (after this tick's I/O), while the
      // model works, not before it.
      setImmediate(() => audit.start());
      result = await answer;
    } catch (error) {
      fail(error);
      return;
    }
    touch();
    protocol = result.protocol;
    model = result.model;
    maxTokens = result.maxTokens;

    if (result.protocol === 'legacy') {
      noteFirstToken();
      outChars = result.completion.choices[0]?.message.content?.length ?? 0;
      this.#sendCompletion(res, result.completion, stream);
      finish('completed');
      return;
    }

    const response = result.response;
    const type = String(response.headers['content-type'] ?? '');
    if (stream && type.includes('text/event-stream')) {
      this.#relaySse(response, res, {
        onHeaders: () => {
          headersSent = true;
        },
        onChunk: touch,
        onContent: () => {
          noteFirstToken();
          tokensOut++;
        },
        onUsage: u => {
          usage = u;
        },
        onEnd: () => finish('completed'),
        onFail: fail,
        label: upstream.target.label,
      });
      return;
    }
    if (!type.includes('json')) {
      response.resume();
      fail(
        new UpstreamError(
          'invalid_response',
          `${upstream.target.label} answered with content type "${
            type.slice(0, 60) || 'none'
          }" instead of ${stream ? 'text/event-stream' : 'application/json'}`,
          502,
        ),
      );
      return;
    }
    // A JSON answer: read it whole (bounded), check it, pass it on.
    let text: string;
    try {
      text = await readBounded(response, this.limits.maxResponseBytes, touch);
    } catch (error) {
      fail(error);
      return;
    }
    let completion: ChatCompletionResponse;
    try {
      completion = JSON.parse(text);
      if (!Array.isArray(completion?.choices)) throw new Error('no choices');
    } catch {
      fail(
        new UpstreamError(
          'invalid_response',
          `${upstream.target.label} answered with a body that is not a chat completion`,
          502,
        ),
      );
      return;
    }
    noteFirstToken();
    usage = completion.usage;
    outChars = String(completion.choices[0]?.message?.content ?? '').length;
    if (stream) {
      this.#sendCompletion(res, completion, true);
    } else {
      res.status(200).type('application/json').end(text);
    }
    finish('completed');
  }

  /** Sends a whole completion as JSON, or as an OpenAI chunk stream. */
  #sendCompletion(
    res: Response,
    completion: ChatCompletionResponse,
    stream: boolean,
  ) {
    if (!stream) {
      res.status(200).json(completion);
      return;
    }
    startSse(res);
    const base = {
      id: completion.id,
      object: 'chat.completion.chunk',
      created: completion.created,
      model: completion.model,
    };
    const choice = completion.choices[0];
    res.write(
      formatSseEvent({
        data: JSON.stringify({
          ...base,
          choices: [
            {
              index: 0,
              delta: {
                role: 'assistant',
                content: choice?.message.content ?? '',
              },
              finish_reason: null,
            },
          ],
        }),
      }),
    );
    res.write(
      formatSseEvent({
        data: JSON.stringify({
          ...base,
          choices: [
            {
              index: 0,
              delta: {},
              finish_reason: choice?.finish_reason ?? 'stop',
            },
          ],
          ...(completion.usage ? { usage: completion.usage } : {}),
        }),
      }),
    );
    res.end(formatSseEvent({ data: '[DONE]' }));
  }

  #relaySse(
    upstreamRes: IncomingMessage,
    res: Response,
    h: {
      onHeaders(): void;
      onChunk(): void;
      onContent(): void;
      onUsage(u: { prompt_tokens?: number; completion_tokens?: number }): void;
      onEnd(): void;
      onFail(error: unknown): void;
      label: string;
    },
  ) {
    const parser = new SseParser();
    let sawDone = false;
    let headers = false;
    let ended = false;
    const invalid = (why: string) =>
      new UpstreamError(
        'invalid_response',
        `${h.label} sent an invalid event stream (${why})`,
        502,
      );
    const stop = (error: unknown) => {
      if (ended) return;
      ended = true;
      upstreamRes.removeAllListeners('data');
      upstreamRes.destroy();
      h.onFail(error);
    };
    // Returns an error when the events break the protocol. Every event must
    // be a JSON object or [DONE]. The first event, and any carrying usage or
    // an error, is parsed in full; the rest get a structural check, which
    // catches HTML pages and truncated JSON at a fraction of the cost.
    let checked = 0;
    const inspect = (events: { data: string }[]): UpstreamError | undefined => {
      for (const ev of events) {
        const data = ev.data;
        if (data === '[DONE]') {
          sawDone = true;
          continue;
        }
        if (
          data.charCodeAt(0) !== 123 /* { */ ||
          data.charCodeAt(data.length - 1) !== 125 /* } */
        ) {
          return invalid('an event is not a JSON object');
        }
        if (
          checked++ === 0 ||
          data.includes('"usage":{') ||
          data.includes('"error"')
        ) {
          let obj: any;
          try {
            obj = JSON.parse(data);
          } catch {
            return invalid('an event is not JSON');
          }
          if (obj.usage && typeof obj.usage === 'object') h.onUsage(obj.usage);
        }
        if (hasContent(data)) h.onContent();
      }
      return undefined;
    };
    const write = (raw: string) => {
      if (!headers) {
        headers = true;
        startSse(res);
        h.onHeaders();
      }
      if (!res.write(raw)) {
        // Slow caller: stop reading upstream until its socket drains.
        upstreamRes.pause();
        res.once('drain', () => upstreamRes.resume());
      }
    };
    upstreamRes.on('data', (chunk: Buffer) => {
      h.onChunk();
      let parsed;
      try {
        parsed = parser.push(chunk);
      } catch (error) {
        stop(invalid((error as Error).message));
        return;
      }
      if (!parsed.raw) return;
      const problem = inspect(parsed.events);
      if (problem) {
        stop(problem);
        return;
      }
      write(parsed.raw);
    });
    upstreamRes.on('end', () => {
      if (ended) return;
      let tail;
      try {
        tail = parser.flush();
      } catch (error) {
        stop(invalid((error as Error).message));
        return;
      }
      if (tail.raw) {
        const problem = inspect(tail.events);
        if (problem) {
          stop(problem);
          return;
        }
        write(tail.raw);
      }
      if (!sawDone) {
        stop(
          new UpstreamError(
            'unreachable',
            `${h.label} closed the stream before the answer was complete`,
            502,
          ),
        );
        return;
      }
      ended = true;
      if (!headers) {
        startSse(res);
        h.onHeaders();
      }
      res.end();
      h.onEnd();
    });
    const broken = (error?: unknown) =>
      stop(error ?? new Error('connection reset'));
    upstreamRes.on('error', broken);
    upstreamRes.on('aborted', () => broken());
  }
}

/** True when a chunk's delta carries non-empty content (or reasoning). */
function hasContent(data: string): boolean {
  for (const key of ['"content":"', '"reasoning_content":"']) {
    const i = data.indexOf(key);
    if (i >= 0 && data.charCodeAt(i + key.length) !== 34 /* " */) return true;
  }
  return false;
}

function readBounded(
  res: IncomingMessage,
  max: number,
  onChunk: () => void,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (c: Buffer) => {
      onChunk();
      size += c.length;
      if (size > max) {
        // Reject before destroying: destroy() emits 'aborted' at once, which
        // would otherwise settle this as a dropped connection.
        reject(
          new UpstreamError(
            'invalid_response',
            `The model's answer is larger than ${max} bytes (kaito.limits.maxResponseBytes)`,
            502,
          ),
        );
        res.destroy();
        return;
      }
      chunks.push(c);
    });
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', reject);
    res.on('aborted', () => reject(new Error('aborted')));
  });
}
