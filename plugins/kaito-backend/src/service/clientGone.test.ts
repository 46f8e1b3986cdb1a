import { AuditorService } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { metricsServiceMock } from '@backstage/backend-test-utils/alpha';
import {
  InferenceUpstream,
  WorkspaceWatcher,
  externalTarget,
} from '@kaito-backstage/plugin-kaito-node';
import express, { Request, Response } from 'express';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { ChatAudit } from './audit';
import { ChatRelay } from './ChatRelay';
import { DEFAULT_LIMITS, KaitoLimits } from './limits';
import { KaitoMetrics } from './metrics';
import { ReadinessStreams } from './ReadinessStream';

// A caller can go away while kaito-backend still checks its credentials,
// the entity and the upstream. By then the response's 'close' has fired;
// the relay and the readiness stream must notice instead of serving nobody.

const limits: KaitoLimits = {
  ...DEFAULT_LIMITS,
  idleTimeoutMs: 60_000,
  heartbeatMs: 50,
};

function listen(server: http.Server): Promise<string> {
  return new Promise(resolve =>
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    ),
  );
}

function close(server: http.Server): Promise<void> {
  server.closeAllConnections();
  return new Promise(resolve => server.close(() => resolve()));
}

/**
 * Serves one request with handler, but only after its caller has hung up.
 * Resolves with the handler's result.
 */
async function afterCallerLeft<T>(
  handler: (req: Request, res: Response) => Promise<T>,
): Promise<T> {
  let result!: Promise<T>;
  let served!: () => void;
  const done = new Promise<void>(r => {
    served = r;
  });
  const caller: { request?: http.ClientRequest } = {};
  const app = express();
  app.all('*', (req, res) => {
    res.on('close', () => {
      result = handler(req, res);
      result.finally(served);
    });
    // The request is in; now the caller leaves.
    caller.request!.destroy();
  });
  const server = http.createServer(app);
  const url = await listen(server);
  caller.request = http.request(`${url}/`, { method: 'POST' });
  caller.request.on('error', () => {});
  caller.request.end('{}');
  try {
    await done;
    return await result;
  } finally {
    await close(server);
  }
}

describe('a caller that left before the work started', () => {
  let upstream: http.Server;
  let upstreamUrl: string;
  const upstreamPaths: string[] = [];

  beforeAll(async () => {
    upstream = http.createServer((req, res) => {
      upstreamPaths.push(`${req.method} ${req.url}`);
      if (req.url === '/v1/models') {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ object: 'list', data: [{ id: 'm' }] }));
        return;
      }
      res.setHeader('content-type', 'text/event-stream');
      res.end(
        'data: {"choices":[{"delta":{"content":"hi"}}]}\n\ndata: [DONE]\n\n',
      );
    });
    upstreamUrl = await listen(upstream);
  });
  afterAll(() => close(upstream));

  it('gets no chat request sent upstream, and its slot and audit event are settled', async () => {
    const audited: string[] = [];
    const auditor: AuditorService = {
      async createEvent() {
        return {
          async success() {
            audited.push('completed');
          },
          async fail(o) {
            audited.push(String(o.meta?.outcome));
          },
        };
      },
    };
    const release = jest.fn();
    const relay = new ChatRelay(
      limits,
      new KaitoMetrics(metricsServiceMock.mock()),
      mockServices.logger.mock(),
    );
    const started = Date.now();
    await afterCallerLeft((req, res) =>
      relay.relay({
        res,
        upstream: new InferenceUpstream(
          externalTarget({ name: 'm', baseUrl: `${upstreamUrl}/v1` }),
        ),
        request: {
          messages: [{ role: 'user', content: 'hello' }],
          stream: true,
        },
        audit: new ChatAudit(auditor, req, { entityRef: 'x', target: 'y' }),
        release,
      }),
    );
    expect(Date.now() - started).toBeLessThan(limits.idleTimeoutMs);
    expect(upstreamPaths).not.toContain('POST /v1/chat/completions');
    expect(release).toHaveBeenCalledTimes(1);
    await new Promise(r => setImmediate(r));
    expect(audited).toEqual(['client_aborted']);
  });

  it('opens no readiness stream and subscribes to nothing', async () => {
    const subscribe = jest.fn(async () => () => {});
    const streams = new ReadinessStreams(
      { subscribe } as unknown as WorkspaceWatcher,
      limits,
      new KaitoMetrics(metricsServiceMock.mock()),
      mockServices.logger.mock(),
    );
    await afterCallerLeft((_req, res) =>
      streams.serve(
        res,
        { cluster: 'c', namespace: 'default', name: 'ws' },
        'user:default/a',
      ),
    );
    expect(subscribe).not.toHaveBeenCalled();
    expect(streams.openCount).toBe(0);
  });
});
