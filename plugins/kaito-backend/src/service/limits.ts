import { Config } from '@backstage/config';
import { ChatCaps, DEFAULT_CHAT_CAPS, readChatCaps } from './chatCaps';

/** Bounds on chat and readiness traffic; every key is under `kaito.limits`. */
export interface KaitoLimits {
  /** Largest chat request body in bytes. */
  maxBodyBytes: number;
  /** Most messages in one chat request. */
  maxMessages: number;
  /** Cap on `max_tokens` / `max_completion_tokens`; when absent, the room the model's context leaves, at most this. */
  maxTokens: number;
  /** Longest a chat request may take end to end. */
  totalTimeoutMs: number;
  /** Longest wait for the first byte and between two chunks of an answer. */
  idleTimeoutMs: number;
  /** Chat requests one user may have in flight at once. */
  maxConcurrentStreamsPerUser: number;
  /** Readiness event streams one user may hold open at once. */
  maxReadinessStreamsPerUser: number;
  /** Readiness streams are closed after this long (clients reconnect, re-authenticating). */
  readinessStreamMaxAgeMs: number;
  /** Interval of SSE heartbeat comments. */
  heartbeatMs: number;
  /** Largest non-streamed answer accepted from a model server. */
  maxResponseBytes: number;
  /** Caps on the OpenAI fields of a chat request (`kaito.chat.*`, not under `kaito.limits`). */
  chat: ChatCaps;
}

type NumericLimit = Exclude<keyof KaitoLimits, 'chat'>;

export const DEFAULT_LIMITS: KaitoLimits = {
  maxBodyBytes: 1024 * 1024,
  maxMessages: 200,
  maxTokens: 4096,
  totalTimeoutMs: 300_000,
  idleTimeoutMs: 60_000,
  maxConcurrentStreamsPerUser: 4,
  maxReadinessStreamsPerUser: 20,
  readinessStreamMaxAgeMs: 3_600_000,
  heartbeatMs: 15_000,
  maxResponseBytes: 8 * 1024 * 1024,
  chat: DEFAULT_CHAT_CAPS,
};

/** Reads `kaito.limits.*` and `kaito.chat.*`; rejects values out of range with the key named. */
export function readLimits(config: Config): KaitoLimits {
  const c = config.getOptionalConfig('kaito.limits');
  const out = { ...DEFAULT_LIMITS, chat: readChatCaps(config) };
  const keys = Object.keys(DEFAULT_LIMITS).filter(
    k => k !== 'chat',
  ) as NumericLimit[];
  for (const key of keys) {
    const value = c?.getOptionalNumber(key);
    if (value === undefined) continue;
    if (!Number.isFinite(value) || value <= 0) {
      throw new Error(
        `kaito.limits.${key} must be a positive number, got ${value}`,
      );
    }
    out[key] = value;
  }
  return out;
}

/** Counts in-flight work per user; `tryAcquire` returns a release function or undefined. */
export class PerUserLimiter {
  readonly #counts = new Map<string, number>();
  constructor(private readonly max: () => number) {}

  tryAcquire(user: string): (() => void) | undefined {
    const n = this.#counts.get(user) ?? 0;
    if (n >= this.max()) return undefined;
    this.#counts.set(user, n + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.#counts.get(user) ?? 1) - 1;
      if (left <= 0) this.#counts.delete(user);
      else this.#counts.set(user, left);
    };
  }
}
