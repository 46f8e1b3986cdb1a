import { ResponseError } from '@backstage/errors';

/**
 * The answer failed after it started streaming: kaito-backend's final
 * `data: {"error": ...}` event, or a stream that ended before `[DONE]`.
 *
 * @public
 */
export class KaitoChatStreamError extends Error {
  readonly name = 'KaitoChatStreamError';
  constructor(message: string, readonly code: string) {
    super(message);
  }
}

/**
 * What went wrong with a chat request, in the terms a UI shows.
 *
 * - `rateLimited`: 429; `retryAfterSeconds` when the server said when to retry.
 * - `notReady`: the Workspace cannot serve yet (409); `phase` and `reason` from readiness.
 * - `stream`: the answer broke off after it started.
 * - `aborted`: the user stopped it.
 * - `request`: any other failure, with the server's message.
 *
 * @public
 */
export interface KaitoChatErrorInfo {
  kind: 'rateLimited' | 'notReady' | 'stream' | 'aborted' | 'request';
  message: string;
  status?: number;
  code?: string;
  retryAfterSeconds?: number;
  phase?: string;
  reason?: string;
}

/**
 * Describes an error thrown by a {@link KaitoChatApi} call.
 *
 * @public
 */
export function describeChatError(
  error: unknown,
  now: number = Date.now(),
): KaitoChatErrorInfo {
  if (isAbort(error)) {
    return { kind: 'aborted', message: 'Stopped' };
  }
  if (error instanceof KaitoChatStreamError) {
    return { kind: 'stream', message: error.message, code: error.code };
  }
  if (error instanceof ResponseError) {
    const remote = error.body?.error as
      | (Record<string, unknown> & { message?: string })
      | undefined;
    const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
    const code = str(remote?.code);
    const message = str(remote?.message) ?? error.message;
    const status = error.statusCode;
    if (status === 429) {
      return {
        kind: 'rateLimited',
        message,
        status,
        code,
        retryAfterSeconds: parseRetryAfter(
          error.response.headers.get('retry-after'),
          now,
        ),
      };
    }
    if (code === 'workspace_not_ready') {
      return {
        kind: 'notReady',
        message,
        status,
        code,
        phase: str(remote?.phase),
        reason: str(remote?.reason),
      };
    }
    return { kind: 'request', message, status, code };
  }
  return {
    kind: 'request',
    message: error instanceof Error ? error.message : String(error),
  };
}

/** `Retry-After` as whole seconds from now: delta-seconds or an HTTP date. */
export function parseRetryAfter(
  value: string | null | undefined,
  now: number = Date.now(),
): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - now) / 1000));
}

function isAbort(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as Error).name === 'AbortError'
  );
}
