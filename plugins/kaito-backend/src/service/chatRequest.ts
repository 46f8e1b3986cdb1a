import {
  ChatCompletionRequest,
  createChatCompletionRequestSchema,
} from '@kaito-backstage/plugin-kaito-common';
import { Request } from 'express';
import { KaitoHttpError } from './errors';
import { KaitoLimits } from './limits';

/** Reads the raw body, refusing more than maxBytes with a 413 that names the limit. */
export function readRawBody(req: Request, maxBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    return Promise.reject(tooLarge(maxBytes));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (c: Buffer) => {
      if (done) return;
      size += c.length;
      if (size > maxBytes) {
        done = true;
        // Stop reading; the 413 goes out and the connection is closed after it.
        req.pause();
        reject(tooLarge(maxBytes));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (!done) {
        done = true;
        resolve(Buffer.concat(chunks));
      }
    });
    req.on('error', e => {
      if (!done) {
        done = true;
        reject(e);
      }
    });
  });
}

/** Deeper than any chat request needs (tool schemas included), far below what JSON.stringify survives. */
const MAX_JSON_DEPTH = 32;

function tooLarge(maxBytes: number) {
  return new KaitoHttpError(
    413,
    'limit_exceeded',
    `The request body is larger than ${maxBytes} bytes (kaito.limits.maxBodyBytes); send a shorter conversation`,
    { limit: 'maxBodyBytes' },
  );
}

/**
 * Parses and checks a chat request against the limits. Returns the request
 * to send upstream (`max_tokens` above the cap is refused; when absent, the
 * upstream derives it from the model's context length).
 */
export function parseChatRequest(
  body: Buffer,
  contentType: string | undefined,
  limits: KaitoLimits,
): ChatCompletionRequest {
  if (!contentType || !/^application\/json\b/i.test(contentType)) {
    throw new KaitoHttpError(
      415,
      'unsupported_media_type',
      'Send the chat request as JSON with the header Content-Type: application/json',
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new KaitoHttpError(
      400,
      'invalid_json',
      `The request body is not valid JSON: ${jsonProblem(error)}`,
    );
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new KaitoHttpError(
      400,
      'invalid_request',
      'The request body must be a JSON object with a "messages" array',
    );
  }
  const raw = json as Record<string, unknown>;
  const deep = tooDeep(raw, MAX_JSON_DEPTH);
  if (deep !== undefined) {
    throw new KaitoHttpError(
      400,
      'invalid_request',
      `The request body nests deeper than ${MAX_JSON_DEPTH} levels (at "${deep}"); send a flatter body`,
      { param: deep },
    );
  }
  if (Array.isArray(raw.messages) && raw.messages.length > limits.maxMessages) {
    throw new KaitoHttpError(
      413,
      'limit_exceeded',
      `The request has ${raw.messages.length} messages; at most ${limits.maxMessages} are allowed (kaito.limits.maxMessages). Trim the conversation history`,
      { limit: 'maxMessages', param: 'messages' },
    );
  }
  for (const param of ['max_tokens', 'max_completion_tokens'] as const) {
    const v = raw[param];
    if (typeof v === 'number' && v > limits.maxTokens) {
      throw new KaitoHttpError(
        413,
        'limit_exceeded',
        `${param} is ${v}; at most ${limits.maxTokens} is allowed (kaito.limits.maxTokens)`,
        { limit: 'maxTokens', param },
      );
    }
  }
  const parsed = schemaFor(limits).safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 5)
      .map(i => `${i.path.join('.') || '(body)'}: ${i.message}`)
      .join('; ');
    throw new KaitoHttpError(
      400,
      'invalid_request',
      `Invalid chat request: ${issues}`,
      {
        param: parsed.error.issues[0]?.path.join('.'),
      },
    );
  }
  // Without max_tokens, the upstream fills one from the model's context
  // length (InferenceUpstream.chat), capped at limits.maxTokens.
  return parsed.data as ChatCompletionRequest;
}

/** The path of the first value nested deeper than max, found without recursion. */
function tooDeep(root: object, max: number): string | undefined {
  const stack: Array<[unknown, number, string]> = [[root, 0, '']];
  while (stack.length > 0) {
    const [value, depth, path] = stack.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= max) return path.slice(0, 120) || '(body)';
    for (const [k, v] of Object.entries(value)) {
      if (typeof v === 'object' && v !== null) {
        stack.push([v, depth + 1, path ? `${path}.${k}` : k]);
      }
    }
  }
  return undefined;
}

/**
 * V8's JSON.parse message without the excerpt of the body it quotes: the
 * body may hold a prompt or a pasted key, and this message is also audited.
 */
function jsonProblem(error: unknown): string {
  return String((error as Error)?.message ?? error)
    .replace(/, (\.\.\.)?".*$/s, '')
    .slice(0, 120);
}

let cached:
  | {
      limits: KaitoLimits;
      schema: ReturnType<typeof createChatCompletionRequestSchema>;
    }
  | undefined;
function schemaFor(limits: KaitoLimits) {
  if (cached?.limits !== limits) {
    cached = {
      limits,
      schema: createChatCompletionRequestSchema({
        ...limits.chat,
        maxMessages: limits.maxMessages,
      }),
    };
  }
  return cached.schema;
}
