import type { ServerResponse } from 'node:http';
import { json } from '../inference/http';

/**
 * FastAPI's error answers: `HTTPException` gives `{"detail": "<text>"}`,
 * request validation gives 422 `{"detail": [{type, loc, msg, input}]}`.
 */

export interface ValidationItem {
  type: string;
  loc: Array<string | number>;
  msg: string;
  input: unknown;
  ctx?: Record<string, unknown>;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string | ValidationItem[],
  ) {
    super(typeof detail === 'string' ? detail : 'Unprocessable Entity');
  }
}

export function notFoundIndex(name: string): HttpError {
  return new HttpError(404, `No such index: '${name}' exists.`);
}

export function sendError(res: ServerResponse, e: unknown): void {
  if (e instanceof HttpError) json(res, e.status, { detail: e.detail });
  else json(res, 500, { detail: e instanceof Error ? e.message : String(e) });
}
