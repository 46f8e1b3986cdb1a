import { call, RAG_QUESTIONS, ragIndexBody } from '../__testUtils__/rag';
import { RagHarness, startRagHarness } from '../__testUtils__/ragHarness';

/**
 * The RAG chat on the service's own port, calling a real simulated
 * workspace's inference server as the engine calls LLM_INFERENCE_URL.
 */
describe('simulated RAG service: chat', () => {
  let h: RagHarness;
  let rag: RagHarness['rag'];
  let retrieveOnly: RagHarness['rag'];
  const make: RagHarness['make'] = o => h.make(o);
  beforeAll(async () => {
    h = await startRagHarness();
    rag = h.rag;
    retrieveOnly = await h.make({});
  });
  afterAll(() => h?.stop());

  it('chats with sources through the workspace, citing the best passage and saying it is simulated', async () => {
    const r = await call(rag.url, 'POST', '/v1/chat/completions', {
      index_name: 'docs',
      model: 'phi-4-mini-instruct',
      messages: [{ role: 'user', content: RAG_QUESTIONS[0].q }],
    });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({
      object: 'chat.completion',
      model: 'phi-4-mini-instruct',
      choices: [{ index: 0, finish_reason: 'stop' }],
    });
    const content: string = r.json.choices[0].message.content;
    expect(content).toContain('refund-policy.md');
    expect(content).toContain('within 30 days of delivery');
    expect(content).toMatch(/simulat/i);
    expect(r.json.source_nodes[0]).toMatchObject({
      metadata: { title: 'refund-policy.md' },
    });
    expect(r.json.usage.total_tokens).toBe(
      r.json.usage.prompt_tokens + r.json.usage.completion_tokens,
    );
  });

  it('falls back to a passthrough answer when nothing is relevant', async () => {
    const r = await call(rag.url, 'POST', '/v1/chat/completions', {
      index_name: 'docs',
      messages: [{ role: 'user', content: 'zebra xylophone' }],
    });
    expect(r.status).toBe(200);
    expect(r.json.source_nodes).toBeNull();
  });

  it('refuses what the engine refuses', async () => {
    const ask = (body: Record<string, unknown>, base = rag.url) =>
      call(base, 'POST', '/v1/chat/completions', {
        messages: [{ role: 'user', content: 'refund' }],
        ...body,
      });
    const cases: Array<[Record<string, unknown>, number, string]> = [
      [
        { index_name: 'docs', stream: true },
        400,
        'stream=true is only supported for passthrough chat completions.',
      ],
      [{ index_name: 'nope' }, 404, "No such index: 'nope' exists."],
      [
        { index_name: 'docs', context_token_ratio: 0.9 },
        400,
        'Invalid context_token_ratio: 0.9. Must be between 0.2 and 0.8.',
      ],
      [
        { tools: [{ type: 'function' }] },
        400,
        'tools and functions are not supported.',
      ],
      [{ n: 2 }, 400, 'n > 1 is not supported.'],
      [
        {
          index_name: 'docs',
          messages: [
            { role: 'user', content: 'q' },
            { role: 'assistant', content: 'a' },
          ],
        },
        400,
        'There must be a user prompt since the latest assistant message.',
      ],
      [
        {
          index_name: 'docs',
          messages: [{ role: 'user', content: 'refund '.repeat(5000) }],
        },
        400,
        'Prompt length exceeds context window.',
      ],
    ];
    cases.push([
      { index_name: 'docs', messages: undefined },
      400,
      'There must be a user prompt since the latest assistant message.',
    ]);
    for (const [body, status, detail] of cases) {
      const r = await ask(body);
      expect([r.status, r.json]).toEqual([status, { detail }]);
    }
    const none = await ask({ index_name: 'docs' }, retrieveOnly.url);
    expect(none.status).toBe(503);
    expect(none.json.detail).toMatch(/^InferenceService not configured\./);
  });

  it('passes a chat without index_name through to the LLM, streamed or not', async () => {
    const plain = await call(rag.url, 'POST', '/v1/chat/completions', {
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(plain.status).toBe(200);
    expect(plain.json.choices[0].message.content).toMatch(/simulated response/);
    expect(plain.json.source_nodes).toBeNull();
    // The model's own 400 comes back with its status, the body as Python prints bytes.
    const noMessages = await call(rag.url, 'POST', '/v1/chat/completions', {});
    expect(noMessages.status).toBe(400);
    expect(noMessages.json.detail).toMatch(/^b'\{"error":/);
    const streamed = await call(rag.url, 'POST', '/v1/chat/completions', {
      stream: true,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(streamed.status).toBe(200);
    expect(streamed.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(streamed.text).toMatch(/^data: \{/);
    expect(streamed.text.trimEnd().endsWith('data: [DONE]')).toBe(true);
  });

  it('fails like the engine when the inference workspace is missing or not serving', async () => {
    const missing = await make({
      inferenceUrl: 'http://ghost/v1/chat/completions',
    });
    try {
      const rag2 = await call(
        missing.url,
        'POST',
        '/index',
        ragIndexBody('docs'),
      );
      expect(rag2.status).toBe(200);
      const r = await call(missing.url, 'POST', '/v1/chat/completions', {
        index_name: 'docs',
        messages: [{ role: 'user', content: RAG_QUESTIONS[0].q }],
      });
      expect([r.status, r.json]).toEqual([
        500,
        {
          detail:
            'Chat completion failed: [Errno -2] Name or service not known',
        },
      ]);
      const p = await call(missing.url, 'POST', '/v1/chat/completions', {
        messages: [{ role: 'user', content: 'hi' }],
      });
      expect([p.status, p.json]).toEqual([
        500,
        {
          detail:
            'Error during POST request: [Errno -2] Name or service not known',
        },
      ]);
    } finally {
      await missing.close();
    }
  });
});
