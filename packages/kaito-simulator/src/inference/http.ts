import type { IncomingMessage, ServerResponse } from 'node:http';

/** Small HTTP helpers for the simulated inference server (FastAPI-style answers). */

export const MAX_INFERENCE_BODY = 8 * 1024 * 1024;

export function json(
  res: ServerResponse,
  code: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent || res.destroyed) {
    if (!res.writableEnded) res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(code, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** vLLM's `ErrorResponse` (since v0.10 wrapped in `error`, as OpenAI does). */
export function openAiError(
  res: ServerResponse,
  code: number,
  type: string,
  message: string,
): void {
  json(res, code, { error: { message, type, param: null, code } });
}

export class BodyError extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
  }
}

export function readJsonBody(
  req: IncomingMessage,
  limit = MAX_INFERENCE_BODY,
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (c: Buffer) => {
      if (failed) return;
      size += c.length;
      if (size > limit) {
        failed = true;
        reject(
          new BodyError(413, `Request body is larger than ${limit} bytes`),
        );
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (failed) return;
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        resolve(JSON.parse(text));
      } catch (e) {
        reject(
          new BodyError(400, `JSON decode error: ${(e as Error).message}`),
        );
      }
    });
    req.on('error', e => !failed && reject(new BodyError(400, e.message)));
  });
}
