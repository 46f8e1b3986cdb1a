import type { IncomingMessage, ServerResponse } from 'node:http';
import { countTokens, generate, promptTokenCount } from './generator';
import { BodyError, json, readJsonBody } from './http';

/**
 * KAITO <= v0.8 Transformers runtime: `POST /chat` -> `{"Result": ...}`.
 * A `prompt` gets a text-generation answer (with the prompt in front when
 * `return_full_text`, the default); `messages` get a conversational answer.
 */
export async function handleLegacyChat(
  req: IncomingMessage,
  res: ServerResponse,
  model: string,
  /** Generation pace: the whole answer leaves once it is generated (0: at once). */
  tokensPerSecond = 0,
): Promise<void> {
  let body: unknown;
  try {
    body = await readJsonBody(req);
  } catch (e) {
    const err = e as BodyError;
    json(res, err.code === 413 ? 413 : 422, {
      detail: [{ type: 'json_invalid', loc: ['body'], msg: err.message }],
    });
    return;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    json(res, 422, {
      detail: [
        {
          type: 'model_attributes_type',
          loc: ['body'],
          msg: 'Input should be a valid dictionary',
        },
      ],
    });
    return;
  }
  const b = body as Record<string, unknown>;
  const kwargs =
    (typeof b.generate_kwargs === 'object' && b.generate_kwargs) || {};
  // HF generate, as KAITO 0.8's inference_api.py passes generate_kwargs:
  // `max_new_tokens` (new tokens only) wins over `max_length` (prompt
  // included, default 200), for a prompt and for messages alike.
  const positive = (v: unknown) =>
    typeof v === 'number' && v > 0 ? Math.floor(v) : undefined;
  const maxNew = positive((kwargs as Record<string, unknown>).max_new_tokens);
  const limit = positive((kwargs as Record<string, unknown>).max_length) ?? 200;
  if (Array.isArray(b.messages)) {
    const messages = b.messages as Array<{ role?: unknown; content?: unknown }>;
    const g = generate({
      model,
      messages,
      maxTokens: maxNew ?? Math.max(1, limit - promptTokenCount(messages)),
    });
    await paced(g.tokens.length, tokensPerSecond, res);
    json(res, 200, { Result: g.tokens.join('').trim() });
    return;
  }
  if (typeof b.prompt === 'string' && b.prompt.length > 0) {
    const budget = maxNew ?? Math.max(1, limit - countTokens(b.prompt));
    const g = generate({
      model,
      messages: [{ role: 'user', content: b.prompt }],
      maxTokens: budget,
    });
    const text = g.tokens.join('').trim();
    await paced(g.tokens.length, tokensPerSecond, res);
    json(res, 200, {
      Result: b.return_full_text === false ? text : `${b.prompt} ${text}`,
    });
    return;
  }
  json(res, 400, {
    detail:
      'messages' in b
        ? 'Conversational parameter messages required'
        : 'Text generation parameter prompt required',
  });
}

/** Waits as long as generating `tokens` takes at `rate`, or until the caller leaves. */
function paced(
  tokens: number,
  rate: number,
  res: ServerResponse,
): Promise<void> {
  if (rate <= 0 || res.destroyed) return Promise.resolve();
  return new Promise(resolve => {
    let timer: NodeJS.Timeout | undefined = undefined;
    const done = () => {
      clearTimeout(timer);
      res.off('close', done);
      resolve();
    };
    timer = setTimeout(done, (tokens / rate) * 1000);
    res.once('close', done);
  });
}
