import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
} from 'openai';

/** A request problem the caller can fix (answered 400 with the field named). */
export class BadRequestError extends Error {
  constructor(readonly field: string, message: string) {
    super(`${field}: ${message}`);
    this.name = 'BadRequestError';
  }
}

/** The endpoint answered but lists no model to use (set OPENAI_MODEL). */
export class NoModelError extends Error {
  constructor() {
    super(
      'the endpoint lists no models (GET /models); set OPENAI_MODEL to the model name',
    );
    this.name = 'NoModelError';
  }
}

/** What the page sees for an error: a status and a message without internals. */
export function describeError(e: unknown): { status: number; message: string } {
  if (e instanceof BadRequestError) return { status: 400, message: e.message };
  if (e instanceof APIConnectionTimeoutError)
    return { status: 504, message: 'the model endpoint timed out' };
  if (e instanceof APIConnectionError)
    return {
      status: 502,
      message:
        'cannot reach the model endpoint; check OPENAI_BASE_URL (or AZURE_OPENAI_ENDPOINT) and that the workspace is running',
    };
  if (e instanceof APIError) {
    const status = e.status;
    if (status === 401 || status === 403)
      return {
        status: 502,
        message: `the model endpoint refused the credentials (${status}); check OPENAI_API_KEY or AZURE_OPENAI_API_KEY`,
      };
    if (status === 429)
      return {
        status: 429,
        message: 'the model is busy (429); try again shortly',
      };
    if (status === 409)
      return {
        status: 503,
        message: `the workspace is not ready yet: ${e.message}`,
      };
    return {
      status: 502,
      message: status
        ? `the model endpoint answered ${status}: ${e.message}`
        : `the model endpoint reported an error: ${e.message}`,
    };
  }
  if (e instanceof NoModelError) return { status: 502, message: e.message };
  return { status: 500, message: 'internal error' };
}
