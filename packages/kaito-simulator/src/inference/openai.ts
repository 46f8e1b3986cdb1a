import { Generation } from './generator';

/** Parsing and answer shapes of vLLM's OpenAI-compatible chat endpoint. */

export interface ChatParams {
  model?: string;
  messages: Array<{ role?: unknown; content?: unknown }>;
  stream: boolean;
  includeUsage: boolean;
  maxTokens?: number;
  minTokens?: number;
  stop: string[];
  seed?: number;
}

/** Validates a chat request; returns a message for a 400 when it is wrong. */
export function parseChatRequest(body: unknown): ChatParams | string {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return 'Request body must be a JSON object';
  }
  const b = body as Record<string, unknown>;
  if (!Array.isArray(b.messages) || b.messages.length === 0) {
    return "'messages' is required and must be a non-empty list of {role, content} objects";
  }
  for (const [i, m] of b.messages.entries()) {
    if (
      typeof m !== 'object' ||
      m === null ||
      typeof (m as { role?: unknown }).role !== 'string'
    ) {
      return `messages[${i}] must be an object with a string 'role'`;
    }
  }
  if (b.model !== undefined && b.model !== null && typeof b.model !== 'string')
    return "'model' must be a string";
  if (
    b.stream !== undefined &&
    b.stream !== null &&
    typeof b.stream !== 'boolean'
  )
    return "'stream' must be a boolean";
  const maxRaw = b.max_completion_tokens ?? b.max_tokens;
  if (
    maxRaw !== undefined &&
    maxRaw !== null &&
    (!Number.isInteger(maxRaw) || (maxRaw as number) < 1)
  ) {
    return `max_tokens must be at least 1, got ${JSON.stringify(maxRaw)}.`;
  }
  if (
    b.min_tokens !== undefined &&
    (!Number.isInteger(b.min_tokens) || (b.min_tokens as number) < 0)
  ) {
    return `min_tokens must be greater than or equal to 0, got ${JSON.stringify(
      b.min_tokens,
    )}.`;
  }
  for (const key of ['temperature', 'top_p'] as const) {
    const v = b[key];
    if (
      v !== undefined &&
      v !== null &&
      (typeof v !== 'number' || v < 0 || (key === 'top_p' && v > 1) || v > 2)
    ) {
      return `${key} must be in ${
        key === 'top_p' ? '(0, 1]' : '[0, 2]'
      }, got ${JSON.stringify(v)}.`;
    }
  }
  let stop: string[] = [];
  if (typeof b.stop === 'string') stop = [b.stop];
  else if (Array.isArray(b.stop) && b.stop.every(s => typeof s === 'string'))
    stop = b.stop as string[];
  else if (b.stop !== undefined && b.stop !== null)
    return "'stop' must be a string or a list of strings";
  const so = b.stream_options as { include_usage?: unknown } | undefined;
  return {
    model: typeof b.model === 'string' ? b.model : undefined,
    messages: b.messages as ChatParams['messages'],
    stream: b.stream === true,
    includeUsage: !!so && so.include_usage === true,
    maxTokens: typeof maxRaw === 'number' ? maxRaw : undefined,
    minTokens: typeof b.min_tokens === 'number' ? b.min_tokens : undefined,
    stop,
    seed: typeof b.seed === 'number' ? b.seed : undefined,
  };
}

/**
 * vLLM's context-length rule: the prompt and `max_tokens` must fit in
 * `max_model_len`; without `max_tokens` the answer may use what the prompt
 * leaves. Returns the completion budget, or vLLM's message for the 400.
 */
export function completionBudget(
  promptTokens: number,
  maxTokens: number | undefined,
  maxModelLen: number,
): number | string {
  if (promptTokens >= maxModelLen) {
    return `This model's maximum context length is ${maxModelLen} tokens. However, your request has ${promptTokens} input tokens. Please reduce the length of the input messages.`;
  }
  if (maxTokens === undefined) return maxModelLen - promptTokens;
  if (promptTokens + maxTokens > maxModelLen) {
    return `'max_tokens' or 'max_completion_tokens' is too large: ${maxTokens}. This model's maximum context length is ${maxModelLen} tokens and your request has ${promptTokens} input tokens (${maxTokens} > ${maxModelLen} - ${promptTokens}).`;
  }
  return maxTokens;
}

export function usage(g: Generation) {
  return {
    prompt_tokens: g.promptTokens,
    total_tokens: g.promptTokens + g.tokens.length,
    completion_tokens: g.tokens.length,
  };
}

export function chatCompletion(
  id: string,
  created: number,
  model: string,
  g: Generation,
) {
  return {
    id,
    object: 'chat.completion',
    created,
    model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          reasoning_content: null,
          content: g.tokens.join(''),
          tool_calls: [],
        },
        logprobs: null,
        finish_reason: g.finishReason,
        stop_reason: null,
      },
    ],
    usage: { ...usage(g), prompt_tokens_details: null },
    prompt_logprobs: null,
  };
}

/** Pre-rendered SSE frames for one streamed completion, built with string templates for speed. */
export class ChunkWriter {
  private readonly head: string;

  constructor(
    private readonly id: string,
    private readonly created: number,
    private readonly model: string,
  ) {
    this.head = `data: {"id":${JSON.stringify(
      id,
    )},"object":"chat.completion.chunk","created":${created},"model":${JSON.stringify(
      model,
    )},"choices":[{"index":0,"delta":`;
  }

  role(): string {
    return `${this.head}{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}\n\n`;
  }

  content(token: string): string {
    return `${this.head}{"content":${JSON.stringify(
      token,
    )}},"logprobs":null,"finish_reason":null}]}\n\n`;
  }

  finish(reason: string): string {
    return `${this.head}{"content":""},"logprobs":null,"finish_reason":"${reason}","stop_reason":null}]}\n\n`;
  }

  usage(g: Generation): string {
    return `data: ${JSON.stringify({
      id: this.id,
      object: 'chat.completion.chunk',
      created: this.created,
      model: this.model,
      choices: [],
      usage: usage(g),
    })}\n\n`;
  }

  done(): string {
    return 'data: [DONE]\n\n';
  }
}
