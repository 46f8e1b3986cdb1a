import { mockCredentials } from '@backstage/backend-test-utils';
import {
  startSimulator,
  RunningSimulator,
} from '@kaito-backstage/kaito-simulator';
import { workspaceEntity, workspaceManifest } from './__testUtils__/entities';
import {
  entityPath,
  KaitoTestBackend,
  startKaitoTestBackend,
  waitForPhase,
} from './__testUtils__/backend';
import {
  FaultyApiServer,
  UpstreamFault,
} from './__testUtils__/FaultyApiServer';
import { clusterConfig, waitFor } from './__testUtils__/simulator';
import { StreamClient } from './__testUtils__/sseClient';

const FAULTS: Record<string, UpstreamFault> = {
  'ws-500': 'http500',
  'ws-503': 'http503',
  'ws-429': 'http429',
  'ws-reset': 'resetMidStream',
  'ws-invalid': 'invalidSse',
  'ws-html': 'notEventStream',
  'ws-stall': 'stallBeforeFirstByte',
  'ws-stallmid': 'stallMidStream',
  'ws-nodone': 'endWithoutDone',
};
const HEALTHY = ['ok', 'slow'];
/**
 * The idle timeout the stall tests wait out. Every healthy chat in this suite
 * must also get its first byte within it, so it is sized for a loaded machine.
 */
const IDLE_MS = 2000;

describe('kaito-backend: upstream faults, limits and aborts', () => {
  let sim: RunningSimulator;
  let faulty: FaultyApiServer;
  let kb: KaitoTestBackend;
  let base: string;

  beforeAll(async () => {
    sim = await startSimulator({
      log: () => {},
      // Slow enough that a stream is still running when the caller leaves.
      inference: { tokensPerSecond: 200 },
      seed: [...Object.keys(FAULTS), ...HEALTHY].map(n => workspaceManifest(n)),
    });
    faulty = await FaultyApiServer.start(sim.url);
    for (const [name, fault] of Object.entries(FAULTS))
      faulty.faults.set(name, fault);
    kb = await startKaitoTestBackend({
      config: clusterConfig(
        [{ name: 'sim', url: faulty.url, token: sim.token }],
        {
          limits: {
            idleTimeoutMs: IDLE_MS,
            totalTimeoutMs: 5000,
            maxConcurrentStreamsPerUser: 2,
            maxBodyBytes: 4096,
            maxMessages: 5,
            maxTokens: 256,
            heartbeatMs: 50,
            readinessStreamMaxAgeMs: 400,
          },
        },
      ),
      entities: [...Object.keys(FAULTS), ...HEALTHY].map(n =>
        workspaceEntity(n),
      ),
    });
    base = `http://127.0.0.1:${(kb.server.address() as { port: number }).port}`;
    // On the readiness streams' events, not a deadline: a loaded machine
    // takes seconds to load the Kubernetes client.
    for (const name of [...Object.keys(FAULTS), ...HEALTHY])
      await waitForPhase(kb, name);
  }, 120_000);

  afterAll(async () => {
    await kb?.stop();
    await faulty?.stop();
    await sim?.stop();
  });

  const chatStream = (name: string, body: object = {}, user?: string) =>
    new StreamClient(`${base}${entityPath(name)}/chat/completions`, {
      method: 'POST',
      headers: {
        authorization: mockCredentials.user.header(user),
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        messages: [{ role: 'user', content: 'Explain GPUs' }],
        stream: true,
        ...body,
      }),
    });
  const lastAudit = () =>
    kb.audits.filter(a => a.options.eventId === 'chat-completion').at(-1)!;

  describe('before the first byte: a clear JSON error', () => {
    it.each([
      ['ws-500', 502, 'upstream_error', /failed with HTTP 500: CUDA error/],
      [
        'ws-503',
        502,
        'upstream_error',
        /failed with HTTP 503: error trying to reach service: dial tcp <address>: connect: connection refused/,
      ],
      [
        'ws-429',
        429,
        'rate_limited',
        /is busy \(Too many requests: .*\); retry after 7 s/,
      ],
      [
        'ws-html',
        502,
        'invalid_response',
        /content type "text\/html" instead of text\/event-stream/,
      ],
      [
        'ws-stall',
        504,
        'timeout',
        new RegExp(
          `sent nothing for ${IDLE_MS} ms \\(kaito.limits.idleTimeoutMs\\)`,
        ),
      ],
    ])('%s -> %i %s', async (name, status, code, message) => {
      const started = Date.now();
      const res = await kb.post(`${entityPath(name)}/chat/completions`, {
        messages: [{ role: 'user', content: 'hi' }],
        stream: true,
      });
      expect(res.status).toBe(status);
      expect(res.headers['content-type']).toContain('application/json');
      expect(res.body.error).toMatchObject({ code });
      expect(res.body.error.message).toMatch(message);
      expect(res.body.error.message).not.toContain(faulty.url);
      expect(res.body.error.message).not.toMatch(/10\.244\./);
      expect(JSON.stringify(res.body)).not.toMatch(/\n\s+at /);
      expect(res.headers['retry-after']).toBe(
        name === 'ws-429' ? '7' : undefined,
      );
      // Answered, not hung: well before the total timeout (5 s).
      expect(Date.now() - started).toBeLessThan(5000);
      expect(lastAudit().outcome).toMatchObject({
        status: 'failed',
        meta: { outcome: code },
      });
    });
  });

  describe('after the first byte: a final SSE error event', () => {
    it.each([
      [
        'ws-reset',
        'unreachable',
        /closed the stream before the answer was complete|dropped the connection/,
      ],
      [
        'ws-invalid',
        'invalid_response',
        /invalid event stream \(an event is not a JSON object\)/,
      ],
      ['ws-stallmid', 'timeout', new RegExp(`sent nothing for ${IDLE_MS} ms`)],
      [
        'ws-nodone',
        'unreachable',
        /closed the stream before the answer was complete/,
      ],
    ])('%s -> %s', async (name, code, message) => {
      const chat = chatStream(name);
      await chat.done;
      expect(chat.status).toBe(200);
      expect(chat.headers?.['content-type']).toContain('text/event-stream');
      const events = chat.json();
      expect(events.length).toBeGreaterThanOrEqual(2);
      expect(events[0].object).toBe('chat.completion.chunk');
      const last = events.at(-1);
      expect(last.error).toMatchObject({ code, type: 'server_error' });
      expect(last.error.message).toMatch(message);
      expect(chat.raw).not.toContain('<html>');
      expect(chat.events.at(-1)?.data).not.toBe('[DONE]');
      expect(lastAudit().outcome).toMatchObject({
        status: 'failed',
        meta: { outcome: code },
      });
    });
  });

  it('aborts the upstream request within 100 ms of the caller going away', async () => {
    const chat = chatStream('slow', { max_tokens: 256 });
    await chat.until(c => c.json().length >= 3, 'a few chunks');
    faulty.closedAt.delete('slow');
    const abortedAt = performance.now();
    chat.abort();
    await waitFor(() => faulty.closedAt.has('slow'), 'upstream closed', 2000);
    expect(faulty.closedAt.get('slow')! - abortedAt).toBeLessThan(100);
    await waitFor(
      () => lastAudit().outcome?.meta?.outcome === 'client_aborted',
      'audit of the abort',
    );
  });

  it('relays chunks as they arrive instead of buffering the answer', async () => {
    faulty.closedAt.delete('ok');
    const chat = chatStream('ok', { max_tokens: 200 });
    await chat.done;
    expect(chat.json().length).toBeGreaterThan(10);
    expect(chat.events.at(-1)?.data).toBe('[DONE]');
    // Order, not timing: the first chunk reached the caller before the model
    // server had finished its answer (a buffering relay sends nothing until
    // then). relay.upstream.test.ts checks the same in lockstep.
    expect(chat.firstByteAt!).toBeLessThan(faulty.closedAt.get('ok')!);
  });

  describe('limits', () => {
    const post = (body: unknown, name = 'ok') =>
      kb.post(`${entityPath(name)}/chat/completions`, body);

    it('refuses a body over maxBodyBytes with 413 naming the limit', async () => {
      const res = await post({
        messages: [{ role: 'user', content: 'x'.repeat(5000) }],
      });
      expect(res.status).toBe(413);
      expect(res.body.error).toMatchObject({
        code: 'limit_exceeded',
        limit: 'maxBodyBytes',
      });
      expect(res.body.error.message).toContain('kaito.limits.maxBodyBytes');
    });

    it('refuses too many messages and too many tokens with 413', async () => {
      const many = await post({
        messages: Array.from({ length: 6 }, () => ({
          role: 'user',
          content: 'a',
        })),
      });
      expect(many.status).toBe(413);
      expect(many.body.error).toMatchObject({
        limit: 'maxMessages',
        param: 'messages',
      });
      const tokens = await post({
        messages: [{ role: 'user', content: 'a' }],
        max_tokens: 257,
      });
      expect(tokens.status).toBe(413);
      expect(tokens.body.error).toMatchObject({
        limit: 'maxTokens',
        param: 'max_tokens',
      });
      const completionTokens = await post({
        messages: [{ role: 'user', content: 'a' }],
        max_completion_tokens: 9999,
      });
      expect(completionTokens.body.error).toMatchObject({
        limit: 'maxTokens',
        param: 'max_completion_tokens',
      });
    });

    it('caps the answer at maxTokens when the caller sets no limit', async () => {
      // Streamed, so the answer is read as it is generated: a JSON answer
      // sends nothing until all 256 tokens exist, which a loaded machine can
      // stretch past this suite's short idle timeout.
      const chat = chatStream('ok', {
        messages: [{ role: 'user', content: 'a' }],
        stream_options: { include_usage: true },
      });
      await chat.done;
      expect(chat.status).toBe(200);
      expect(chat.events.at(-1)?.data).toBe('[DONE]');
      const usage = chat.json().find(e => e.usage)?.usage;
      expect(usage.completion_tokens).toBeGreaterThan(0);
      expect(usage.completion_tokens).toBeLessThanOrEqual(256);
      await waitFor(() => lastAudit().outcome, 'the audit event');
      expect(lastAudit().outcome?.meta).toMatchObject({
        maxTokens: 256,
        tokenSource: 'usage',
        tokensOut: usage.completion_tokens,
      });
    });

    it('limits concurrent chats per user with 429, and counts users separately', async () => {
      const a = chatStream('slow', { max_tokens: 256 }, 'user:default/alice');
      const b = chatStream('slow', { max_tokens: 256 }, 'user:default/alice');
      await a.until(c => c.events.length > 0, 'first stream');
      await b.until(c => c.events.length > 0, 'second stream');
      const third = await kb.post(
        `${entityPath('ok')}/chat/completions`,
        { messages: [{ role: 'user', content: 'a' }] },
        'user:default/alice',
      );
      expect(third.status).toBe(429);
      expect(third.body.error).toMatchObject({
        limit: 'maxConcurrentStreamsPerUser',
      });
      // One token: a JSON answer sends nothing until it is complete, and
      // this suite's idle timeout is short (for the stall tests).
      const bob = await kb.post(
        `${entityPath('ok')}/chat/completions`,
        { messages: [{ role: 'user', content: 'a' }], max_tokens: 1 },
        'user:default/bob',
      );
      expect(bob.status).toBe(200);
      a.abort();
      b.abort();
      await waitFor(async () => {
        const again = await kb.post(
          `${entityPath('ok')}/chat/completions`,
          { messages: [{ role: 'user', content: 'a' }], max_tokens: 1 },
          'user:default/alice',
        );
        return again.status === 200;
      }, 'slots released');
    });
  });

  describe('readiness stream lifecycle', () => {
    it('sends heartbeats and closes cleanly after its maximum age, telling the client to come back', async () => {
      const events = new StreamClient(
        `${base}${entityPath('ok')}/workspace/events`,
        {
          headers: { authorization: mockCredentials.user.header() },
        },
      );
      await events.done;
      expect(events.raw).toContain('retry: 2000');
      expect(events.raw).toContain(': heartbeat');
      expect(events.events[0].event).toBe('snapshot');
      expect(events.events.at(-1)).toEqual({
        event: 'end',
        data: JSON.stringify({ reason: 'max-age' }),
      });
    });
  });
});
