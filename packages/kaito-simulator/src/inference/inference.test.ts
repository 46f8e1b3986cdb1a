import { startSimulator, RunningSimulator } from '../simulator';
import { kube, waitFor, workspace, WS_PATH } from '../__testUtils__/http';
import { generate } from './generator';

async function readyWorkspace(
  sim: RunningSimulator,
  name: string,
  extra: Record<string, unknown> = {},
): Promise<string> {
  const res = await kube(
    sim,
    'POST',
    WS_PATH('default'),
    workspace(name, 'default', extra),
  );
  expect(res.status).toBe(201);
  return waitFor(
    () => sim.inferenceUrl('default', name),
    `${name} inference URL`,
  );
}

const chat = (base: string, body: unknown) =>
  fetch(`${base}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

function frames(text: string): string[] {
  return text
    .split('\n\n')
    .filter(Boolean)
    .map(f => f.replace(/^data: /, ''));
}

describe('simulated vLLM inference server', () => {
  let sim: RunningSimulator;
  let base: string;
  beforeAll(async () => {
    sim = await startSimulator({ log: () => {} });
    base = await readyWorkspace(sim, 'chat');
  });
  afterAll(() => sim.stop());

  it('serves /health, /version and /v1/models with the served model name', async () => {
    const health = await fetch(`${base}/health`);
    expect(health.status).toBe(200);
    expect(await health.text()).toBe('');
    expect(await (await fetch(`${base}/version`)).json()).toEqual({
      version: expect.any(String),
    });
    const models = await (await fetch(`${base}/v1/models`)).json();
    expect(models).toMatchObject({
      object: 'list',
      data: [
        {
          id: 'phi-4-mini-instruct',
          object: 'model',
          owned_by: 'vllm',
          root: 'microsoft/Phi-4-mini-instruct',
          max_model_len: 131072,
        },
      ],
    });
    const missing = await fetch(`${base}/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ detail: 'Not Found' });
  });

  it('answers a chat completion deterministically and says it is simulated', async () => {
    const body = {
      model: 'phi-4-mini-instruct',
      messages: [{ role: 'user', content: 'What is KAITO?' }],
    };
    const a = await (await chat(base, body)).json();
    const b = await (await chat(base, body)).json();
    expect(a.object).toBe('chat.completion');
    expect(a.id).toMatch(/^chatcmpl-/);
    expect(a.choices[0].message).toMatchObject({ role: 'assistant' });
    expect(a.choices[0].message.content).toBe(b.choices[0].message.content);
    expect(a.choices[0].message.content).toMatch(
      /simulated response from phi-4-mini-instruct/,
    );
    expect(a.choices[0].message.content).toContain('What is KAITO?');
    expect(a.choices[0].finish_reason).toBe('stop');
    expect(a.usage.total_tokens).toBe(
      a.usage.prompt_tokens + a.usage.completion_tokens,
    );
    const other = await (
      await chat(base, {
        messages: [{ role: 'user', content: 'Something else' }],
      })
    ).json();
    expect(other.choices[0].message.content).not.toBe(
      a.choices[0].message.content,
    );
  });

  it('honours max_tokens and stop', async () => {
    const limited = await (
      await chat(base, {
        max_tokens: 5,
        messages: [{ role: 'user', content: 'hi' }],
      })
    ).json();
    expect(limited.choices[0].finish_reason).toBe('length');
    expect(limited.usage.completion_tokens).toBe(5);
    expect(limited.choices[0].message.content.trim().split(/\s+/)).toHaveLength(
      5,
    );
    const stopped = await (
      await chat(base, {
        stop: ['KAITO'],
        messages: [{ role: 'user', content: 'hi' }],
      })
    ).json();
    expect(stopped.choices[0].finish_reason).toBe('stop');
    expect(stopped.choices[0].message.content).toBe(
      'This is a simulated response from phi-4-mini-instruct, served by the ',
    );
  });

  it('ends an answer max_tokens did not cut with a whole sentence and finish_reason stop', async () => {
    for (let i = 0; i < 12; i++) {
      const a = await (
        await chat(base, { messages: [{ role: 'user', content: `q${i}` }] })
      ).json();
      expect(a.choices[0].finish_reason).toBe('stop');
      expect(a.choices[0].message.content).toMatch(/[.!?"]$/);
    }
  });

  it("refuses prompt + max_tokens past the model's context length with vLLM's 400", async () => {
    const sim4k = await startSimulator({ log: () => {} });
    try {
      const base4k = await readyWorkspace(sim4k, 'ctx', {
        inference: { preset: { name: 'phi-3-mini-4k-instruct' } },
      });
      const messages = [{ role: 'user', content: 'Explain GPUs' }];
      const prompt = 2 + 4 + 2; // template framing + two words
      const over = await chat(base4k, { messages, max_tokens: 4096 });
      expect(over.status).toBe(400);
      expect(await over.json()).toEqual({
        error: {
          message: `'max_tokens' or 'max_completion_tokens' is too large: 4096. This model's maximum context length is 4096 tokens and your request has ${prompt} input tokens (4096 > 4096 - ${prompt}).`,
          type: 'BadRequestError',
          param: null,
          code: 400,
        },
      });
      const fits = await chat(base4k, { messages, max_tokens: 4096 - prompt });
      expect(fits.status).toBe(200);
      const long = await chat(base4k, {
        messages: [{ role: 'user', content: 'word '.repeat(5000) }],
      });
      expect(long.status).toBe(400);
      expect((await long.json()).error.message).toBe(
        "This model's maximum context length is 4096 tokens. However, your request has 5006 input tokens. Please reduce the length of the input messages.",
      );
    } finally {
      await sim4k.stop();
    }
  });

  it('streams SSE chunks, optional usage and [DONE]', async () => {
    const res = await chat(base, {
      stream: true,
      max_tokens: 7,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(res.headers.get('content-type')).toBe(
      'text/event-stream; charset=utf-8',
    );
    const f = frames(await res.text());
    expect(f[f.length - 1]).toBe('[DONE]');
    const chunks = f.slice(0, -1).map(x => JSON.parse(x));
    expect(chunks[0].choices[0].delta).toEqual({
      role: 'assistant',
      content: '',
    });
    expect(
      chunks.every(
        c => c.object === 'chat.completion.chunk' && c.id === chunks[0].id,
      ),
    ).toBe(true);
    expect(chunks.filter(c => c.choices[0].delta.content)).toHaveLength(7);
    expect(chunks[chunks.length - 1].choices[0].finish_reason).toBe('length');
    expect(chunks.some(c => c.usage)).toBe(false);

    const withUsage = frames(
      await (
        await chat(base, {
          stream: true,
          stream_options: { include_usage: true },
          messages: [{ role: 'user', content: 'hi' }],
        })
      ).text(),
    );
    const usage = JSON.parse(withUsage[withUsage.length - 2]);
    expect(usage.choices).toEqual([]);
    expect(usage.usage).toMatchObject({
      prompt_tokens: expect.any(Number),
      completion_tokens: expect.any(Number),
    });
  });

  it('rejects bad requests the way vLLM does', async () => {
    const wrongModel = await chat(base, {
      model: 'gpt-4',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(wrongModel.status).toBe(404);
    expect(await wrongModel.json()).toEqual({
      error: {
        message: 'The model `gpt-4` does not exist.',
        type: 'NotFoundError',
        param: null,
        code: 404,
      },
    });
    const noMessages = await chat(base, { model: 'phi-4-mini-instruct' });
    expect(noMessages.status).toBe(400);
    expect((await noMessages.json()).error.type).toBe('BadRequestError');
    const notJson = await fetch(`${base}/v1/chat/completions`, {
      method: 'POST',
      body: '{oops',
    });
    expect(notJson.status).toBe(400);
    const badMax = await chat(base, {
      max_tokens: -1,
      messages: [{ role: 'user', content: 'x' }],
    });
    expect(badMax.status).toBe(400);
    const getChat = await fetch(`${base}/v1/chat/completions`);
    expect(getChat.status).toBe(405);
  });
});

describe('inference pacing, rate limiting and runtimes', () => {
  it('streams at the configured token rate and answers 429 past the concurrency limit', async () => {
    const sim = await startSimulator({
      inference: { tokensPerSecond: 100, maxConcurrency: 1 },
      log: () => {},
    });
    try {
      const base = await readyWorkspace(sim, 'busy');
      const started = Date.now();
      const first = chat(base, {
        stream: true,
        max_tokens: 20,
        messages: [{ role: 'user', content: 'hi' }],
      });
      const firstRes = await first;
      const second = await chat(base, {
        messages: [{ role: 'user', content: 'me too' }],
      });
      expect(second.status).toBe(429);
      expect(await second.json()).toEqual({
        error: {
          message:
            'Too many requests: waiting queue (2) exceeds max-num-seqs (1).',
          type: 'requests',
          param: null,
          code: 'rate_limit_exceeded',
        },
      });
      // Health and model listing are never rate limited.
      expect((await fetch(`${base}/health`)).status).toBe(200);
      expect((await fetch(`${base}/v1/models`)).status).toBe(200);
      await firstRes.text();
      expect(Date.now() - started).toBeGreaterThanOrEqual(180);
      const metrics = await (await fetch(`${base}/metrics`)).text();
      expect(metrics).toContain('kaito_ratelimit_rejected_total 1');
      expect(metrics).toMatch(
        /vllm:generation_tokens_total\{model_name="phi-4-mini-instruct"\} 20/,
      );
    } finally {
      await sim.stop();
    }
  });

  it('serves only the legacy POST /chat for the transformers runtime on KAITO <= 0.8', async () => {
    const sim = await startSimulator({
      controllerVersion: '0.8.0',
      log: () => {},
    });
    try {
      const base = await readyWorkspace(sim, 'legacy', {
        metadata: { annotations: { 'kaito.sh/runtime': 'transformers' } },
        inference: { preset: { name: 'phi-3-mini-4k-instruct' } },
      });
      const post = (body: unknown) =>
        fetch(`${base}/chat`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      const text = await (
        await post({ prompt: 'Tell me', generate_kwargs: { max_length: 10 } })
      ).json();
      expect(text.Result).toMatch(/^Tell me This is a simulated response/);
      const conv = await (
        await post({ messages: [{ role: 'user', content: 'hi' }] })
      ).json();
      expect(conv.Result).toMatch(/^This is a simulated response/);
      // What the relay sends: max_new_tokens, which HF prefers to max_length.
      const short = await (
        await post({
          messages: [{ role: 'user', content: 'hi' }],
          generate_kwargs: { max_new_tokens: 4, max_length: 500 },
        })
      ).json();
      expect(short.Result.split(/\s+/)).toHaveLength(4);
      // max_length alone counts the prompt in (HF generate), messages too:
      // a 40-word prompt under max_length 50 leaves about 4 new tokens.
      const framed = await (
        await post({
          messages: [{ role: 'user', content: 'word '.repeat(40).trim() }],
          generate_kwargs: { max_length: 50 },
        })
      ).json();
      expect(framed.Result.split(/\s+/).length).toBeLessThanOrEqual(4);
      const bad = await post({ generate_kwargs: {} });
      expect(bad.status).toBe(400);
      expect(await bad.json()).toEqual({
        detail: 'Text generation parameter prompt required',
      });
      expect(
        (await chat(base, { messages: [{ role: 'user', content: 'hi' }] }))
          .status,
      ).toBe(404);
      expect(await (await fetch(`${base}/health`)).json()).toEqual({
        status: 'Healthy',
      });
      expect(await (await fetch(`${base}/`)).json()).toEqual({
        message: 'Server is running',
      });
      // The same path through the API server's service proxy.
      const proxied = await kube(
        sim,
        'POST',
        '/api/v1/namespaces/default/services/legacy:http/proxy/chat',
        { prompt: 'Via proxy' },
      );
      expect(proxied.json.Result).toMatch(/^Via proxy/);
    } finally {
      await sim.stop();
    }
  });

  it('speaks OpenAI for the transformers runtime from KAITO 0.9', async () => {
    const sim = await startSimulator({ log: () => {} });
    try {
      const base = await readyWorkspace(sim, 'tf', {
        metadata: { annotations: { 'kaito.sh/runtime': 'transformers' } },
        inference: { preset: { name: 'phi-3-mini-4k-instruct' } },
      });
      const models = await (await fetch(`${base}/v1/models`)).json();
      expect(models.data[0]).toMatchObject({
        id: 'phi-3-mini-4k-instruct',
        owned_by: 'kaito',
      });
      expect(await (await fetch(`${base}/health`)).json()).toEqual({
        status: 'Healthy',
      });
      expect(
        (await fetch(`${base}/chat`, { method: 'POST', body: '{}' })).status,
      ).toBe(404);
      const metrics = await (await fetch(`${base}/metrics`)).json();
      expect(metrics.gpu_info[0]).toHaveProperty('memory');
    } finally {
      await sim.stop();
    }
  });
});

describe('generator', () => {
  it('is deterministic, honours min_tokens and cuts at the earliest stop sequence', () => {
    const input = { model: 'm', messages: [{ role: 'user', content: 'x' }] };
    expect(generate(input)).toEqual(generate(input));
    expect(generate({ ...input, seed: 1 }).tokens).not.toEqual(
      generate({ ...input, seed: 2 }).tokens,
    );
    const long = generate({ ...input, minTokens: 500, maxTokens: 500 });
    expect(long.tokens).toHaveLength(500);
    expect(long.finishReason).toBe('length');
    expect(
      generate({ ...input, minTokens: 500 }).tokens.length,
    ).toBeGreaterThan(500);
    const cut = generate({ ...input, stop: ['served', 'simulated'] });
    expect(cut.tokens.join('')).toBe('This is a ');
  });

  it('writes about ten times more when the prompt asks for a long answer', () => {
    const ask = (content: string) =>
      generate({ model: 'm', messages: [{ role: 'user', content }] }).tokens
        .length;
    expect(ask('What is a GPU?')).toBeLessThan(200);
    expect(ask('Now write a long essay about GPUs')).toBeGreaterThanOrEqual(
      400,
    );
    expect(ask('Explain KV caches in detail')).toBeGreaterThanOrEqual(400);
  });
});
