import { mockCredentials } from '@backstage/backend-test-utils';
import http from 'node:http';
import { ChatScript, chunk } from './ScriptedUpstream';

/** How far the scripted model server got. */
export interface FloodProgress {
  /** Events written so far. */
  written: number;
  /** The last write was refused: the server waits for 'drain'. */
  waiting: boolean;
  /** The whole answer and `[DONE]` were written. */
  done: boolean;
}

export interface FloodChat {
  readonly progress: FloodProgress;
  readonly totalEvents: number;
  /**
   * Resolves once the caller has its response and the model server has been
   * held back, with nothing written, for `quietMs`; with `orDone`, also once
   * the model server has finished (a relay without back-pressure reads on).
   */
  heldBack(quietMs: number, options?: { orDone?: boolean }): Promise<void>;
  /** The caller reads again; resolves with all it received once the answer ends. */
  resume(): Promise<string>;
}

/**
 * A streamed chat that floods: the scripted model server (installed with
 * `script`) writes `totalEvents` events of 64 KiB, far more than socket
 * buffers on both hops can hold, pausing whenever the socket pushes back;
 * the caller POSTs to `url` and reads nothing until resumed.
 */
export function startFloodChat(options: {
  script: (handler: ChatScript) => void;
  url: string;
  totalEvents?: number;
}): FloodChat {
  const totalEvents = options.totalEvents ?? 640;
  const EVENT = chunk({ content: 'y'.repeat(64 * 1024) });
  const progress: FloodProgress = { written: 0, waiting: false, done: false };
  const changed = new Set<() => void>();
  const notify = () => [...changed].forEach(f => f());
  options.script((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const pump = () => {
      progress.waiting = false;
      while (progress.written < totalEvents) {
        progress.written++;
        if (!res.write(EVENT)) {
          progress.waiting = true;
          res.once('drain', pump);
          notify();
          return;
        }
      }
      res.end('data: [DONE]\n\n');
      progress.done = true;
      notify();
    };
    pump();
  });

  let response: http.IncomingMessage | undefined;
  const received: Buffer[] = [];
  const ended = new Promise<void>((resolve, reject) => {
    const req = http.request(options.url, {
      method: 'POST',
      headers: {
        authorization: mockCredentials.user.header(),
        'content-type': 'application/json',
      },
    });
    req.on('error', reject);
    req.on('response', res => {
      response = res;
      res.pause();
      res.on('data', (c: Buffer) => received.push(c));
      res.on('end', resolve);
      notify();
    });
    req.end(
      JSON.stringify({
        messages: [{ role: 'user', content: 'flood' }],
        stream: true,
      }),
    );
  });

  return {
    progress,
    totalEvents,
    heldBack: (quietMs, { orDone = false } = {}) =>
      new Promise<void>(resolve => {
        let quiet: NodeJS.Timeout | undefined;
        const check = () => {
          clearTimeout(quiet);
          if (orDone && progress.done) {
            changed.delete(check);
            resolve();
            return;
          }
          if (progress.waiting && response) {
            const at = progress.written;
            quiet = setTimeout(() => {
              if (progress.waiting && progress.written === at) {
                changed.delete(check);
                resolve();
              }
            }, quietMs);
          }
        };
        changed.add(check);
        check();
      }),
    resume: async () => {
      response!.resume();
      await ended;
      return Buffer.concat(received).toString();
    },
  };
}
