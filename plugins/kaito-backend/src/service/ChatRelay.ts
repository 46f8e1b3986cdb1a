import { LoggerService } from '@backstage/backend-plugin-api';
import { ChatCompletionRequest } from '@kaito-backstage/plugin-kaito-common';
import { UpstreamError } from '@kaito-backstage/plugin-kaito-node';
import { Response } from 'express';
import { ChatAudit } from './audit';
import { ChatExchange, estimatedUsage } from './chatExchange';
import { ChatUpstream } from './chatUpstream';
import { relayJsonAnswer, sendCompletion } from './jsonAnswer';
import { KaitoLimits } from './limits';
import { KaitoMetrics } from './metrics';
import { relaySse } from './sseRelay';

export interface ChatRelayRequest {
  res: Response;
  upstream: ChatUpstream;
  request: ChatCompletionRequest;
  audit: ChatAudit;
  /** Called exactly once when the request is over (frees the user's slot). */
  release: () => void;
}

/**
 * Relays one chat request to a model server. Streams are forwarded event by
 * event as they arrive (only an unfinished event is held back); the upstream
 * request is aborted as soon as the caller goes away or a time limit passes.
 * Failures before the first byte become a JSON error; after it, a final SSE
 * event `data: {"error": {...}}` that OpenAI clients raise as an error.
 *
 * The request's state and its one failure path live in {@link ChatExchange};
 * the answer is relayed by {@link relaySse} (event streams) or
 * {@link relayJsonAnswer} (whole answers).
 */
export class ChatRelay {
  constructor(
    private readonly limits: KaitoLimits,
    private readonly metrics: KaitoMetrics,
    private readonly logger: LoggerService,
  ) {}

  async relay(r: ChatRelayRequest): Promise<void> {
    const x = new ChatExchange(
      r.res,
      r.upstream,
      r.request,
      r.audit,
      r.release,
      this.limits,
      this.metrics,
      this.logger,
    );
    const stream = r.request.stream === true;
    let result;
    try {
      // A stream from a legacy server or a RAGEngine (asked for JSON) comes
      // whole: no idle limit on it, only the total one.
      if (
        stream &&
        (r.upstream.sourceNodes ||
          (await r.upstream.detect(x.signal)).protocol === 'legacy')
      )
        x.wholeAnswer();
      const answer = r.upstream.chat(r.request, x.signal, {
        maxTokens: this.limits.maxTokens,
      });
      // Audit once the request has left (after this tick's I/O), while the
      // model works, not before it.
      setImmediate(() => r.audit.start());
      result = await answer;
    } catch (error) {
      x.fail(error);
      return;
    }
    x.answered(result);

    if (result.protocol === 'legacy') {
      // The legacy server counts nothing: usage is estimated, and says so.
      // Streams get it when they ask (`stream_options.include_usage`).
      x.firstToken();
      const chars = result.completion.choices[0]?.message.content?.length ?? 0;
      x.answerChars(chars);
      const options = r.request.stream_options as
        | { include_usage?: boolean }
        | undefined;
      const withUsage = !stream || options?.include_usage === true;
      sendCompletion(
        r.res,
        withUsage
          ? {
              ...result.completion,
              usage: estimatedUsage(r.request, chars),
            }
          : result.completion,
        stream,
      );
      x.complete();
      return;
    }

    const response = result.response;
    const type = String(response.headers['content-type'] ?? '');
    if (stream && type.includes('text/event-stream')) {
      relaySse(response, r.res, x);
      return;
    }
    if (!type.includes('json')) {
      response.resume();
      x.fail(
        new UpstreamError(
          'invalid_response',
          `${x.label} answered with content type "${
            type.slice(0, 60) || 'none'
          }" instead of ${stream ? 'text/event-stream' : 'application/json'}`,
          502,
        ),
      );
      return;
    }
    await relayJsonAnswer(response, x, this.limits.maxResponseBytes);
  }
}
