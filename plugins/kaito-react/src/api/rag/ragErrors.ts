import { ResponseError } from '@backstage/errors';

/**
 * What to show for a failed RAG call: the backend's own sentence (`error.message` of its JSON
 * body, which names the limit or the fix) when there is one, else the error's message.
 *
 * @public
 */
export function ragErrorMessage(error: unknown): string {
  if (error instanceof ResponseError) {
    const message = error.body?.error?.message;
    if (typeof message === 'string' && message) return message;
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * The HTTP status of a failed call, when it was an HTTP error.
 *
 * @public
 */
export function ragErrorStatus(error: unknown): number | undefined {
  return error instanceof ResponseError ? error.statusCode : undefined;
}
