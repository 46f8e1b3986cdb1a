import { ArmError } from './errors';

/** A token bucket: `bucketSize` requests at once, refilled continuously. */
export interface BucketOptions {
  bucketSize: number;
  refillPerSecond: number;
}

export type RequestKind = 'reads' | 'writes';

/**
 * ARM's subscription throttling (token-bucket algorithm, 2024 onward):
 * reads 250 tokens refilled at 25/s, writes 200 refilled at 10/s.
 */
export const ARM_DEFAULT_THROTTLING: Record<RequestKind, BucketOptions> = {
  reads: { bucketSize: 250, refillPerSecond: 25 },
  writes: { bucketSize: 200, refillPerSecond: 10 },
};

class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly options: BucketOptions,
    private readonly now: () => number,
  ) {
    this.tokens = options.bucketSize;
    this.updatedAt = now();
  }

  private refill(): void {
    const now = this.now();
    this.tokens = Math.min(
      this.options.bucketSize,
      this.tokens +
        ((now - this.updatedAt) / 1000) * this.options.refillPerSecond,
    );
    this.updatedAt = now;
  }

  /** Takes one token; returns the whole tokens left or the seconds to wait. */
  take(): { remaining: number } | { retryAfterSeconds: number } {
    this.refill();
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return { remaining: Math.floor(this.tokens) };
    }
    const seconds = (1 - this.tokens) / this.options.refillPerSecond;
    return { retryAfterSeconds: Math.max(1, Math.ceil(seconds)) };
  }
}

function validate(kind: RequestKind, options: BucketOptions): BucketOptions {
  const { bucketSize, refillPerSecond } = options;
  if (!Number.isInteger(bucketSize) || bucketSize < 1) {
    throw new Error(
      `ARM simulator option throttling.${kind}.bucketSize must be an integer >= 1; got ${String(
        bucketSize,
      )}.`,
    );
  }
  if (
    !(
      typeof refillPerSecond === 'number' &&
      refillPerSecond > 0 &&
      Number.isFinite(refillPerSecond)
    )
  ) {
    throw new Error(
      `ARM simulator option throttling.${kind}.refillPerSecond must be a positive number; got ${String(
        refillPerSecond,
      )}.`,
    );
  }
  return options;
}

/** Per-subscription throttling; `admit` throws the ARM 429 when a bucket is empty. */
export class Throttle {
  private readonly buckets: Partial<Record<RequestKind, TokenBucket>> = {};

  constructor(
    private readonly subscriptionId: string,
    options: Partial<Record<RequestKind, BucketOptions>> | false,
    now: () => number = Date.now,
  ) {
    if (options === false) {
      return;
    }
    for (const kind of ['reads', 'writes'] as const) {
      this.buckets[kind] = new TokenBucket(
        validate(kind, { ...ARM_DEFAULT_THROTTLING[kind], ...options[kind] }),
        now,
      );
    }
  }

  /** Response headers for an admitted request, like ARM's remaining-count headers. */
  admit(kind: RequestKind): Record<string, string> {
    const bucket = this.buckets[kind];
    if (!bucket) {
      return {};
    }
    const result = bucket.take();
    if ('remaining' in result) {
      return {
        [`x-ms-ratelimit-remaining-subscription-${kind}`]: String(
          result.remaining,
        ),
      };
    }
    const operation = kind === 'reads' ? 'read' : 'write';
    throw new ArmError(
      429,
      'SubscriptionRequestsThrottled',
      `Number of '${operation}' requests for subscription '${this.subscriptionId}' exceeded. ` +
        `Please try again after '${result.retryAfterSeconds}' seconds after additional tokens are available. ` +
        `Refer to https://aka.ms/arm-throttling for additional information.`,
      { 'retry-after': String(result.retryAfterSeconds) },
    );
  }
}
