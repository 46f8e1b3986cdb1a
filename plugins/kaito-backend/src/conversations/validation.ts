import {
  CONVERSATION_SOURCE_NAME_MAX_CHARS,
  CONVERSATION_SOURCE_SNIPPET_MAX_CHARS,
  CONVERSATION_SOURCE_URL_MAX_CHARS,
  CONVERSATION_SOURCES_MAX,
  isConversationSourceUrl,
  type ConversationInput,
  type ConversationMessage,
} from '@kaito-backstage/plugin-kaito-common';
import { z } from 'zod';
import { KaitoHttpError } from '../service/errors';
import { ConversationSettingsConfig } from './settings';

/** Longest title kept; longer titles are refused (the column holds 255). */
export const MAX_TITLE_CHARS = 200;

const source = z
  .object({
    doc_id: z
      .string()
      .min(1, 'must not be empty')
      .max(
        CONVERSATION_SOURCE_NAME_MAX_CHARS,
        `must be at most ${CONVERSATION_SOURCE_NAME_MAX_CHARS} characters`,
      ),
    title: z
      .string()
      .max(
        CONVERSATION_SOURCE_NAME_MAX_CHARS,
        `must be at most ${CONVERSATION_SOURCE_NAME_MAX_CHARS} characters`,
      )
      .optional(),
    url: z
      .string()
      .max(
        CONVERSATION_SOURCE_URL_MAX_CHARS,
        `must be at most ${CONVERSATION_SOURCE_URL_MAX_CHARS} characters`,
      )
      .refine(
        isConversationSourceUrl,
        'must be an http(s) URL or a path on the portal starting with "/"',
      )
      .optional(),
    score: z.number().finite(),
    snippet: z
      .string()
      .max(
        CONVERSATION_SOURCE_SNIPPET_MAX_CHARS,
        `must be at most ${CONVERSATION_SOURCE_SNIPPET_MAX_CHARS} characters (save the start of the retrieved text, not the whole node: toConversationSource in @kaito-backstage/plugin-kaito-common does)`,
      ),
  })
  .strict();

const message = z
  .object({
    role: z.enum(['system', 'user', 'assistant']),
    content: z.string(),
    createdAt: z.string().datetime({ offset: true }).optional(),
    error: z.string().max(2000).optional(),
    stopped: z.boolean().optional(),
    sources: z
      .array(source)
      .max(
        CONVERSATION_SOURCES_MAX,
        `at most ${CONVERSATION_SOURCES_MAX} sources are saved per message; keep the best-ranked ${CONVERSATION_SOURCES_MAX}`,
      )
      .optional(),
  })
  .strict();

const settings = z
  .object({
    systemPrompt: z.string().optional(),
    model: z.string().max(255).optional(),
    temperature: z.number().min(0).max(2).optional(),
    top_p: z.number().min(0).max(1).optional(),
    max_tokens: z.number().int().positive().optional(),
  })
  .strict();

const input = z
  .object({
    title: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(MAX_TITLE_CHARS)
      .optional(),
    messages: z.array(message).optional(),
    settings: settings.optional(),
  })
  .strict();

/**
 * Parses a `POST`/`PUT` body into a {@link ConversationInput}, or throws a
 * 400 naming each wrong field. Values never appear in the message (they may
 * be prompt text).
 */
export function parseConversationInput(body: unknown): ConversationInput {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new KaitoHttpError(
      400,
      'invalid_request',
      'The body must be a JSON object with any of "title", "messages" and "settings", sent with Content-Type: application/json',
    );
  }
  const parsed = input.safeParse(body);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.slice(0, 5).map(issue => {
    const path = issue.path.length ? issue.path.join('.') : 'body';
    return `${path}: ${issue.message}`;
  });
  const first = parsed.error.issues[0];
  throw new KaitoHttpError(
    400,
    'invalid_request',
    `Invalid conversation: ${issues.join(
      '; ',
    )}. Fix these fields (see ConversationInput in @kaito-backstage/plugin-kaito-common) and send again`,
    { param: first?.path.join('.') || undefined },
  );
}

/** UTF-8 size of what a conversation stores, as counted against `maxBytes`. */
export function conversationBytes(stored: {
  title: string;
  messages: ConversationMessage[];
  settings?: unknown;
}): number {
  return (
    Buffer.byteLength(stored.title) +
    Buffer.byteLength(JSON.stringify(stored.messages)) +
    (stored.settings === undefined
      ? 0
      : Buffer.byteLength(JSON.stringify(stored.settings)))
  );
}

/** 413 when a conversation is over `maxMessages` or `maxBytes`. */
export function assertWithinLimits(
  stored: {
    title: string;
    messages: ConversationMessage[];
    settings?: unknown;
  },
  limits: ConversationSettingsConfig,
): number {
  if (stored.messages.length > limits.maxMessages) {
    throw new KaitoHttpError(
      413,
      'limit_exceeded',
      `The conversation has ${stored.messages.length} messages; at most ${limits.maxMessages} are saved (kaito.conversations.maxMessages). Start a new conversation, or ask your Backstage administrator to raise the limit`,
      { limit: 'kaito.conversations.maxMessages', param: 'messages' },
    );
  }
  const bytes = conversationBytes(stored);
  if (bytes > limits.maxBytes) {
    throw new KaitoHttpError(
      413,
      'limit_exceeded',
      `The conversation is ${bytes} bytes; at most ${limits.maxBytes} bytes are saved (kaito.conversations.maxBytes). Start a new conversation, or ask your Backstage administrator to raise the limit`,
      { limit: 'kaito.conversations.maxBytes' },
    );
  }
  return bytes;
}

/** The title a conversation gets when none is given: its first user message, shortened. */
export function defaultTitle(messages: ConversationMessage[]): string {
  const first = messages.find(m => m.role === 'user')?.content ?? '';
  const line = first.trim().split('\n')[0].trim();
  if (!line) return 'New conversation';
  return line.length > 80 ? `${line.slice(0, 79)}…` : line;
}
