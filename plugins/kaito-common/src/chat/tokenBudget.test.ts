import { defaultMaxTokens, estimatePromptTokens } from './tokenBudget';

describe('default max_tokens from the context length', () => {
  it('counts a prompt generously: 3 characters a token, 8 per message, tools included', () => {
    expect(
      estimatePromptTokens({
        messages: [
          { role: 'system', content: 'abcdef' },
          { role: 'user', content: [{ type: 'text', text: 'abc' }] as any },
        ],
      }),
    ).toBe(2 + 1 + 16);
    const tools = [{ type: 'function', function: { name: 'f' } }];
    expect(
      estimatePromptTokens({
        messages: [{ role: 'user', content: '' }],
        tools,
      }),
    ).toBe(Math.ceil(JSON.stringify(tools).length / 3) + 8);
  });

  it('sends the room the context leaves, at most the cap; none when the prompt may fill a small context', () => {
    expect(defaultMaxTokens({ cap: 4096, promptTokens: 12 })).toBe(4096);
    expect(
      defaultMaxTokens({ cap: 4096, promptTokens: 12, contextLength: 131072 }),
    ).toBe(4096);
    expect(
      defaultMaxTokens({ cap: 4096, promptTokens: 12, contextLength: 4096 }),
    ).toBe(4084);
    expect(
      defaultMaxTokens({ cap: 4096, promptTokens: 3900, contextLength: 4096 }),
    ).toBeUndefined();
    // A context larger than the cap: the cap must hold, so the floor is sent.
    expect(
      defaultMaxTokens({ cap: 1024, promptTokens: 8000, contextLength: 8192 }),
    ).toBe(256);
  });
});
