import { z } from 'zod';

/** Default upper bound on messages in one chat request. */
export const DEFAULT_MAX_CHAT_MESSAGES = 200;
/** Default upper bound on the characters of one message's content. */
export const DEFAULT_MAX_CHAT_CONTENT_LENGTH = 100_000;

export interface ChatSchemaLimits {
  /** Maximum number of messages (default DEFAULT_MAX_CHAT_MESSAGES). */
  maxMessages?: number;
  /** Maximum characters per message content (default DEFAULT_MAX_CHAT_CONTENT_LENGTH). */
  maxContentLength?: number;
}

const ROLES = ['system', 'user', 'assistant', 'tool', 'developer'] as const;

/**
 * Builds the zod schema for the chat request the backend accepts. OpenAI
 * fields it does not model (top_p, stop, stream_options, tools…) pass through
 * unchanged; `model` is optional because the backend fills the served name.
 */
export function createChatCompletionRequestSchema(
  limits: ChatSchemaLimits = {},
) {
  const maxMessages = limits.maxMessages ?? DEFAULT_MAX_CHAT_MESSAGES;
  const maxContent = limits.maxContentLength ?? DEFAULT_MAX_CHAT_CONTENT_LENGTH;

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
    })
    .passthrough();

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
        .max(1, { message: 'n > 1 is not supported' })
        .optional(),
    })
    .passthrough();
}

/** The chat request schema with the default limits. */
export const chatCompletionRequestSchema = createChatCompletionRequestSchema();

export type ParsedChatCompletionRequest = z.infer<
  typeof chatCompletionRequestSchema
>;
