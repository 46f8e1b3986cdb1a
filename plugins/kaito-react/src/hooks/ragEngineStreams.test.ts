/**
 * @jest-environment node
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { KaitoClient } from '../api/KaitoClient';
import {
  subscribeRagEngine,
  type RagEngineStreamState,
} from './ragEngineStreams';

describe('subscribeRagEngine', () => {
  it('shares one readiness stream per entity among subscribers and closes it with the last', async () => {
    const open = new Set<http.ServerResponse>();
    let requests = 0;
    const server = http.createServer((_req, res) => {
      requests += 1;
      open.add(res);
      res.on('close', () => open.delete(res));
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      res.write(
        `event: snapshot\ndata: ${JSON.stringify({
          name: 'team-docs',
          status: 'found',
        })}\n\n`,
      );
    });
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    const api = new KaitoClient({
      discoveryApi: {
        getBaseUrl: async () => `http://127.0.0.1:${port}/api/kaito`,
      },
      fetchApi: { fetch: (input, init) => fetch(input, init) },
    });
    const seen = (list: RagEngineStreamState[]) =>
      new Promise<void>(resolve => {
        const check = () =>
          list.some(s => s.snapshot) ? resolve() : setTimeout(check, 10);
        check();
      });
    const a: RagEngineStreamState[] = [];
    const b: RagEngineStreamState[] = [];
    const offA = subscribeRagEngine(api, 'resource:default/team-docs', s =>
      a.push(s),
    );
    await seen(a);
    const offB = subscribeRagEngine(api, 'resource:default/team-docs', s =>
      b.push(s),
    );
    // The second subscriber gets the current snapshot at once, from the same stream.
    expect(b[0].snapshot?.name).toBe('team-docs');
    expect(requests).toBe(1);
    offA();
    expect(open.size).toBe(1);
    offB();
    await new Promise<void>(resolve => {
      const check = () => (open.size === 0 ? resolve() : setTimeout(check, 10));
      check();
    });
    // A new subscriber after the last one left opens a new stream.
    const c: RagEngineStreamState[] = [];
    const offC = subscribeRagEngine(api, 'resource:default/team-docs', s =>
      c.push(s),
    );
    await seen(c);
    expect(requests).toBe(2);
    offC();
    server.closeAllConnections();
    await new Promise(r => server.close(r));
  });
});
