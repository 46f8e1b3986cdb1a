import http from 'node:http';
import { AddressInfo } from 'node:net';

/** Answers one chat request the way a test wants a model server to. */
export type ChatScript = (
  req: http.IncomingMessage,
  res: http.ServerResponse,
) => void;

/** One OpenAI chat.completion.chunk event. */
export function chunk(
  delta: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) {
  return `data: ${JSON.stringify({
    id: 'chatcmpl-1',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'scripted',
    choices: [{ index: 0, delta, finish_reason: null }],
    ...extra,
  })}\n\n`;
}

/** A whole OpenAI chat.completion body. */
export function completion(
  content: string,
  extra: Record<string, unknown> = {},
) {
  return JSON.stringify({
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: 1,
    model: 'scripted',
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content },
        finish_reason: 'stop',
      },
    ],
    ...extra,
  });
}

/**
 * An OpenAI-compatible model server whose chat answers are scripted per
 * target: `${url}/t/<target>/v1` serves `/models` and `/chat/completions`.
 * It records each chat request and when kaito-backend closed it.
 */
export class ScriptedUpstream {
  readonly scripts = new Map<string, ChatScript>();
  /** Chat requests received, by target, with when each was closed. */
  readonly chats: Array<{
    target: string;
    body: string;
    receivedAt: number;
    closedAt?: number;
  }> = [];
  url = '';
  readonly #server: http.Server;
  readonly #open = new Set<http.ServerResponse>();
  readonly #listeners = new Set<() => void>();

  private constructor() {
    this.#server = http.createServer((req, res) => this.#handle(req, res));
  }

  static async start() {
    const s = new ScriptedUpstream();
    await new Promise<void>(r => s.#server.listen(0, '127.0.0.1', () => r()));
    s.url = `http://127.0.0.1:${(s.#server.address() as AddressInfo).port}`;
    return s;
  }

  baseUrl(target: string) {
    return `${this.url}/t/${target}/v1`;
  }

  /** Resolves once predicate holds, checked whenever a chat arrives or closes. */
  until(predicate: () => boolean, what: string, timeoutMs = 10_000) {
    return new Promise<void>((resolve, reject) => {
      const state: { timer?: NodeJS.Timeout } = {};
      const check = () => {
        if (!predicate()) return;
        this.#listeners.delete(check);
        clearTimeout(state.timer);
        resolve();
      };
      state.timer = setTimeout(() => {
        this.#listeners.delete(check);
        reject(new Error(`timed out waiting for ${what}`));
      }, timeoutMs);
      this.#listeners.add(check);
      check();
    });
  }

  #changed() {
    [...this.#listeners].forEach(l => l());
  }

  #handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const m = /^\/t\/([^/]+)\/v1\/(models|chat\/completions)$/.exec(
      req.url ?? '',
    );
    if (!m) {
      res.writeHead(404).end();
      return;
    }
    const [, target, route] = m;
    if (route === 'models') {
      req.resume();
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ object: 'list', data: [{ id: 'scripted' }] }));
      return;
    }
    this.#open.add(res);
    const body: Buffer[] = [];
    req.on('data', c => body.push(c));
    req.on('end', () => {
      const record: ScriptedUpstream['chats'][number] = {
        target,
        body: Buffer.concat(body).toString(),
        receivedAt: performance.now(),
      };
      this.chats.push(record);
      res.once('close', () => {
        this.#open.delete(res);
        record.closedAt = performance.now();
        this.#changed();
      });
      const script = this.scripts.get(target);
      if (!script) {
        res.writeHead(500).end('no script');
        return;
      }
      script(req, res);
      this.#changed();
    });
  }

  async stop() {
    for (const r of this.#open) r.destroy();
    await new Promise(r => this.#server.close(r));
  }
}
