import { mockServices } from '@backstage/backend-test-utils';
import {
  AuthenticationError,
  ConflictError,
  InputError,
  NotAllowedError,
} from '@backstage/errors';
import { UpstreamError } from '@kaito-backstage/plugin-kaito-node';
import express from 'express';
import request from 'supertest';
import {
  createKaitoErrorHandler,
  KaitoHttpError,
  routeNotFound,
  toKaitoHttpError,
} from './errors';

describe('toKaitoHttpError', () => {
  it.each([
    [new InputError('bad'), 400, 'invalid_request', 'bad'],
    [
      new AuthenticationError('Missing credentials'),
      401,
      'unauthenticated',
      'Missing credentials; sign in to Backstage',
    ],
    [new NotAllowedError('no.'), 403, 'permission_denied', 'no; ask your'],
    [new ConflictError('twice'), 409, 'conflict', 'twice'],
    [
      Object.assign(new Error('x'), { type: 'entity.parse.failed' }),
      400,
      'invalid_request',
      'not valid JSON',
    ],
    [
      Object.assign(new Error('x'), { type: 'entity.too.large', status: 413 }),
      413,
      'limit_exceeded',
      'larger than this route accepts',
    ],
    [
      Object.assign(new Error('Range Not Satisfiable'), { status: 416 }),
      416,
      'invalid_request',
      'Range Not Satisfiable',
    ],
  ])('maps %p', (error, status, code, message) => {
    const e = toKaitoHttpError(error);
    expect([e.status, e.code]).toEqual([status, code]);
    expect(e.message).toContain(message);
  });

  it('keeps kaito and upstream errors as they are', () => {
    const own = new KaitoHttpError(409, 'workspace_not_ready', 'wait');
    expect(toKaitoHttpError(own)).toBe(own);
    const upstream = toKaitoHttpError(
      new UpstreamError('rate_limited', 'slow down', 429, { retryAfter: '3' }),
    );
    expect([upstream.status, upstream.code]).toEqual([429, 'rate_limited']);
  });
});

describe('the kaito error handler', () => {
  it('answers an unexpected fault with a bare 500 and logs it on the server only', async () => {
    const logger = mockServices.logger.mock();
    const app = express();
    app.get('/boom', () => {
      throw new Error('secret at /work/main/src/x.ts:1:1');
    });
    app.use(routeNotFound);
    app.use(createKaitoErrorHandler(logger));

    const res = await request(app).get('/boom');
    expect(res.status).toBe(500);
    expect(res.body).toEqual({
      error: {
        name: 'InternalServerError',
        message: expect.stringContaining('backend log'),
        type: 'server_error',
        code: 'internal_error',
      },
      response: { statusCode: 500 },
    });
    expect(JSON.stringify(res.body)).not.toContain('secret');
    expect(logger.error).toHaveBeenCalledWith(
      expect.stringContaining('GET'),
      expect.objectContaining({ message: expect.stringContaining('secret') }),
    );

    const missing = await request(app).post('/nowhere');
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({
      code: 'route_not_found',
      type: 'invalid_request_error',
    });
    expect(missing.body.error.message).toContain('POST /api/kaito/nowhere');
    expect(logger.error).toHaveBeenCalledTimes(1);
  });
});
