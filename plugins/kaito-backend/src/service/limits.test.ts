import { ConfigReader } from '@backstage/config';
import { DEFAULT_CHAT_CAPS } from './chatCaps';
import { DEFAULT_LIMITS, PerUserLimiter, readLimits } from './limits';

const NUMERIC = Object.keys(DEFAULT_LIMITS).filter(k => k !== 'chat');

describe('readLimits', () => {
  const read = (limits: Record<string, number>) =>
    readLimits(new ConfigReader({ kaito: { limits } }));

  it('uses the defaults when nothing is configured', () => {
    expect(readLimits(new ConfigReader({}))).toEqual(DEFAULT_LIMITS);
  });

  it('takes every configured key', () => {
    const custom = Object.fromEntries(NUMERIC.map((k, i) => [k, i + 1]));
    expect(read(custom)).toEqual({ ...custom, chat: DEFAULT_CHAT_CAPS });
  });

  it.each(NUMERIC)(
    'refuses 0 and negative values for %s, naming the key',
    key => {
      expect(() => read({ [key]: 0 })).toThrow(
        `kaito.limits.${key} must be a positive number, got 0`,
      );
      expect(() => read({ [key]: -5 })).toThrow(
        `kaito.limits.${key} must be a positive number, got -5`,
      );
    },
  );

  it('accepts fractions above zero', () => {
    expect(read({ heartbeatMs: 0.5 }).heartbeatMs).toBe(0.5);
  });

  it('reads the chat field caps from kaito.chat, refusing values out of range by name', () => {
    const chat = (caps: Record<string, number>) =>
      readLimits(new ConfigReader({ kaito: { chat: caps } })).chat;
    expect(
      chat({
        maxContentLength: 500,
        maxTopLogprobs: 0,
        maxStopSequences: 2,
        maxTools: 8,
        maxChoices: 3,
      }),
    ).toEqual({
      maxContentLength: 500,
      maxTopLogprobs: 0,
      maxStopSequences: 2,
      maxTools: 8,
      maxChoices: 3,
    });
    expect(() => chat({ maxTopLogprobs: 21 })).toThrow(
      'kaito.chat.maxTopLogprobs must be a whole number from 0 to 20, got 21',
    );
    expect(() => chat({ maxChoices: 0 })).toThrow(
      'kaito.chat.maxChoices must be a whole number from 1 to 128, got 0',
    );
    expect(() => chat({ maxTools: 1.5 })).toThrow('kaito.chat.maxTools');
  });
});

describe('PerUserLimiter', () => {
  it('admits up to the limit per user, and counts users apart', () => {
    const limiter = new PerUserLimiter(() => 2);
    const a1 = limiter.tryAcquire('a');
    const a2 = limiter.tryAcquire('a');
    expect(a1).toBeDefined();
    expect(a2).toBeDefined();
    expect(limiter.tryAcquire('a')).toBeUndefined();
    expect(limiter.tryAcquire('b')).toBeDefined();
    a1!();
    expect(limiter.tryAcquire('a')).toBeDefined();
    expect(limiter.tryAcquire('a')).toBeUndefined();
  });

  it('frees a slot once however often it is released', () => {
    const limiter = new PerUserLimiter(() => 2);
    const first = limiter.tryAcquire('a')!;
    const second = limiter.tryAcquire('a')!;
    first();
    first();
    first();
    // Only first's slot is free; second still holds one.
    expect(limiter.tryAcquire('a')).toBeDefined();
    expect(limiter.tryAcquire('a')).toBeUndefined();
    second();
    second();
    expect(limiter.tryAcquire('a')).toBeDefined();
    expect(limiter.tryAcquire('a')).toBeUndefined();
  });

  it('reads the limit on every request, so a changed limit applies at once', () => {
    let max = 1;
    const limiter = new PerUserLimiter(() => max);
    const release = limiter.tryAcquire('a')!;
    expect(limiter.tryAcquire('a')).toBeUndefined();
    max = 2;
    expect(limiter.tryAcquire('a')).toBeDefined();
    release();
  });
});
