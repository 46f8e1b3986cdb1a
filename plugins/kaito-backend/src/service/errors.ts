import { UpstreamError } from '@kaito-backstage/plugin-kaito-node';
import { ErrorRequestHandler, Response } from 'express';

/** OpenAI-style error type, so OpenAI client libraries classify our errors. */
export type KaitoErrorType =
  | 'invalid_request_error'
  | 'rate_limit_error'
  | 'server_error'
  | 'not_ready_error';

const NAMES: Record<number, string> = {
  400: 'InputError',
  404: 'NotFoundError',
  409: 'ConflictError',
  413: 'PayloadTooLargeError',
  415: 'UnsupportedMediaTypeError',
  429: 'TooManyRequestsError',
  502: 'BadGatewayError',
  503: 'ServiceUnavailableError',
  504: 'GatewayTimeoutError',
};

/**
 * An error kaito-backend answers itself. The body satisfies both Backstage's
 * error shape (`error.name`, `error.message`, `response.statusCode`) and
 * OpenAI's (`error.message`, `error.type`, `error.code`).
 */
export class KaitoHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: {
      type?: KaitoErrorType;
      /** The `kaito.limits` key that was exceeded. */
      limit?: string;
      param?: string;
      retryAfter?: string;
      [key: string]: unknown;
    } = {},
  ) {
    super(message);
  }

  get name() {
    return NAMES[this.status] ?? 'KaitoError';
  }

  body() {
    const { retryAfter: _r, type, ...rest } = this.extra;
    return {
      error: {
        name: this.name,
        message: this.message,
        type: type ?? defaultType(this.status),
        code: this.code,
        ...rest,
      },
      response: { statusCode: this.status },
    };
  }
}

function defaultType(status: number): KaitoErrorType {
  if (status === 429) return 'rate_limit_error';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}

/** The HTTP form of an inference failure. */
export function fromUpstreamError(e: UpstreamError): KaitoHttpError {
  return new KaitoHttpError(e.status, e.kind, e.message, {
    retryAfter: e.details.retryAfter,
    ...(e.details.upstreamStatus
      ? { upstreamStatus: e.details.upstreamStatus }
      : {}),
  });
}

export function sendError(res: Response, error: KaitoHttpError) {
  if (error.extra.retryAfter)
    res.setHeader('Retry-After', error.extra.retryAfter);
  res.status(error.status).json(error.body());
}

/** Answers KaitoHttpError / UpstreamError; leaves the rest to Backstage's handler. */
export const kaitoErrorHandler: ErrorRequestHandler = (
  err,
  _req,
  res,
  next,
) => {
  const e = err instanceof UpstreamError ? fromUpstreamError(err) : err;
  if (!(e instanceof KaitoHttpError)) {
    next(err);
    return;
  }
  if (res.headersSent) {
    res.end();
    return;
  }
  sendError(res, e);
};
