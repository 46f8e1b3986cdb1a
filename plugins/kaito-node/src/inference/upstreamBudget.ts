import {
  ChatCompletionRequest,
  defaultMaxTokens,
  estimatePromptTokens,
} from '@kaito-backstage/plugin-kaito-common';
import { InferenceTarget } from './targets';
import { UpstreamError } from './UpstreamError';

/** What the token budget needs to know of the target. */
export type TokenBudgetTarget = Pick<
  InferenceTarget,
  'maxTokensField' | 'contextLength'
>;

/** The models a server lists at /v1/models (vLLM adds each one's `max_model_len`). */
export interface ListedModels {
  data: ReadonlyArray<{ id: string; [key: string]: unknown }>;
}

/**
 * The request with its completion limit in the field the target wants,
 * and a default derived from the model's context length when it has none
 * (only when a `cap` is given: the room the context leaves after the
 * prompt, at most `cap`). The context length is the server's own
 * (`max_model_len` at /v1/models) or the catalog's.
 */
export function withTokenLimit(
  request: ChatCompletionRequest,
  models: ListedModels,
  cap: number | undefined,
  target: TokenBudgetTarget,
): ChatCompletionRequest {
  const { max_tokens, max_completion_tokens, ...rest } = request;
  let limit = max_completion_tokens ?? max_tokens;
  if (limit === undefined && cap !== undefined) {
    const served = models.data.find(m => m.id === request.model)?.max_model_len;
    limit = defaultMaxTokens({
      cap,
      promptTokens: estimatePromptTokens(request),
      contextLength:
        typeof served === 'number' && served > 0
          ? served
          : target.contextLength,
    });
  }
  return limit === undefined
    ? rest
    : { ...rest, [target.maxTokensField]: limit };
}

/** The completion limit a request carries, in whichever field it has it (none: undefined). */
export function completionLimit(
  request: ChatCompletionRequest,
): number | undefined {
  return (request.max_completion_tokens ?? request.max_tokens) as
    | number
    | undefined;
}

/** JSON for the wire; a body too deeply nested to serialise is the caller's mistake (400). */
export function serializeChatRequest(body: unknown): string {
  try {
    return JSON.stringify(body);
  } catch (error) {
    throw new UpstreamError(
      'invalid_request',
      `The chat request cannot be sent: ${
        error instanceof RangeError
          ? 'it is nested too deeply'
          : 'it does not serialise to JSON'
      }; send a flatter body`,
      400,
    );
  }
}
