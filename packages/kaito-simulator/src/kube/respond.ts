import type { ServerResponse } from 'node:http';
import { KubeError, toKubeError } from './errors';

/** Writes JSON the way the API server does (compact, newline-terminated). */
export function sendJson(
  res: ServerResponse,
  code: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const text = `${JSON.stringify(body)}\n`;
  res.writeHead(code, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-cache, private',
    ...headers,
  });
  res.end(text);
}

export function sendError(res: ServerResponse, err: unknown): void {
  const e: KubeError = toKubeError(err);
  sendJson(res, e.code, e.status);
}

export function sendText(
  res: ServerResponse,
  code: number,
  text: string,
): void {
  res.writeHead(code, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}
