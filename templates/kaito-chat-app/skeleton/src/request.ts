import type { IncomingMessage } from 'http';
import type { ChatMessage } from './chat';
import { BadRequestError } from './errors';

/** Limits on what the page may send. */
export const LIMITS = {
  bodyBytes: 256 * 1024,
  messages: 100,
  messageChars: 32_000,
};

const ROLES = new Set(['user', 'assistant', 'system']);

/** Reads a JSON body of at most LIMITS.bodyBytes. */
export async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > LIMITS.bodyBytes)
      throw new BadRequestError(
        'body',
        `is larger than ${LIMITS.bodyBytes} bytes; send fewer or shorter messages`,
      );
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new BadRequestError(
      'body',
      'must be JSON like {"messages":[{"role":"user","content":"Hello"}]}',
    );
  }
}

/** Checks `{ messages: [{ role, content }] }` and returns the messages. */
export function parseChatRequest(body: unknown): ChatMessage[] {
  const messages = (body as { messages?: unknown } | null)?.messages;
  if (!Array.isArray(messages) || messages.length === 0)
    throw new BadRequestError(
      'messages',
      'must be a non-empty list of {"role","content"} objects',
    );
  if (messages.length > LIMITS.messages)
    throw new BadRequestError(
      'messages',
      `has ${messages.length} entries; at most ${LIMITS.messages} are allowed (clear the conversation)`,
    );
  return messages.map((m, i) => {
    const role = (m as { role?: unknown })?.role;
    const content = (m as { content?: unknown })?.content;
    if (typeof role !== 'string' || !ROLES.has(role))
      throw new BadRequestError(
        `messages[${i}].role`,
        'must be "user", "assistant" or "system"',
      );
    if (typeof content !== 'string' || content.length === 0)
      throw new BadRequestError(
        `messages[${i}].content`,
        'must be a non-empty string',
      );
    if (content.length > LIMITS.messageChars)
      throw new BadRequestError(
        `messages[${i}].content`,
        `is longer than ${LIMITS.messageChars} characters`,
      );
    return { role: role as ChatMessage['role'], content };
  });
}
