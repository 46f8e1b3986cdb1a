import type { ChatCompletionRequest } from '../types/chat';
import { contentText } from './legacy';

/**
 * Characters per token assumed when a prompt is counted without its
 * tokenizer. Tokenizers average about 4 for English and fewer for code or
 * other scripts; 3 makes the count err high, so a default `max_tokens`
 * built on it fits the context.
 */
const CHARS_PER_TOKEN = 3;
/** Chat-template tokens per message (role markers, separators), over-counted. */
const TOKENS_PER_MESSAGE = 8;

/**
 * The smallest default `max_tokens` worth sending. When the estimated room
 * left by the prompt is smaller, see {@link defaultMaxTokens}.
 */
export const MIN_DEFAULT_MAX_TOKENS = 256;

/** A generous estimate of the tokens a chat request's prompt takes (messages and tool schemas). */
export function estimatePromptTokens(
  request: Pick<ChatCompletionRequest, 'messages'> & { tools?: unknown },
): number {
  let chars = 0;
  for (const m of request.messages ?? []) {
    chars += contentText(m.content).length;
    if (typeof m.name === 'string') chars += m.name.length;
    if (Array.isArray(m.tool_calls))
      chars += JSON.stringify(m.tool_calls).length;
  }
  if (Array.isArray(request.tools))
    chars += JSON.stringify(request.tools).length;
  return (
    Math.ceil(chars / CHARS_PER_TOKEN) +
    TOKENS_PER_MESSAGE * (request.messages?.length ?? 0)
  );
}

/**
 * The `max_tokens` to send when the caller set none: the room the model's
 * context leaves after the (estimated) prompt, at most `cap`. Without a
 * known context length, `cap`. When the estimate leaves less than
 * {@link MIN_DEFAULT_MAX_TOKENS}, `undefined` (send none: the server then
 * answers with what the prompt leaves, as vLLM does, or refuses a prompt
 * that does not fit) if the context is no larger than `cap`; otherwise
 * that minimum, so the cap still holds.
 */
export function defaultMaxTokens(options: {
  cap: number;
  promptTokens: number;
  contextLength?: number;
}): number | undefined {
  const { cap, promptTokens, contextLength } = options;
  if (!contextLength || contextLength <= 0) return cap;
  const room = contextLength - promptTokens;
  if (room >= cap) return cap;
  const floor = Math.min(cap, MIN_DEFAULT_MAX_TOKENS);
  if (room >= floor) return room;
  return contextLength <= cap ? undefined : floor;
}
