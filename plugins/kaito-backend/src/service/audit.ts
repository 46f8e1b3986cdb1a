import {
  AuditorService,
  AuditorServiceEvent,
} from '@backstage/backend-plugin-api';
import { ChatCompletionRequest } from '@kaito-backstage/plugin-kaito-common';
import { Request } from 'express';
import type { JsonObject } from '@backstage/config';

/** How a chat request ended. */
export type ChatOutcome =
  | 'completed'
  | 'rejected'
  | 'not_ready'
  | 'rate_limited'
  | 'upstream_error'
  | 'upstream_rejected'
  | 'unreachable'
  | 'timeout'
  | 'invalid_response'
  | 'invalid_request'
  | 'client_aborted';

export interface ChatAuditResult {
  outcome: ChatOutcome;
  protocol?: string;
  model?: string;
  /** The completion limit sent upstream (the caller's, or the default derived from the context length). */
  maxTokens?: number;
  tokensIn?: number;
  tokensOut?: number;
  /** Where the token counts came from: the model's `usage`, or counting chunks. */
  tokenSource?: 'usage' | 'estimate';
  durationMs: number;
  timeToFirstTokenMs?: number;
  error?: Error;
}

/**
 * One audit event per chat request: who (the auditor reads the caller from
 * the request), which entity and target, tokens and outcome. The prompt is
 * recorded only when `kaito.audit.includePrompts` is true.
 */
export class ChatAudit {
  #event?: Promise<AuditorServiceEvent>;
  #done = false;
  #request: JsonObject = {};

  constructor(
    private readonly auditor: AuditorService,
    private readonly req: Request,
    private readonly meta: { entityRef: string; target: string },
  ) {}

  /** The catalog entity the chat is for (the metrics' `entity` label). */
  get entityRef(): string {
    return this.meta.entityRef;
  }

  /**
   * Opens the event (the auditor logs it as initiated). The relay calls this
   * once the upstream request is on its way, so the auditor's credential
   * lookup and log write overlap the model's latency instead of adding to
   * the time to first byte; finish() opens it when nothing did.
   */
  start() {
    if (this.#event) return;
    this.#event = this.auditor.createEvent({
      eventId: 'chat-completion',
      severityLevel: 'medium',
      request: this.req,
      meta: this.meta,
    });
    // Never let an auditor failure surface as an unhandled rejection.
    this.#event.catch(() => undefined);
  }

  /** Notes the parsed request's shape (and, if configured, its prompt). */
  request(request: ChatCompletionRequest, includePrompts: boolean) {
    this.#request = {
      stream: request.stream === true,
      messageCount: request.messages.length,
      maxTokens: request.max_tokens ?? request.max_completion_tokens ?? null,
      ...(includePrompts
        ? { messages: JSON.parse(JSON.stringify(request.messages)) }
        : {}),
    };
  }

  async finish(result: ChatAuditResult) {
    if (this.#done) return;
    this.#done = true;
    const { error, ...rest } = result;
    this.start();
    const meta: JsonObject = { ...this.#request };
    for (const [k, v] of Object.entries(rest)) if (v !== undefined) meta[k] = v;
    try {
      const event = await this.#event!;
      if (result.outcome === 'completed') await event.success({ meta });
      else
        await event.fail({ meta, error: error ?? new Error(result.outcome) });
    } catch {
      // Auditing must not break the response; the auditor logs its own failures.
    }
  }
}
