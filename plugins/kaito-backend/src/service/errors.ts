import { UpstreamError } from '@kaito-backstage/plugin-kaito-node';
import { LoggerService } from '@backstage/backend-plugin-api';
import { ErrorRequestHandler, RequestHandler, Response } from 'express';

/** OpenAI-style error type, so OpenAI client libraries classify our errors. */
export type KaitoErrorType =
  | 'invalid_request_error'
  | 'rate_limit_error'
  | 'server_error'
  | 'not_ready_error';

const NAMES: Record<number, string> = {
  400: 'InputError',
  401: 'AuthenticationError',
  403: 'NotAllowedError',
  404: 'NotFoundError',
  409: 'ConflictError',
  413: 'PayloadTooLargeError',
  415: 'UnsupportedMediaTypeError',
  429: 'TooManyRequestsError',
  502: 'BadGatewayError',
  503: 'ServiceUnavailableError',
  500: 'InternalServerError',
  501: 'NotImplementedError',
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

/**
 * Errors of `@backstage/errors` (thrown by Backstage services, the catalog
 * client and kaito-node) by name: status, code and the sentence that says
 * how to fix them. kaito-backend's own errors are {@link KaitoHttpError}s.
 */
const BACKSTAGE_ERRORS: Record<
  string,
  { status: number; code: string; hint?: string }
> = {
  InputError: { status: 400, code: 'invalid_request' },
  AuthenticationError: {
    status: 401,
    code: 'unauthenticated',
    hint: 'sign in to Backstage, or send "Authorization: Bearer <token>" with a Backstage user or service token',
  },
  NotAllowedError: {
    status: 403,
    code: 'permission_denied',
    hint: 'ask your Backstage administrator for access',
  },
  NotFoundError: { status: 404, code: 'not_found' },
  ConflictError: { status: 409, code: 'conflict' },
  NotImplementedError: { status: 501, code: 'not_implemented' },
  ServiceUnavailableError: {
    status: 503,
    code: 'service_unavailable',
    hint: 'try again shortly',
  },
};

/** body-parser's error types (JSON bodies of the conversation routes). */
const BODY_ERRORS: Record<string, { status: number; message: string }> = {
  'entity.parse.failed': {
    status: 400,
    message: 'The request body is not valid JSON; send a JSON object',
  },
  'entity.too.large': {
    status: 413,
    message: 'The request body is larger than this route accepts',
  },
  'encoding.unsupported': {
    status: 415,
    message: 'Unsupported body encoding; send UTF-8 JSON',
  },
  'charset.unsupported': {
    status: 415,
    message: 'Unsupported body charset; send UTF-8 JSON',
  },
  'request.aborted': {
    status: 400,
    message: 'The request body was cut off; send it again',
  },
};

function withHint(message: string, hint?: string) {
  if (!hint) return message;
  const trimmed = message.replace(/[.\s]+$/, '');
  return trimmed ? `${trimmed}; ${hint}` : hint;
}

/**
 * The one boundary mapping: turns anything a kaito route throws into a
 * {@link KaitoHttpError}. Unknown errors become a 500 without details (they
 * are logged by {@link createKaitoErrorHandler}); no body ever carries a stack.
 */
export function toKaitoHttpError(err: unknown): KaitoHttpError {
  if (err instanceof KaitoHttpError) return err;
  if (err instanceof UpstreamError) return fromUpstreamError(err);
  const e = err as {
    name?: string;
    message?: string;
    type?: string;
    status?: number;
    statusCode?: number;
  };
  const body = typeof e?.type === 'string' ? BODY_ERRORS[e.type] : undefined;
  if (body) {
    return new KaitoHttpError(
      body.status,
      body.status === 413 ? 'limit_exceeded' : 'invalid_request',
      body.message,
    );
  }
  const known = e?.name ? BACKSTAGE_ERRORS[e.name] : undefined;
  if (known) {
    return new KaitoHttpError(
      known.status,
      known.code,
      withHint(String(e.message ?? ''), known.hint),
    );
  }
  const status = e?.status ?? e?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new KaitoHttpError(status, 'invalid_request', String(e.message));
  }
  return new KaitoHttpError(
    500,
    'internal_error',
    'The KAITO backend failed unexpectedly; try again, and if it persists ask your Backstage administrator to check the backend log',
  );
}

/** Any route under `/api/kaito` that does not exist. */
export const routeNotFound: RequestHandler = (req, _res, next) => {
  next(
    new KaitoHttpError(
      404,
      'route_not_found',
      `No route ${req.method} /api/kaito${req.path.slice(
        0,
        200,
      )}; see the kaito-backend README for the routes`,
    ),
  );
};

/**
 * The last handler of the kaito router: answers every error with one
 * OpenAI-shaped body, `{ error: { message, type, code, ... } }`. Server
 * faults (5xx without a kaito code) are logged, never sent.
 */
export function createKaitoErrorHandler(
  logger: LoggerService,
): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const e = toKaitoHttpError(err);
    if (e.code === 'internal_error') {
      logger.error(
        `${req.method} ${req.baseUrl}${req.route?.path ?? ''} failed`,
        err,
      );
    }
    if (res.headersSent) {
      res.end();
      return;
    }
    sendError(res, e);
  };
}
