import type {
  ChatCompletionRequest,
  ChatCompletionResponse,
  ChatMessage,
  LegacyChatRequest,
} from '../types/chat';

/** Default `max_length` KAITO's legacy /chat server used (HF generate). */
const LEGACY_DEFAULT_MAX_LENGTH = 200;

/** Text of a chat message's content: a string, or the text of OpenAI content parts. */
export function contentText(content: ChatMessage['content'] | unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map(p =>
        p &&
        typeof p === 'object' &&
        typeof (p as { text?: unknown }).text === 'string'
          ? (p as { text: string }).text
          : '',
      )
      .join('');
  }
  return '';
}

/**
 * Maps an OpenAI chat request onto KAITO <= v0.8's Transformers `POST /chat`
 * (conversational form: `messages` + HF `generate_kwargs`).
 */
export function toLegacyChatRequest(
  req: ChatCompletionRequest,
): LegacyChatRequest {
  const generate: Record<string, unknown> = {};
  const maxNew = req.max_completion_tokens ?? req.max_tokens;
  if (typeof maxNew === 'number') generate.max_new_tokens = maxNew;
  else generate.max_length = LEGACY_DEFAULT_MAX_LENGTH;
  if (typeof req.temperature === 'number') {
    // HF rejects temperature 0 with sampling on; 0 means greedy decoding.
    if (req.temperature === 0) generate.do_sample = false;
    else {
      generate.do_sample = true;
      generate.temperature = req.temperature;
    }
  }
  if (typeof req.top_p === 'number') generate.top_p = req.top_p;
  if (typeof req.top_k === 'number') generate.top_k = req.top_k;
  if (typeof req.seed === 'number') generate.seed = req.seed;
  if (typeof req.repetition_penalty === 'number') {
    generate.repetition_penalty = req.repetition_penalty;
  }

  return {
    messages: (req.messages ?? []).map(m => ({
      role: m.role,
      content: contentText(m.content),
    })),
    return_full_text: false,
    generate_kwargs: generate,
  };
}

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v;
}

/** Text that ends a sentence: `.`, `!`, `?` or `…`, maybe inside quotes, brackets or a code fence. */
const SENTENCE_END_RE = /([.!?\u2026]["'\u201d\u2019)\]*]*|```)\s*$/;

/**
 * Why a legacy answer ended. The server reports only the text, so the
 * reason is inferred: `length` when a completion limit was sent, the text
 * stops mid-sentence, and it is long enough (~4 characters a token, at
 * least half the limit) to have reached it; `stop` otherwise.
 */
export function legacyFinishReason(
  text: string,
  maxTokens: number | undefined,
): 'stop' | 'length' {
  if (maxTokens === undefined || maxTokens <= 0) return 'stop';
  const trimmed = text.trimEnd();
  if (trimmed.length === 0 || SENTENCE_END_RE.test(trimmed)) return 'stop';
  return Math.ceil(trimmed.length / 4) * 2 >= maxTokens ? 'length' : 'stop';
}

export interface LegacyResponseOptions {
  /** `created` of the completion (default: now). */
  created?: number;
  /** The completion limit sent (`max_new_tokens`), to infer `finish_reason`. */
  maxTokens?: number;
}

/**
 * Maps a legacy `{"Result": "..."}` body to an OpenAI chat completion
 * (`finish_reason` from {@link legacyFinishReason}).
 * Throws an Error naming the problem when the body is not that shape.
 */
export function fromLegacyChatResponse(
  body: unknown,
  model: string,
  options: LegacyResponseOptions = {},
): ChatCompletionResponse {
  const created = options.created ?? Math.floor(Date.now() / 1000);
  let parsed = body;
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body);
    } catch {
      throw new Error(
        'Legacy /chat response is not JSON; expected {"Result": "<generated text>"}',
      );
    }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(
      `Legacy /chat response is ${kindOf(
        parsed,
      )}; expected {"Result": "<generated text>"}`,
    );
  }
  const result = (parsed as Record<string, unknown>).Result;
  if (typeof result !== 'string') {
    const detail = (parsed as Record<string, unknown>).detail;
    throw new Error(
      typeof detail === 'string'
        ? `Legacy /chat returned an error: ${detail.slice(0, 200)}`
        : 'Legacy /chat response has no string "Result" field; expected {"Result": "<generated text>"}',
    );
  }
  return {
    id: `chatcmpl-legacy-${created.toString(36)}${Math.random()
      .toString(36)
      .slice(2, 10)}`,
    object: 'chat.completion',
    created,
    model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: result },
        finish_reason: legacyFinishReason(result, options.maxTokens),
      },
    ],
  };
}
