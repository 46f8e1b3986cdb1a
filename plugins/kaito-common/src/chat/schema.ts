import { z } from 'zod';

/** Default upper bound on messages in one chat request. */
export const DEFAULT_MAX_CHAT_MESSAGES = 200;
/** Default upper bound on the characters of one message's content. */
export const DEFAULT_MAX_CHAT_CONTENT_LENGTH = 100_000;

/** Default upper bound on `top_logprobs` (OpenAI allows 20; each one costs the server work). */
export const DEFAULT_MAX_TOP_LOGPROBS = 5;
/** Default upper bound on `stop` sequences (OpenAI's own limit). */
export const DEFAULT_MAX_STOP_SEQUENCES = 4;
/** Default upper bound on `tools` (OpenAI's own limit). */
export const DEFAULT_MAX_TOOLS = 128;
/** Default upper bound on `n`: one choice per request (more multiply the work). */
export const DEFAULT_MAX_CHOICES = 1;

/**
 * Fields a caller may not send: each multiplies the work of one request
 * (`best_of`, `use_beam_search`) or defeats `max_tokens` (`ignore_eos`,
 * `min_tokens`). They are refused with a 400 naming the field.
 */
export const REFUSED_CHAT_FIELDS = [
  'best_of',
  'ignore_eos',
  'min_tokens',
  'use_beam_search',
] as const;

export interface ChatSchemaLimits {
  /** Maximum number of messages (default DEFAULT_MAX_CHAT_MESSAGES). */
  maxMessages?: number;
  /** Maximum characters per message content (default DEFAULT_MAX_CHAT_CONTENT_LENGTH). */
  maxContentLength?: number;
  /** Maximum `top_logprobs` (default DEFAULT_MAX_TOP_LOGPROBS). */
  maxTopLogprobs?: number;
  /** Maximum `stop` sequences (default DEFAULT_MAX_STOP_SEQUENCES). */
  maxStopSequences?: number;
  /** Maximum `tools` (default DEFAULT_MAX_TOOLS). */
  maxTools?: number;
  /** Maximum `n` (default DEFAULT_MAX_CHOICES). */
  maxChoices?: number;
}

const ROLES = ['system', 'user', 'assistant', 'tool', 'developer'] as const;

/**
 * Builds the zod schema for the chat request the backend accepts: an
 * allowlist of OpenAI fields (plus vLLM's `top_k`, `min_p` and
 * `repetition_penalty`). Fields it does not list are dropped (zod strips
 * them); {@link REFUSED_CHAT_FIELDS} are refused. `model` is optional
 * because the backend fills the served name.
 */
export function createChatCompletionRequestSchema(
  limits: ChatSchemaLimits = {},
) {
  const maxMessages = limits.maxMessages ?? DEFAULT_MAX_CHAT_MESSAGES;
  const maxContent = limits.maxContentLength ?? DEFAULT_MAX_CHAT_CONTENT_LENGTH;
  const maxTopLogprobs = limits.maxTopLogprobs ?? DEFAULT_MAX_TOP_LOGPROBS;
  const maxStop = limits.maxStopSequences ?? DEFAULT_MAX_STOP_SEQUENCES;
  const maxTools = limits.maxTools ?? DEFAULT_MAX_TOOLS;
  const maxChoices = limits.maxChoices ?? DEFAULT_MAX_CHOICES;

  // OpenAI allows content as an array of parts; we accept text parts only.
  const textPart = z
    .object({
      type: z.literal('text', {
        errorMap: () => ({
          message: 'only "text" content parts are supported',
        }),
      }),
      text: z.string(),
    })
    .passthrough();

  const content = z
    .union([z.string(), z.array(textPart), z.null()], {
      errorMap: (issue, ctx) =>
        issue.code === z.ZodIssueCode.invalid_union
          ? {
              message:
                'content must be a string, a list of {type: "text", text} parts, or null',
            }
          : { message: ctx.defaultError },
    })
    .superRefine((value, ctx) => {
      const length = Array.isArray(value)
        ? value.reduce((n, p) => n + p.text.length, 0)
        : (value ?? '').length;
      if (length > maxContent) {
        ctx.addIssue({
          code: z.ZodIssueCode.too_big,
          maximum: maxContent,
          type: 'string',
          inclusive: true,
          message: `message content is ${length} characters; shorten it to at most ${maxContent}`,
        });
      }
    });

  const message = z
    .object({
      role: z.enum(ROLES, {
        errorMap: () => ({
          message: `role must be one of ${ROLES.join(', ')}`,
        }),
      }),
      content,
      name: z.string().max(256).optional(),
      tool_call_id: z.string().max(256).optional(),
      tool_calls: z.array(z.object({}).passthrough()).max(128).optional(),
    })
    .strip();

  const refused = (field: (typeof REFUSED_CHAT_FIELDS)[number]) =>
    z
      .undefined({
        errorMap: () => ({
          message: `${field} is not accepted here; remove it`,
        }),
      })
      .optional();

  return z
    .object({
      model: z.string().min(1).max(256).optional(),
      messages: z
        .array(message)
        .min(1, { message: 'messages must contain at least one message' })
        .max(maxMessages, {
          message: `too many messages; send at most ${maxMessages} (trim the conversation history)`,
        }),
      stream: z.boolean().optional(),
      temperature: z.number().min(0).max(2).optional(),
      top_p: z.number().min(0).max(1).optional(),
      max_tokens: z.number().int().positive().optional(),
      max_completion_tokens: z.number().int().positive().optional(),
      n: z
        .number()
        .int()
        .min(1)
        .max(maxChoices, {
          message:
            maxChoices === 1
              ? 'n > 1 is not supported; send n: 1 or leave it out'
              : `n is capped at ${maxChoices}; send a smaller number`,
        })
        .optional(),
      stop: z
        .union([
          z.string().max(256),
          z.array(z.string().max(256)).max(maxStop, {
            message: `at most ${maxStop} stop sequences are accepted`,
          }),
        ])
        .optional(),
      stream_options: z
        .object({ include_usage: z.boolean().optional() })
        .strip()
        .optional(),
      presence_penalty: z.number().min(-2).max(2).optional(),
      frequency_penalty: z.number().min(-2).max(2).optional(),
      repetition_penalty: z.number().positive().max(2).optional(),
      top_k: z.number().int().min(-1).optional(),
      min_p: z.number().min(0).max(1).optional(),
      seed: z.number().int().optional(),
      user: z.string().max(256).optional(),
      logprobs: z.boolean().optional(),
      top_logprobs: z
        .number()
        .int()
        .min(0)
        .max(maxTopLogprobs, {
          message: `top_logprobs is capped at ${maxTopLogprobs}; send a smaller number`,
        })
        .optional(),
      logit_bias: z.record(z.number().min(-100).max(100)).optional(),
      response_format: z.object({ type: z.string() }).passthrough().optional(),
      tools: z
        .array(z.object({}).passthrough())
        .max(maxTools, { message: `at most ${maxTools} tools are accepted` })
        .optional(),
      tool_choice: z.union([z.string(), z.object({}).passthrough()]).optional(),
      parallel_tool_calls: z.boolean().optional(),
      best_of: refused('best_of'),
      ignore_eos: refused('ignore_eos'),
      min_tokens: refused('min_tokens'),
      use_beam_search: refused('use_beam_search'),
    })
    .strip();
}

/** The chat request schema with the default limits. */
export const chatCompletionRequestSchema = createChatCompletionRequestSchema();

export type ParsedChatCompletionRequest = z.infer<
  typeof chatCompletionRequestSchema
>;
