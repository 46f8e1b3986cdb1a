import {
  ChatCompletionChunk,
  ChatCompletionResponse,
} from '@kaito-backstage/plugin-kaito-common';
import { createParser, EventSourceMessage } from 'eventsource-parser';
import { KaitoChatStreamError } from './chatErrors';

/**
 * Reads an OpenAI chat-completions SSE body and yields its chunks.
 *
 * Ends at `data: [DONE]`. A `data: {"error": ...}` event (what kaito-backend
 * sends when the answer fails after it started) throws a
 * {@link KaitoChatStreamError}; so does a body that ends before `[DONE]`.
 */
export async function* readChatCompletionStream(
  body: ReadableStream<Uint8Array>,
  signal?: AbortSignal,
): AsyncGenerator<ChatCompletionChunk> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const queue: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: event => queue.push(event) });
  const onAbort = () => {
    reader.cancel(signal?.reason).catch(() => {});
  };
  signal?.addEventListener('abort', onAbort);
  let finished = false;
  try {
    for (;;) {
      signal?.throwIfAborted();
      const { done, value } = await reader.read();
      signal?.throwIfAborted();
      if (done) {
        finished = true;
        parser.feed(decoder.decode());
        parser.reset({ consume: true });
      } else {
        parser.feed(decoder.decode(value, { stream: true }));
      }
      while (queue.length > 0) {
        const event = queue.shift()!;
        if (event.event && event.event !== 'message') continue;
        if (event.data === '[DONE]') {
          finished = true;
          return;
        }
        yield parseChunk(event.data);
      }
      if (done) {
        throw new KaitoChatStreamError(
          'The answer ended before it was complete (the connection closed without [DONE])',
          'incomplete',
        );
      }
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    // Stopped early (abort, error event or the caller broke off): close the body.
    if (!finished) reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}

function parseChunk(data: string): ChatCompletionChunk {
  let parsed: any;
  try {
    parsed = JSON.parse(data);
  } catch {
    throw new KaitoChatStreamError(
      `The server sent an event that is not JSON: ${data.slice(0, 80)}`,
      'invalid_response',
    );
  }
  if (parsed && typeof parsed === 'object' && parsed.error) {
    const e = parsed.error;
    throw new KaitoChatStreamError(
      typeof e.message === 'string' ? e.message : 'The answer failed',
      typeof e.code === 'string' ? e.code : 'server_error',
    );
  }
  if (!parsed || typeof parsed !== 'object' || !Array.isArray(parsed.choices)) {
    throw new KaitoChatStreamError(
      'The server sent an event that is not a chat completion chunk',
      'invalid_response',
    );
  }
  return parsed as ChatCompletionChunk;
}

/**
 * A whole (non-streamed) chat completion as one chunk, so callers read both alike. Fields beside
 * `choices` (a RAGEngine's `source_nodes`) are kept.
 */
export function completionAsChunk(answer: unknown): ChatCompletionChunk {
  const parsed = answer as ChatCompletionResponse & Record<string, unknown>;
  if (!parsed || typeof parsed !== 'object' || !Array.isArray(parsed.choices)) {
    throw new KaitoChatStreamError(
      'The server answered JSON that is not a chat completion',
      'invalid_response',
    );
  }
  const { choices, object: _o, ...rest } = parsed;
  return {
    ...rest,
    object: 'chat.completion.chunk',
    choices: choices.map(c => ({
      index: c.index,
      delta: c.message ?? {},
      finish_reason: c.finish_reason,
    })),
  } as ChatCompletionChunk;
}
