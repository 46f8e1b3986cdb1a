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
    sendCompletion(x.res, completion, true);
  } else {
    x.res.status(200).type('application/json').end(text);
  }
  x.complete();
}

/** Sends a whole completion as JSON, or as an OpenAI chunk stream. */
export function sendCompletion(
  res: Response,
  completion: ChatCompletionResponse,
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
  res.write(
    formatSseEvent({
      data: JSON.stringify({
        ...base,
        choices: [
          {
            index: 0,
            delta: {
              role: 'assistant',
              content: choice?.message.content ?? '',
            },
            finish_reason: null,
          },
        ],
      }),
    }),
  );
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
