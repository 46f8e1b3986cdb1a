import { promises as fs } from 'fs';
import http from 'http';
import type { AddressInfo } from 'net';
import path from 'path';
import { ChatService } from './chat';
import type { AppConfig } from './config';
import { describeError } from './errors';
import { parseChatRequest, readJson } from './request';

// A plain Node app (not a Backstage plugin): the page sits beside src/ and dist/.
// eslint-disable-next-line no-restricted-syntax
const PAGE = path.resolve(__dirname, '../public/index.html');

function sendJson(res: http.ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

function sse(res: http.ServerResponse, data: unknown, event?: string) {
  res.write(
    `${event ? `event: ${event}\n` : ''}data: ${JSON.stringify(data)}\n\n`,
  );
}

async function handleChat(
  chat: ChatService,
  req: http.IncomingMessage,
  res: http.ServerResponse,
) {
  const messages = parseChatRequest(await readJson(req));
  const abort = new AbortController();
  // The page left (stop button, closed tab): cancel the upstream request at once.
  res.on('close', () => abort.abort());
  const deltas = chat.stream(messages, abort.signal);
  // Wait for the first delta so errors before any output get a proper status code.
  let first = await deltas.next();
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    'x-accel-buffering': 'no',
  });
  try {
    while (!first.done) {
      sse(res, { delta: first.value });
      first = await deltas.next();
    }
    sse(res, { done: true });
  } catch (e) {
    if (!abort.signal.aborted)
      sse(res, { message: describeError(e).message }, 'error');
  }
  res.end();
}

/** The app's HTTP handler: the chat page, health, model and the streaming chat route. */
export function createHandler(
  config: AppConfig,
  chat = new ChatService(config),
) {
  return async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://app');
    try {
      if (req.method === 'GET' && url.pathname === '/') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(await fs.readFile(PAGE));
      } else if (req.method === 'GET' && url.pathname === '/healthz') {
        sendJson(res, 200, { status: 'ok' });
      } else if (req.method === 'GET' && url.pathname === '/api/model') {
        sendJson(res, 200, { model: await chat.model() });
      } else if (req.method === 'POST' && url.pathname === '/api/chat') {
        await handleChat(chat, req, res);
      } else {
        sendJson(res, 404, {
          error: `no route ${req.method} ${url.pathname}; the app serves GET /, GET /healthz, GET /api/model and POST /api/chat`,
        });
      }
    } catch (e) {
      const { status, message } = describeError(e);
      if (status === 500) console.error('request failed', e);
      if (!res.headersSent) sendJson(res, status, { error: message });
      else res.end();
    }
  };
}

/** Starts the app; resolves with its URL and a close function. */
export async function startServer(config: AppConfig) {
  const server = http.createServer(createHandler(config));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
