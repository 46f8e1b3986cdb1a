import { mockCredentials } from '@backstage/backend-test-utils';
import { entityPath } from './__testUtils__/backend';
import {
  RecordedMetrics,
  recordingMetricsFactory,
} from './__testUtils__/metrics';
import {
  ChatScript,
  chunk,
  completion,
} from './__testUtils__/ScriptedUpstream';
import { startFloodChat } from './__testUtils__/floodChat';
import {
  ScriptedRelay,
  startScriptedRelay,
} from './__testUtils__/scriptedRelay';
import { StreamClient } from './__testUtils__/sseClient';

// The relay, seen from outside: a scripted OpenAI-compatible model server
// (an external target) on one side, an HTTP caller on the other, and the
// audit events and metrics an operator reads back.

const MAX_RESPONSE_BYTES = 4096;

/** Targets this file scripts, one catalog entity each. */
const TARGETS = [
  'json',
  'sse',
  'big',
  'nochoices',
  'cut',
  'usage',
  'empty',
  'invalid',
  'flood',
  'tail',
  'lockstep',
];

describe('the chat relay against a scripted model server', () => {
  let relay: ScriptedRelay;
  const metrics = new RecordedMetrics();

  beforeAll(async () => {
    relay = await startScriptedRelay({
      targets: TARGETS,
      limits: {
        maxResponseBytes: MAX_RESPONSE_BYTES,
        // Long enough never to fire on a loaded machine: these tests
        // wait on events, and a leaked timer of this length shows up in
        // the handle count.
        idleTimeoutMs: 120_000,
        totalTimeoutMs: 600_000,
      },
      extraFeatures: [recordingMetricsFactory(metrics)],
    });
  }, 60_000);

  afterAll(() => relay?.stop());

  const script = (target: string, s: ChatScript) =>
    relay.upstream.scripts.set(target, s);
  const post = (target: string, body: Record<string, unknown> = {}) =>
    relay.kb.post(`${entityPath(target)}/chat/completions`, {
      messages: [{ role: 'user', content: 'Explain GPUs' }],
      ...body,
    });
  const stream = (target: string, body: Record<string, unknown> = {}) =>
    new StreamClient(`${relay.base}${entityPath(target)}/chat/completions`, {
      method: 'POST',
      headers: {
        authorization: mockCredentials.user.header(),
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        messages: [{ role: 'user', content: 'Explain GPUs' }],
        stream: true,
        ...body,
      }),
    });
  const chatAudits = () =>
    relay.kb.audits.filter(a => a.options.eventId === 'chat-completion');
  /** The last chat audit event, once it has ended. */
  const lastAudit = async () => {
    for (let i = 0; i < 1000; i++) {
      const a = chatAudits().at(-1);
      if (a?.outcome) return a;
      await new Promise(r => setImmediate(r));
    }
    throw new Error('the last chat audit event never ended');
  };
  const errors = (kind: string) => metrics.sum('kaito.chat.errors', { kind });
  const requests = (outcome: string) =>
    metrics.sum('kaito.chat.requests', { outcome, protocol: 'openai' });

  const json =
    (body: string): ChatScript =>
    (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(body);
    };
  const sse =
    (...events: string[]): ChatScript =>
    (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      for (const e of events) res.write(e);
      res.end();
    };

  describe('JSON answers', () => {
    it('passes a JSON answer through byte for byte, counted as completed', async () => {
      const body = completion('Hello there', {
        usage: { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 },
      });
      script('json', json(body));
      const before = requests('completed');
      const res = await post('json');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toContain('application/json');
      expect(res.text).toBe(body);
      expect(requests('completed')).toBe(before + 1);
      const audit = await lastAudit();
      expect(audit.outcome).toMatchObject({
        status: 'succeeded',
        meta: {
          outcome: 'completed',
          tokensIn: 7,
          tokensOut: 3,
          tokenSource: 'usage',
        },
      });
    });

    it('accepts an answer of exactly maxResponseBytes and refuses one byte more (502, naming the limit)', async () => {
      const sized = (n: number) => {
        const empty = completion('');
        return completion('x'.repeat(n - Buffer.byteLength(empty)));
      };
      const exact = sized(MAX_RESPONSE_BYTES);
      expect(Buffer.byteLength(exact)).toBe(MAX_RESPONSE_BYTES);
      script('big', json(exact));
      const ok = await post('big');
      expect(ok.status).toBe(200);
      expect(ok.text).toBe(exact);

      // Sent in small pieces, so the limit is checked as the bytes arrive.
      const over = sized(MAX_RESPONSE_BYTES * 4);
      script('big', (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        for (let i = 0; i < over.length; i += 1000)
          res.write(over.slice(i, i + 1000));
        res.end();
      });
      const errorsBefore = errors('invalid_response');
      const tooBig = await post('big');
      expect(tooBig.status).toBe(502);
      expect(tooBig.headers['content-type']).toContain('application/json');
      expect(tooBig.body.error.code).toBe('invalid_response');
      expect(tooBig.body.error.message).toContain(
        'kaito.limits.maxResponseBytes',
      );
      expect(errors('invalid_response')).toBe(errorsBefore + 1);
      expect((await lastAudit()).outcome).toMatchObject({
        status: 'failed',
        meta: { outcome: 'invalid_response' },
      });
    });

    it.each([
      ['an object without choices', '{"id":"x","object":"chat.completion"}'],
      ['choices that are not a list', '{"choices":{"0":{}}}'],
      ['text that is not JSON', 'upstream says hello'],
      ['JSON null', 'null'],
    ])('refuses %s as a chat completion (502)', async (_what, body) => {
      script('nochoices', json(body));
      const errorsBefore = errors('invalid_response');
      const res = await post('nochoices');
      expect(res.status).toBe(502);
      expect(res.body.error.code).toBe('invalid_response');
      expect(res.body.error.message).toMatch(/not a chat completion/);
      expect(errors('invalid_response')).toBe(errorsBefore + 1);
    });

    it('turns a JSON answer into an OpenAI chunk stream for a caller who asked for one', async () => {
      script(
        'json',
        json(
          completion('Streamed anyway', {
            usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 },
          }),
        ),
      );
      const chat = stream('json');
      await chat.done;
      expect(chat.status).toBe(200);
      expect(chat.headers?.['content-type']).toContain('text/event-stream');
      const events = chat.json();
      expect(events[0].object).toBe('chat.completion.chunk');
      expect(events[0].choices[0].delta).toEqual({
        role: 'assistant',
        content: 'Streamed anyway',
      });
      expect(events.at(-1).choices[0].finish_reason).toBe('stop');
      expect(events.at(-1).usage).toMatchObject({ completion_tokens: 2 });
      expect(chat.events.at(-1)?.data).toBe('[DONE]');
    });

    it('refuses to hand an event stream to a caller who asked for JSON (502)', async () => {
      script('sse', sse(chunk({ content: 'hi' }), 'data: [DONE]\n\n'));
      const res = await post('sse', { stream: false });
      expect(res.status).toBe(502);
      expect(res.headers['content-type']).toContain('application/json');
      expect(res.body.error.code).toBe('invalid_response');
      expect(res.body.error.message).toMatch(
        /content type "text\/event-stream" instead of application\/json/,
      );
    });

    it('reports an upstream that drops the connection mid-answer as unreachable, without hanging', async () => {
      script('cut', (_req, res) => {
        res.writeHead(200, {
          'content-type': 'application/json',
          'content-length': '5000',
        });
        res.write('{"id":"x","choices":[');
        setImmediate(() => res.socket?.destroy());
      });
      const before = errors('unreachable');
      const res = await post('cut');
      expect(res.status).toBe(502);
      expect(res.body.error.code).toBe('unreachable');
      expect(errors('unreachable')).toBe(before + 1);
      expect((await lastAudit()).outcome?.meta).toMatchObject({
        outcome: 'unreachable',
      });
    });
  });

  describe('event streams', () => {
    it('relays an event stream whose last event has no trailing blank line', async () => {
      script('tail', (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(chunk({ role: 'assistant', content: 'Hi' }));
        res.end('data: [DONE]');
      });
      const chat = stream('tail');
      await chat.done;
      expect(chat.json()).toHaveLength(1);
      expect(chat.events.at(-1)?.data).toBe('[DONE]');
      expect((await lastAudit()).outcome?.meta).toMatchObject({
        outcome: 'completed',
      });
    });

    it('captures usage from the stream instead of estimating', async () => {
      script(
        'usage',
        sse(
          chunk({ role: 'assistant', content: 'One' }),
          chunk({ content: ' two' }),
          chunk(
            {},
            {
              usage: {
                prompt_tokens: 11,
                completion_tokens: 42,
                total_tokens: 53,
              },
            },
          ),
          'data: [DONE]\n\n',
        ),
      );
      const inBefore = metrics.sum('kaito.chat.tokens', { direction: 'in' });
      const outBefore = metrics.sum('kaito.chat.tokens', { direction: 'out' });
      const chat = stream('usage');
      await chat.done;
      expect(chat.events.at(-1)?.data).toBe('[DONE]');
      expect((await lastAudit()).outcome?.meta).toMatchObject({
        outcome: 'completed',
        tokensIn: 11,
        tokensOut: 42,
        tokenSource: 'usage',
      });
      expect(metrics.sum('kaito.chat.tokens', { direction: 'in' })).toBe(
        inBefore + 11,
      );
      expect(metrics.sum('kaito.chat.tokens', { direction: 'out' })).toBe(
        outBefore + 42,
      );
    });

    it('counts neither empty deltas as tokens nor their arrival as the first token', async () => {
      // The role chunk (empty content) comes at once; the first real token
      // only once the caller has seen that chunk, and a little later.
      const sent: { head?: number; content?: number } = {};
      let release!: () => void;
      const gate = new Promise<void>(r => {
        release = r;
      });
      script('empty', (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(chunk({ role: 'assistant', content: '' }));
        sent.head = performance.now();
        void gate.then(() => {
          sent.content = performance.now();
          res.write(chunk({ content: 'Hel' }));
          res.write(chunk({ content: '' }));
          res.write(chunk({ reasoning_content: 'hmm' }));
          res.write(chunk({ content: 'lo' }));
          res.write(chunk({ content: null }));
          res.write(
            chunk(
              {},
              { choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
            ),
          );
          res.end('data: [DONE]\n\n');
        });
      });
      const ttftBefore = metrics.values(
        'kaito.chat.time_to_first_token',
      ).length;
      const chat = stream('empty');
      await chat.until(c => c.events.length >= 1, 'the role chunk');
      await new Promise(r => setTimeout(r, 300));
      release();
      await chat.done;
      const received = relay.upstream.chats.at(-1)!.receivedAt;
      expect(chat.events.at(-1)?.data).toBe('[DONE]');
      const audit = await lastAudit();
      expect(audit.outcome?.meta).toMatchObject({
        outcome: 'completed',
        // "Hel", "hmm" (reasoning) and "lo"; no usage, so counted chunks.
        tokensOut: 3,
        tokenSource: 'estimate',
      });
      // The first token cannot have been seen before it was sent, and the
      // relay started no later than the model server got the request.
      const ttft = audit.outcome!.meta!.timeToFirstTokenMs as number;
      expect(ttft).toBeGreaterThanOrEqual(Math.floor(sent.content! - received));
      const recorded = metrics.values('kaito.chat.time_to_first_token');
      expect(recorded).toHaveLength(ttftBefore + 1);
      expect(recorded.at(-1)!).toBeGreaterThanOrEqual(sent.content! - received);
    });

    it.each([
      ['a later event cut short', '{"choices":[{"delta":{"content":"x"}}]'],
      ['a later event that is a list', '[1,2,3]'],
      ['a later event that is text', 'hello'],
      ['a later usage event that is not JSON', '{"usage":{oops}}'],
      ['a later error event that is not JSON', '{"error": oops}'],
    ])(
      'ends the stream with an invalid_response error on %s',
      async (_w, bad) => {
        script(
          'invalid',
          sse(
            chunk({ role: 'assistant', content: 'ok' }),
            chunk({ content: ' fine' }),
            `data: ${bad}\n\n`,
            chunk({ content: 'never relayed' }),
            'data: [DONE]\n\n',
          ),
        );
        const before = errors('invalid_response');
        const chat = stream('invalid');
        await chat.done;
        expect(chat.status).toBe(200);
        const last = JSON.parse(chat.events.at(-1)!.data);
        expect(last.error).toMatchObject({
          code: 'invalid_response',
          type: 'server_error',
        });
        expect(last.error.message).toMatch(/invalid event stream/);
        expect(chat.raw).not.toContain('never relayed');
        expect(chat.raw).not.toContain(bad);
        expect(errors('invalid_response')).toBe(before + 1);
        expect((await lastAudit()).outcome?.meta).toMatchObject({
          outcome: 'invalid_response',
        });
      },
    );

    it('refuses a first event that looks like JSON but is not, before sending anything', async () => {
      script('invalid', sse('data: {not json}\n\n', 'data: [DONE]\n\n'));
      const res = await post('invalid', { stream: true });
      expect(res.status).toBe(502);
      expect(res.body.error.code).toBe('invalid_response');
      expect(res.body.error.message).toMatch(/an event is not JSON/);
    });

    it('reports an upstream that aborts mid-stream as unreachable, in a final event', async () => {
      script('cut', (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(chunk({ role: 'assistant', content: 'Half' }));
        res.write(chunk({ content: ' an answer' }), () =>
          setImmediate(() => res.socket?.destroy()),
        );
      });
      const before = errors('unreachable');
      const chat = stream('cut');
      await chat.done;
      const events = chat.json();
      expect(events[0].choices[0].delta.content).toBe('Half');
      expect(events.at(-1).error).toMatchObject({ code: 'unreachable' });
      expect(errors('unreachable')).toBe(before + 1);
      expect((await lastAudit()).outcome?.meta).toMatchObject({
        outcome: 'unreachable',
      });
    });

    it('aborts the upstream request once the caller has gone, and counts it once', async () => {
      let writeMore!: () => void;
      script('cut', (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(chunk({ role: 'assistant', content: 'Still' }));
        writeMore = () => res.write(chunk({ content: ' going' }));
      });
      const aborted = () =>
        metrics.sum('kaito.chat.requests', {
          outcome: 'client_aborted',
          protocol: 'openai',
        });
      const [requestsBefore, errorsBefore] = [
        aborted(),
        errors('client_aborted'),
      ];
      const chat = stream('cut');
      await chat.until(c => c.events.length >= 1, 'the first chunk');
      const record = relay.upstream.chats.at(-1)!;
      chat.abort();
      await relay.upstream.until(
        () => record.closedAt !== undefined,
        'the upstream request closed',
      );
      writeMore();
      const audit = await lastAudit();
      expect(audit.outcome?.meta).toMatchObject({ outcome: 'client_aborted' });
      expect(aborted()).toBe(requestsBefore + 1);
      expect(errors('client_aborted')).toBe(errorsBefore + 1);
    });
  });

  it('relays each chunk before the model server sends the next (no buffering)', async () => {
    // The model server sends chunk n+1 only once the caller has chunk n: a
    // relay that held chunks back would never deliver the first.
    const CHUNKS = 5;
    let next!: () => void;
    script('lockstep', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      let n = 0;
      next = () => {
        if (n < CHUNKS) res.write(chunk({ content: `t${n++}` }));
        else res.end('data: [DONE]\n\n');
      };
      next();
    });
    const chat = stream('lockstep');
    for (let i = 1; i <= CHUNKS; i++) {
      await chat.until(c => c.json().length >= i, `chunk ${i}`, 30_000);
      next();
    }
    await chat.done;
    expect(chat.json().map(e => e.choices[0].delta.content)).toEqual([
      't0',
      't1',
      't2',
      't3',
      't4',
    ]);
    expect(chat.events.at(-1)?.data).toBe('[DONE]');
  });

  it('pauses the model server while the caller reads slowly (back-pressure)', async () => {
    // A caller that reads nothing until told to.
    const chat = startFloodChat({
      script: handler => script('flood', handler),
      url: `${relay.base}${entityPath('flood')}/chat/completions`,
    });
    // Wait until the model server has finished, or has been held back with
    // nothing drained for a while: a relay without back-pressure reads on
    // and buffers the whole answer for the paused caller.
    await chat.heldBack(500, { orDone: true });
    expect(chat.progress.done).toBe(false);
    expect(chat.progress.written).toBeLessThan(chat.totalEvents);
    // Reading again releases the model server, and nothing was lost.
    const text = await chat.resume();
    expect(text.split('data: {').length - 1).toBe(chat.totalEvents);
    expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true);
    expect((await lastAudit()).outcome?.meta).toMatchObject({
      outcome: 'completed',
      tokensOut: chat.totalEvents,
    });
  }, 60_000);

  it('leaves no timer and no open stream behind after many chats', async () => {
    script('json', json(completion('short')));
    script('sse', sse(chunk({ content: 'short' }), 'data: [DONE]\n\n'));
    const timers = () =>
      process.getActiveResourcesInfo().filter(r => r === 'Timeout').length;
    // One of each first, so lazily created clients and pools exist.
    await post('json');
    await stream('sse').done;
    await lastAudit();
    const before = timers();
    for (let i = 0; i < 10; i++) {
      expect((await post('json')).status).toBe(200);
      const chat = stream('sse');
      await chat.done;
      expect(chat.events.at(-1)?.data).toBe('[DONE]');
    }
    await lastAudit();
    // Each chat arms a total and an idle timer of minutes; 20 chats that
    // left either behind would add 20 or more.
    expect(timers()).toBeLessThan(before + 10);
    expect(metrics.sum('kaito.chat.active_streams')).toBe(0);
    const finished = chatAudits().filter(a => a.outcome).length;
    expect(finished).toBe(chatAudits().length);
  });
});
