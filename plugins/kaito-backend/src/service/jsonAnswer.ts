import { ChatCompletionResponse } from '@kaito-backstage/plugin-kaito-common';
import {
  UpstreamError,
  formatSseEvent,
} from '@kaito-backstage/plugin-kaito-node';
import { Response } from 'express';
import { IncomingMessage } from 'node:http';
import { ChatExchange } from './chatExchange';
import { startSse } from './sseResponse';

/**
 * Relays a JSON answer: reads it whole (at most maxBytes), checks that it
 * is a chat completion, and passes it on, as JSON or, to a caller who asked
 * for a stream, as an OpenAI chunk stream.
 */
export async function relayJsonAnswer(
  response: IncomingMessage,
  x: ChatExchange,
  maxBytes: number,
): Promise<void> {
  let text: string;
  try {
    text = await readBounded(response, maxBytes, x.touch);
  } catch (error) {
    x.fail(error);
    return;
  }
  let completion: ChatCompletionResponse;
  try {
    completion = JSON.parse(text);
    if (!Array.isArray(completion?.choices)) throw new Error('no choices');
  } catch {
    x.fail(
      new UpstreamError(
        'invalid_response',
        `${x.label} answered with a body that is not a chat completion`,
        502,
      ),
    );
    return;
  }
  x.firstToken();
  x.setUsage(completion.usage);
  x.answerChars(String(completion.choices[0]?.message?.content ?? '').length);
  if (x.request.stream === true) {
    const rag = completion as ChatCompletionResponse & {
      source_nodes?: unknown;
    };
    if (x.upstream.sourceNodes && !Array.isArray(rag.source_nodes))
      rag.source_nodes = [];
    sendCompletion(x.res, rag, true);
  } else {
    x.res.status(200).type('application/json').end(text);
  }
  x.complete();
}

/** Most content deltas a whole answer is streamed in. */
const MAX_DELTAS = 8;
/** Smallest delta (characters) when a whole answer is split. */
const MIN_DELTA_CHARS = 24;

/**
 * A whole answer's content in a few deltas, cut after a space where one is
 * near, so a UI shows it arriving like a stream. Short answers stay whole.
 */
export function splitContent(content: string): string[] {
  const size = Math.max(
    MIN_DELTA_CHARS,
    Math.ceil(content.length / MAX_DELTAS),
  );
  const parts: string[] = [];
  let start = 0;
  while (start < content.length) {
    let end = Math.min(content.length, start + size);
    if (end < content.length) {
      const space = content.lastIndexOf(' ', end);
      if (space > start + size / 2) end = space + 1;
    }
    parts.push(content.slice(start, end));
    start = end;
  }
  return parts.length > 0 ? parts : [''];
}

/**
 * Sends a whole completion as JSON, or as an OpenAI chunk stream. A RAG
 * answer (one with `source_nodes`) is streamed in a few content deltas, and
 * its `source_nodes` ride at top level on the last chunk before [DONE]
 * (the one with `finish_reason`).
 */
export function sendCompletion(
  res: Response,
  completion: ChatCompletionResponse & { source_nodes?: unknown },
  stream: boolean,
) {
  if (!stream) {
    res.status(200).json(completion);
    return;
  }
  startSse(res);
  const base = {
    id: completion.id,
    object: 'chat.completion.chunk',
    created: completion.created,
    model: completion.model,
  };
  const choice = completion.choices[0];
  const content = String(choice?.message.content ?? '');
  const rag = Array.isArray(completion.source_nodes);
  const deltas = rag ? splitContent(content) : [content];
  deltas.forEach((part, i) => {
    res.write(
      formatSseEvent({
        data: JSON.stringify({
          ...base,
          choices: [
            {
              index: 0,
              delta:
                i === 0
                  ? { role: 'assistant', content: part }
                  : { content: part },
              finish_reason: null,
            },
          ],
        }),
      }),
    );
  });
  res.write(
    formatSseEvent({
      data: JSON.stringify({
        ...base,
        choices: [
          {
            index: 0,
            delta: {},
            finish_reason: choice?.finish_reason ?? 'stop',
          },
        ],
        ...(completion.usage ? { usage: completion.usage } : {}),
        ...(rag ? { source_nodes: completion.source_nodes } : {}),
      }),
    }),
  );
  res.end(formatSseEvent({ data: '[DONE]' }));
}

function readBounded(
  res: IncomingMessage,
  max: number,
  onChunk: () => void,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (c: Buffer) => {
      onChunk();
      size += c.length;
      if (size > max) {
        // Reject before destroying: destroy() emits 'aborted' at once, which
        // would otherwise settle this as a dropped connection.
        reject(
          new UpstreamError(
            'invalid_response',
            `The model's answer is larger than ${max} bytes (kaito.limits.maxResponseBytes)`,
            502,
          ),
        );
        res.destroy();
        return;
      }
      chunks.push(c);
    });
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', reject);
    res.on('aborted', () => reject(new Error('aborted')));
  });
}
