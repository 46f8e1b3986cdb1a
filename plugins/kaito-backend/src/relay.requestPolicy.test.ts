import { component } from './__testUtils__/entities';
import {
  entityPath,
  KaitoTestBackend,
  LogRecord,
  startKaitoTestBackend,
} from './__testUtils__/backend';
import { completion, ScriptedUpstream } from './__testUtils__/ScriptedUpstream';

// What of a caller's request reaches a model server: the model comes from
// config, only listed OpenAI fields travel, cost-multiplying fields are
// refused, and a body too deep to serialise is the caller's 400. Driven
// through the real backend against an OpenAI-style server of our own.

describe('what of a chat request reaches the model server', () => {
  let upstream: ScriptedUpstream;
  let kb: KaitoTestBackend;
  const logs: LogRecord[] = [];

  beforeAll(async () => {
    upstream = await ScriptedUpstream.start();
    upstream.scripts.set('azure', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(completion('hello'));
    });
    kb = await startKaitoTestBackend({
      logs,
      config: {
        kubernetes: { clusterLocatorMethods: [] },
        kaito: {
          // Caps from config: two stop sequences, two choices (defaults 4 and 1).
          chat: { maxStopSequences: 2, maxChoices: 2 },
          externalTargets: [
            {
              name: 'azure',
              baseUrl: upstream.baseUrl('azure'),
              model: 'gpt-4o-mini-deployment',
            },
          ],
        },
      },
      entities: [component('azure', { 'kaito.sh/external-target': 'azure' })],
    });
  }, 60_000);

  afterAll(async () => {
    await kb?.stop();
    await upstream?.stop();
  });

  const post = (body: Record<string, unknown>) =>
    kb.post(`${entityPath('azure')}/chat/completions`, {
      messages: [{ role: 'user', content: 'Explain GPUs' }],
      ...body,
    });
  const lastSent = () => JSON.parse(upstream.chats.at(-1)!.body);

  it('refuses a model other than the configured one with a 400 naming it, and sends nothing', async () => {
    const before = upstream.chats.length;
    const res = await post({ model: 'gpt-4o-EXPENSIVE-deployment' });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      type: 'invalid_request_error',
      code: 'invalid_request',
    });
    expect(res.body.error.message).toContain('gpt-4o-EXPENSIVE-deployment');
    expect(res.body.error.message).toContain('allowed: gpt-4o-mini-deployment');
    expect(upstream.chats.length).toBe(before);
  });

  it("logs the caller's own mistake (a model not served) at info, not as a warning", async () => {
    const before = logs.length;
    const res = await post({ model: 'gpt-4o-EXPENSIVE-deployment' });
    expect(res.status).toBe(400);
    const lines = logs.slice(before).filter(l => /Chat relay/.test(l.message));
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'info',
        message: expect.stringContaining('(invalid_request)'),
      }),
    ]);
    expect(logs.slice(before).filter(l => l.level === 'warn')).toEqual([]);
  });

  it('sends the completion limit as max_completion_tokens, the cap when the caller set none', async () => {
    expect((await post({ max_tokens: 100 })).status).toBe(200);
    expect(lastSent()).toMatchObject({ max_completion_tokens: 100 });
    expect(lastSent()).not.toHaveProperty('max_tokens');
    expect((await post({})).status).toBe(200);
    // No context length is known for an external model: kaito.limits.maxTokens.
    expect(lastSent()).toMatchObject({ max_completion_tokens: 4096 });
    expect(lastSent()).not.toHaveProperty('max_tokens');
  });

  it('takes the field caps from kaito.chat', async () => {
    const stops = await post({ stop: ['a', 'b', 'c'] });
    expect(stops.status).toBe(400);
    expect(stops.body.error.param).toBe('stop');
    expect((await post({ n: 2 })).status).toBe(200);
    expect(lastSent().n).toBe(2);
    const three = await post({ n: 3 });
    expect(three.status).toBe(400);
    expect(three.body.error.message).toContain('n is capped at 2');
  });

  it('sends the configured model when the request names it or none', async () => {
    expect((await post({})).status).toBe(200);
    expect(lastSent().model).toBe('gpt-4o-mini-deployment');
    expect((await post({ model: 'gpt-4o-mini-deployment' })).status).toBe(200);
    expect(lastSent().model).toBe('gpt-4o-mini-deployment');
  });

  it.each([
    [{ best_of: 50 }, 'best_of'],
    [{ ignore_eos: true }, 'ignore_eos'],
    [{ min_tokens: 4000 }, 'min_tokens'],
    [{ use_beam_search: true }, 'use_beam_search'],
    [{ n: 4 }, 'n'],
    [{ logprobs: true, top_logprobs: 20 }, 'top_logprobs'],
  ])(
    'refuses %j with a 400 naming %s, and sends nothing',
    async (extra, field) => {
      const before = upstream.chats.length;
      const res = await post(extra);
      expect(res.status).toBe(400);
      expect(res.body.error.param).toBe(field);
      expect(res.body.error.message).toContain(field);
      expect(upstream.chats.length).toBe(before);
    },
  );

  it('forwards listed OpenAI fields and drops the rest', async () => {
    const res = await post({
      temperature: 0.2,
      stop: ['\n\n'],
      seed: 7,
      logprobs: true,
      top_logprobs: 3,
      response_format: { type: 'json_object' },
      guided_json: { type: 'object' },
      extra_body: { anything: true },
      messages: [
        { role: 'user', content: 'Explain GPUs', cache_control: { x: 1 } },
      ],
    });
    expect(res.status).toBe(200);
    const sent = lastSent();
    expect(sent).toMatchObject({
      temperature: 0.2,
      stop: ['\n\n'],
      seed: 7,
      logprobs: true,
      top_logprobs: 3,
      response_format: { type: 'json_object' },
    });
    expect(sent).not.toHaveProperty('guided_json');
    expect(sent).not.toHaveProperty('extra_body');
    expect(sent.messages).toEqual([{ role: 'user', content: 'Explain GPUs' }]);
  });

  it('answers a deeply nested body with a 400 naming where, not a 502', async () => {
    // Written as text: JSON.parse takes this depth, JSON.stringify does not.
    const deep = `${'{"a":'.repeat(20_000)}{}${'}'.repeat(20_000)}`;
    const before = upstream.chats.length;
    const res = await kb.post(
      `${entityPath('azure')}/chat/completions`,
      `{"messages":[{"role":"user","content":"hi"}],"tools":[{"type":"function","function":{"name":"f","parameters":${deep}}}]}`,
    );
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_request');
    expect(res.body.error.message).toMatch(/nests deeper than \d+ levels/);
    expect(res.body.error.param).toMatch(/^tools\.0\.function\.parameters/);
    expect(upstream.chats.length).toBe(before);
  });
});
