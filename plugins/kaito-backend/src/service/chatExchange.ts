import { LoggerService } from '@backstage/backend-plugin-api';
import {
  ChatCompletionRequest,
  contentText,
} from '@kaito-backstage/plugin-kaito-common';
import {
  UpstreamChat,
  UpstreamError,
  formatSseEvent,
} from '@kaito-backstage/plugin-kaito-node';
import { Response } from 'express';
import { ChatAudit, ChatOutcome } from './audit';
import { ChatUpstream } from './chatUpstream';
import { fromUpstreamError, sendError } from './errors';
import { KaitoLimits } from './limits';
import { KaitoMetrics } from './metrics';

/** The caller went away: the request ends without an answer to send. */
export class ClientGone extends Error {
  readonly name = 'ClientGone';
}

/** Token counts a model reported in `usage`. */
export interface ChatUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
}

/** Rough tokens for text when the model reports no usage (~4 characters a token). */
function estimateTokens(chars: number) {
  return Math.ceil(chars / 4);
}

function promptChars(request: ChatCompletionRequest) {
  let n = 0;
  for (const m of request.messages) n += contentText(m.content).length;
  return n;
}

/** Usage for a server that reports none (KAITO <= 0.8's /chat), marked `estimated`. */
export function estimatedUsage(
  request: ChatCompletionRequest,
  answerChars: number,
) {
  const prompt = estimateTokens(promptChars(request));
  const completion = estimateTokens(answerChars);
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    estimated: true,
  };
}

/**
 * One chat request in flight: its deadlines, its abort signal, what the
 * answer has carried so far, and the one way it ends. `complete()` or
 * `fail()` ends it once (the user's slot, metrics and the audit event);
 * `fail()` also answers the caller: a JSON error before the first byte, a
 * final SSE error event after it.
 */
export class ChatExchange {
  readonly #ac = new AbortController();
  readonly #started = performance.now();
  readonly #total: NodeJS.Timeout;
  #idle: NodeJS.Timeout | undefined;
  #lastActivity = performance.now();
  #headersSent = false;
  #firstTokenAt: number | undefined;
  #tokensOut = 0;
  #outChars = 0;
  #usage: ChatUsage | undefined;
  #protocol = 'openai';
  #model: string | undefined;
  #maxTokens: number | undefined;
  #finished = false;
  #callerSlow = false;
  readonly #onClose = () => {
    if (!this.res.writableFinished)
      this.#abort(new ClientGone('the caller disconnected'));
  };

  constructor(
    readonly res: Response,
    readonly upstream: ChatUpstream,
    readonly request: ChatCompletionRequest,
    private readonly audit: ChatAudit,
    private readonly release: () => void,
    private readonly limits: KaitoLimits,
    private readonly metrics: KaitoMetrics,
    private readonly logger: LoggerService,
  ) {
    this.#model = request.model;
    this.#maxTokens = request.max_completion_tokens ?? request.max_tokens;
    this.#total = setTimeout(
      () =>
        this.#abort(
          new UpstreamError(
            'timeout',
            `The answer took longer than ${limits.totalTimeoutMs} ms (kaito.limits.totalTimeoutMs)`,
            504,
          ),
        ),
      limits.totalTimeoutMs,
    );
    // Between chunks of a stream. A whole answer (a request without
    // `stream`, or a legacy server's) sends nothing until it is done: only
    // the total limit bounds it.
    if (request.stream === true)
      this.#idle = setTimeout(this.#onIdle, limits.idleTimeoutMs);
    res.on('close', this.#onClose);
    // The caller may have left while the entity, body and upstream were resolved.
    if (res.destroyed) this.#onClose();
    metrics.streamStarted();
  }

  /** Aborts the upstream request when the caller leaves or a deadline passes. */
  get signal(): AbortSignal {
    return this.#ac.signal;
  }

  get label(): string {
    return this.upstream.target.label;
  }

  #abort(reason: Error) {
    if (!this.#ac.signal.aborted) this.#ac.abort(reason);
  }

  // The idle deadline moves with every chunk; rather than re-arming a timer
  // per chunk, the timer checks the last chunk's time when it fires.
  readonly #onIdle = () => {
    if (this.#idle === undefined) return;
    if (this.#callerSlow) {
      // Paused for a slow caller: the model is not the one keeping quiet.
      this.#idle = setTimeout(this.#onIdle, this.limits.idleTimeoutMs);
      return;
    }
    const quiet = performance.now() - this.#lastActivity;
    if (quiet >= this.limits.idleTimeoutMs - 1) {
      this.#abort(
        new UpstreamError(
          'timeout',
          `${this.label} sent nothing for ${this.limits.idleTimeoutMs} ms (kaito.limits.idleTimeoutMs)`,
          504,
        ),
      );
    } else {
      this.#idle = setTimeout(this.#onIdle, this.limits.idleTimeoutMs - quiet);
    }
  };

  /** The answer will come whole (a legacy server): no idle limit. */
  wholeAnswer() {
    clearTimeout(this.#idle);
    this.#idle = undefined;
  }

  /** The caller stopped reading, or drained: no idle limit while the upstream waits on it. */
  readonly callerSlow = (slow: boolean) => {
    this.#callerSlow = slow;
    this.touch();
  };

  /** The upstream sent something: the idle deadline starts again. */
  readonly touch = () => {
    this.#lastActivity = performance.now();
  };

  /** The upstream accepted the request. */
  answered(result: UpstreamChat) {
    this.touch();
    this.#protocol = result.protocol;
    this.#model = result.model;
    this.#maxTokens = result.maxTokens;
  }

  /** Headers (and possibly events) have gone to the caller. */
  readonly headersStarted = () => {
    this.#headersSent = true;
  };

  /** The first token (or the whole answer) arrived. */
  readonly firstToken = () => {
    if (this.#firstTokenAt === undefined) {
      this.#firstTokenAt = performance.now();
      this.metrics.firstToken(this.#firstTokenAt - this.#started);
    }
  };

  /** A streamed event carried content: one more token. */
  readonly contentToken = () => {
    this.firstToken();
    this.#tokensOut++;
  };

  /** The model reported its token counts. */
  readonly setUsage = (usage: ChatUsage | undefined) => {
    this.#usage = usage;
  };

  /** A whole answer of this many characters (token estimate when no usage comes). */
  answerChars(chars: number) {
    this.#outChars = chars;
  }

  /** The answer went out in full. */
  readonly complete = () => this.#finish('completed');

  /** The one failure path: ends the exchange and tells the caller, as far as it still can be told. */
  readonly fail = (error: unknown) => {
    const { res } = this;
    const reason = this.#ac.signal.aborted ? this.#ac.signal.reason : undefined;
    if (reason instanceof ClientGone || error instanceof ClientGone) {
      this.#finish('client_aborted', reason ?? (error as Error));
      if (!res.writableEnded) res.destroy();
      return;
    }
    let e: UpstreamError;
    if (error instanceof UpstreamError) e = error;
    else if (reason instanceof UpstreamError) e = reason;
    else {
      e = new UpstreamError(
        'unreachable',
        `${this.label} dropped the connection before the answer was complete`,
        502,
      );
    }
    this.#abort(e);
    this.#finish(e.kind, e);
    // The caller's own mistakes and the model server's refusals are
    // answered, not warned about; only faults on the way to the model are.
    const line = `Chat relay to ${this.label} failed (${e.kind}): ${e.message}`;
    if (e.kind === 'invalid_request') this.logger.info(line);
    else if (e.kind !== 'rate_limited' && e.kind !== 'upstream_rejected') {
      this.logger.warn(line);
    }
    if (res.writableEnded || res.destroyed) return;
    if (!this.#headersSent) {
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

  #finish(outcome: ChatOutcome, error?: Error) {
    if (this.#finished) return;
    this.#finished = true;
    clearTimeout(this.#total);
    clearTimeout(this.#idle);
    this.res.off('close', this.#onClose);
    this.release();
    const { metrics } = this;
    metrics.streamEnded();
    const now = performance.now();
    const usage = this.#usage;
    const firstTokenAt = this.#firstTokenAt;
    const tokensIn =
      usage?.prompt_tokens ?? estimateTokens(promptChars(this.request));
    const tokensOut =
      usage?.completion_tokens ??
      (this.#tokensOut || estimateTokens(this.#outChars));
    if (outcome !== 'completed' && outcome !== 'rejected')
      metrics.error(outcome);
    metrics.completed({
      outcome,
      protocol: this.#protocol,
      tokensIn,
      tokensOut,
      generationMs: firstTokenAt !== undefined ? now - firstTokenAt : undefined,
    });
    void this.audit.finish({
      outcome,
      protocol: this.#protocol,
      model: this.#model,
      maxTokens: this.#maxTokens,
      tokensIn,
      tokensOut,
      tokenSource: usage ? 'usage' : 'estimate',
      durationMs: Math.round(now - this.#started),
      timeToFirstTokenMs:
        firstTokenAt !== undefined
          ? Math.round(firstTokenAt - this.#started)
          : undefined,
      error,
    });
  }
}
