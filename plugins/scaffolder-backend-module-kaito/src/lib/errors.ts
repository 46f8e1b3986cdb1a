import { InputError } from '@backstage/errors';
import { KaitoValidationError } from '@kaito-backstage/plugin-kaito-common';

/** A bad input, named by its field, caught before any call. */
export function fieldError(field: string, message: string): InputError {
  return new InputError(`${field}: ${message}`);
}

/**
 * Turns a kaito-common validation error on the built manifest into one on
 * the action's inputs: each manifest path is shown with the input it came
 * from, so the form field to fix is obvious.
 */
export function manifestInputError(
  error: KaitoValidationError,
  inputFor: (manifestField: string) => string | undefined,
): InputError {
  const lines = error.issues.map(issue => {
    const input = inputFor(issue.field);
    return input && input !== issue.field
      ? `${input} (${issue.field}): ${issue.message}`
      : `${issue.field}: ${issue.message}`;
  });
  return new InputError(lines.join('; '));
}

/** Azure's error code and message from an SDK RestError (never a token or body dump). */
export function azureErrorText(error: unknown): string {
  const e = error as {
    code?: string;
    message?: string;
    statusCode?: number;
    details?: { error?: { code?: string; message?: string } };
  };
  const code = e?.details?.error?.code ?? e?.code;
  const message = e?.details?.error?.message ?? e?.message ?? String(error);
  return `${code ? `${code}: ` : ''}${message}`.slice(0, 2000);
}

/** Throws an AbortError-like error when the task was cancelled. */
export function throwIfAborted(signal: AbortSignal | undefined, what: string) {
  if (signal?.aborted) {
    const error = new Error(`${what} was cancelled`);
    error.name = 'AbortError';
    throw error;
  }
}
