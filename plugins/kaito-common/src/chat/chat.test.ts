import {
  chatCompletionRequestSchema,
  createChatCompletionRequestSchema,
  DEFAULT_MAX_CHAT_MESSAGES,
} from './schema';
import {
  fromLegacyChatResponse,
  legacyFinishReason,
  toLegacyChatRequest,
} from './legacy';

describe('chatCompletionRequestSchema', () => {
  it('accepts a request without model and passes unknown OpenAI fields through', () => {
    const body = {
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
      top_p: 0.9,
      stop: ['\n'],
      stream_options: { include_usage: true },
      presence_penalty: 0.5,
      tools: [],
    };
    const parsed = chatCompletionRequestSchema.parse(body);
    expect(parsed).toEqual(body);
    expect(parsed.model).toBeUndefined();
  });

  it('accepts text content parts and null assistant content', () => {
    expect(
      chatCompletionRequestSchema.safeParse({
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'a' }] },
          { role: 'assistant', content: null },
        ],
      }).success,
    ).toBe(true);
  });

  it.each([
    [{}, /messages/],
    [{ messages: [] }, /at least one message/],
    [{ messages: [{ role: 'robot', content: 'x' }] }, /role must be one of/],
    [{ messages: [{ role: 'user', content: 5 }] }, /content must be a string/],
    [
      { messages: [{ role: 'user', content: 'x' }], temperature: 3 },
      /less than or equal to 2/,
    ],
    [
      {
        messages: [
          { role: 'user', content: [{ type: 'image_url', image_url: {} }] },
        ],
      },
      /list of .*text.* parts/,
    ],
    [{ messages: [{ role: 'user', content: 'x' }], n: 2 }, /n > 1/],
  ])('rejects %j', (body, pattern) => {
    const r = chatCompletionRequestSchema.safeParse(body);
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error?.issues)).toMatch(pattern);
  });

  it('applies configurable limits', () => {
    const schema = createChatCompletionRequestSchema({
      maxMessages: 2,
      maxContentLength: 5,
    });
    expect(
      schema.safeParse({ messages: [{ role: 'user', content: '123456' }] })
        .success,
    ).toBe(false);
    const r = schema.safeParse({
      messages: Array(3).fill({ role: 'user', content: 'x' }),
    });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0].message).toMatch(/at most 2/);
    expect(DEFAULT_MAX_CHAT_MESSAGES).toBeGreaterThan(10);
  });
});

describe('legacy /chat mapping (KAITO <= v0.8 Transformers)', () => {
  it('maps messages and sampling parameters to generate_kwargs', () => {
    expect(
      toLegacyChatRequest({
        messages: [{ role: 'user', content: 'hi' }],
        max_tokens: 64,
        temperature: 0.7,
        top_p: 0.9,
        top_k: 10,
      }),
    ).toEqual({
      messages: [{ role: 'user', content: 'hi' }],
      return_full_text: false,
      generate_kwargs: {
        max_new_tokens: 64,
        do_sample: true,
        temperature: 0.7,
        top_p: 0.9,
        top_k: 10,
      },
    });
    expect(
      toLegacyChatRequest({
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'a' }] as never },
        ],
        temperature: 0,
      }).generate_kwargs,
    ).toEqual({
      max_length: 200,
      do_sample: false,
    });
  });

  it('maps {"Result"} to an OpenAI completion', () => {
    const r = fromLegacyChatResponse(
      { Result: 'Hello!' },
      'phi-3-mini-4k-instruct',
      { created: 1700000000 },
    );
    expect(r).toMatchObject({
      object: 'chat.completion',
      created: 1700000000,
      model: 'phi-3-mini-4k-instruct',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'Hello!' },
          finish_reason: 'stop',
        },
      ],
    });
    expect(
      fromLegacyChatResponse('{"Result":"x"}', 'm').choices[0].message.content,
    ).toBe('x');
  });

  it.each([
    ['The end.', 20, 'stop'],
    ['Quoted "end!"', 4, 'stop'],
    ['```\ncode\n```', 4, 'stop'],
    ['cut off in the middle of a', 12, 'length'],
    ['cut off in the middle of a', undefined, 'stop'],
    // Far too short to have reached the limit: the model ended it.
    ['Yes', 400, 'stop'],
  ])('infers finish_reason for %j under limit %j: %s', (text, limit, want) => {
    expect(legacyFinishReason(text, limit)).toBe(want);
  });

  it.each([
    [null],
    [[]],
    ['not json'],
    [{}],
    [{ Result: 5 }],
    [{ detail: 'Conversational parameter messages required' }],
  ])('throws a clear error for %j', body => {
    expect(() => fromLegacyChatResponse(body, 'm')).toThrow(/Legacy \/chat/);
  });
});
