import http, { IncomingMessage } from 'node:http';
import https from 'node:https';

export interface SendOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  signal?: AbortSignal;
}

/**
 * Sends one request and resolves with the response once its headers are
 * in. The body is left unread for the caller to stream.
 */
export function sendRequest(
  url: URL,
  agent: http.Agent,
  options: SendOptions,
): Promise<IncomingMessage> {
  const mod = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { ...options.headers };
    if (options.body !== undefined) {
      headers['content-length'] = Buffer.byteLength(options.body);
    }
    const req = mod.request(url, {
      method: options.method ?? 'GET',
      agent,
      headers,
      signal: options.signal,
    });
    req.on('response', resolve);
    req.on('error', reject);
    req.end(options.body);
  });
}
