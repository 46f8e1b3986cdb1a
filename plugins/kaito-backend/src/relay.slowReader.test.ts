import { mockCredentials } from '@backstage/backend-test-utils';
import http from 'node:http';
import { component } from './__testUtils__/entities';
import {
  entityPath,
  KaitoTestBackend,
  startKaitoTestBackend,
} from './__testUtils__/backend';
import { chunk, ScriptedUpstream } from './__testUtils__/ScriptedUpstream';

// A caller that stops reading holds the model server back (back-pressure).
// While it does, the model is not the one keeping quiet: the idle limit must
// not end the stream blaming it. Only the total limit bounds a slow caller.

const IDLE_MS = 300;

describe('a slow caller and the idle limit', () => {
  let upstream: ScriptedUpstream;
  let kb: KaitoTestBackend;
  let base: string;

  beforeAll(async () => {
    upstream = await ScriptedUpstream.start();
    kb = await startKaitoTestBackend({
      config: {
        kubernetes: { clusterLocatorMethods: [] },
        kaito: {
          externalTargets: [
            {
              name: 'flood',
              baseUrl: upstream.baseUrl('flood'),
              model: 'scripted',
            },
          ],
          limits: { idleTimeoutMs: IDLE_MS, totalTimeoutMs: 600_000 },
        },
      },
      entities: [component('flood', { 'kaito.sh/external-target': 'flood' })],
    });
    base = `http://127.0.0.1:${(kb.server.address() as { port: number }).port}`;
  }, 60_000);

  afterAll(async () => {
    await kb?.stop();
    await upstream?.stop();
  });

  it('does not time the model out while the caller is not reading', async () => {
    // Far more than socket buffers on both hops can hold.
    const EVENT = chunk({ content: 'y'.repeat(64 * 1024) });
    const TOTAL_EVENTS = 640;
    const progress = { written: 0, waiting: false, done: false };
    const changed = new Set<() => void>();
    const notify = () => [...changed].forEach(f => f());
    upstream.scripts.set('flood', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const pump = () => {
        progress.waiting = false;
        while (progress.written < TOTAL_EVENTS) {
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
    let response!: http.IncomingMessage;
    const received: Buffer[] = [];
    const ended = new Promise<void>((resolve, reject) => {
      const req = http.request(
        `${base}${entityPath('flood')}/chat/completions`,
        {
          method: 'POST',
          headers: {
            authorization: mockCredentials.user.header(),
            'content-type': 'application/json',
          },
        },
      );
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
    // Hold the caller until the model server has been held back, with
    // nothing drained, for several idle limits.
    await new Promise<void>(resolve => {
      let quiet: NodeJS.Timeout | undefined;
      const check = () => {
        clearTimeout(quiet);
        if (progress.waiting && response) {
          const at = progress.written;
          quiet = setTimeout(() => {
            if (progress.waiting && progress.written === at) {
              changed.delete(check);
              resolve();
            }
          }, 5 * IDLE_MS);
        }
      };
      changed.add(check);
      check();
    });
    expect(progress.done).toBe(false);
    response.resume();
    await ended;
    const text = Buffer.concat(received).toString();
    // The end of the stream (the whole of it would flood a failure report).
    expect(text.trimEnd().slice(-300)).toMatch(/data: \[DONE\]$/);
    expect(text.includes('"error"')).toBe(false);
    expect(text.split('data: {').length - 1).toBe(TOTAL_EVENTS);
  }, 60_000);
});
