import { mockCredentials } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { PermissionPolicy } from '@backstage/plugin-permission-node';
import request from 'supertest';
import {
  entityPath,
  KaitoTestBackend,
  startKaitoTestBackend,
} from './__testUtils__/backend';
import { component, workspaceEntity } from './__testUtils__/entities';
import { clusterConfig } from './__testUtils__/simulator';

/** mallory may do nothing with KAITO; everyone else anything. */
const policy: PermissionPolicy = {
  async handle(req, user) {
    return req.permission.name.startsWith('kaito.') &&
      user?.info.userEntityRef === 'user:default/mallory'
      ? { result: AuthorizeResult.DENY }
      : { result: AuthorizeResult.ALLOW };
  },
};

const ID = '00000000-0000-4000-8000-000000000000';

/** One request of each route family under /api/kaito, for an entity. */
function families(entity: string): Array<[string, string, unknown?]> {
  const e = entityPath(entity);
  const chat = { messages: [{ role: 'user', content: 'hi' }] };
  return [
    ['GET', `${e}/workspace`],
    ['GET', `${e}/workspace/events`],
    ['GET', `${e}/models`],
    ['POST', `${e}/chat/completions`, chat],
    ['GET', `${e}/conversations`],
    ['POST', `${e}/conversations`, { title: 't' }],
    ['GET', `${e}/conversations/${ID}`],
    ['PUT', `${e}/conversations/${ID}`, { title: 't' }],
    ['DELETE', `${e}/conversations/${ID}`],
  ];
}

/** Every error answers `{ error: { message, type, code } }`, JSON, and no stack or path. */
function expectShape(res: request.Response, status: number, code: string) {
  // supertest keeps the request on the response (not in its types).
  const { req } = res as unknown as { req: { method: string; path: string } };
  const what = `${req.method} ${req.path}`;
  expect([what, res.status]).toEqual([what, status]);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(res.body.error).toEqual(
    expect.objectContaining({
      message: expect.any(String),
      type: status >= 500 ? 'server_error' : 'invalid_request_error',
      code,
    }),
  );
  expect(res.body.response).toEqual({ statusCode: status });
  const text = JSON.stringify(res.body);
  expect(text).not.toContain('stack');
  expect(text).not.toMatch(/node_modules|\/work\/|at [A-Za-z.]+ \(/);
}

describe('one error shape for every /api/kaito route', () => {
  let kb: KaitoTestBackend;
  const nodeEnv = process.env.NODE_ENV;

  beforeAll(async () => {
    // Backstage's own error handler adds stack traces in development, which
    // is how the README starts the portal.
    process.env.NODE_ENV = 'development';
    kb = await startKaitoTestBackend({
      config: clusterConfig(
        [{ name: 'sim', url: 'https://kaito-test.invalid', token: 't' }],
        {
          externalTargets: [
            { name: 'openai', baseUrl: 'https://example.invalid/v1' },
          ],
        },
      ),
      entities: [
        workspaceEntity('phi'),
        component('bad', { 'kaito.sh/workspace': '???' }),
        component('ghost', { 'kaito.sh/external-target': 'not-configured' }),
        workspaceEntity('lost', 'default/lost', 'elsewhere'),
      ],
      policy,
    });
  }, 60_000);

  afterAll(async () => {
    process.env.NODE_ENV = nodeEnv;
    await kb?.stop();
  });

  const send = (
    [method, path, body]: [string, string, unknown?],
    auth?: string,
  ) => {
    let req = request(kb.server)[
      method.toLowerCase() as 'get' | 'post' | 'put' | 'delete'
    ](path);
    if (auth) req = req.set('Authorization', auth);
    return body === undefined ? req : req.send(body as object);
  };
  const user = (ref = 'user:default/alice') => mockCredentials.user.header(ref);

  it('401 without credentials or with a bad token, on every route family', async () => {
    for (const route of [
      ['GET', '/api/kaito/workspaces'] as [string, string],
      ...families('phi'),
    ]) {
      const res = await send(route);
      expectShape(res, 401, 'unauthenticated');
      expect(res.body.error.message).toContain('sign in to Backstage');
      expectShape(
        await send(route, mockCredentials.user.invalidHeader()),
        401,
        'unauthenticated',
      );
    }
    // Outside the plugin's route prefixes Backstage's credentials barrier
    // still answers first, in Backstage's shape (see KAITO_AUTH_POLICIES).
    const outside = await request(kb.server).get('/api/kaito/nope');
    expect(outside.status).toBe(401);
    expect(outside.body.error.code).toBeUndefined();
    // /health stays open.
    expect((await request(kb.server).get('/api/kaito/health')).status).toBe(
      200,
    );
  });

  it('accepts the Backstage user cookie on the readiness stream only', async () => {
    const cookie = (ref = 'user:default/alice') =>
      mockCredentials.limitedUser.cookie(ref);
    const events = (entity: string, ref?: string) =>
      request(kb.server)
        .get(`${entityPath(entity)}/workspace/events`)
        .set('Cookie', cookie(ref));
    // Past authentication: the resolver answers (permission, then annotation).
    expectShape(
      await events('phi', 'user:default/mallory'),
      403,
      'permission_denied',
    );
    expectShape(await events('bad'), 400, 'invalid_annotation');
    // Every other route wants a token.
    for (const route of families('bad').filter(
      ([, path]) => !path.endsWith('/events'),
    )) {
      let req = request(kb.server)
        [route[0].toLowerCase() as 'get' | 'post' | 'put' | 'delete'](route[1])
        .set('Cookie', cookie());
      if (route[2]) req = req.send(route[2] as object);
      const res = await req;
      expectShape(res, 401, 'unauthenticated');
      expect(res.body.error.message).toContain('sign in to Backstage');
    }
  });

  it('403 when the permission policy denies, on every route family', async () => {
    const mallory = user('user:default/mallory');
    for (const route of [
      ['GET', '/api/kaito/workspaces'] as [string, string],
      ...families('phi'),
    ]) {
      const res = await send(route, mallory);
      expectShape(res, 403, 'permission_denied');
      expect(res.body.error.message).toContain('kaito.workspace.');
      expect(res.body.error.message).toContain('administrator');
    }
  });

  it('404 with the route named for an unknown route', async () => {
    for (const route of [
      ['GET', '/api/kaito/nope'],
      ['GET', `${entityPath('phi')}/nope`],
      ['DELETE', '/api/kaito/workspaces'],
      ['POST', `${entityPath('phi')}/conversations/${ID}/extra`, {}],
    ] as Array<[string, string, unknown?]>) {
      const res = await send(route, user());
      expectShape(res, 404, 'route_not_found');
      expect(res.body.error.message).toContain(route[1]);
      expect(res.body.error.message).toContain('README');
    }
  });

  it('400 for a malformed annotation on every entity route', async () => {
    for (const route of families('bad')) {
      const res = await send(route, user());
      expectShape(res, 400, 'invalid_annotation');
      expect(res.body.error.message).toContain('component:default/bad');
    }
  });

  it('404 for a target that is not configured, naming what to fix', async () => {
    // External target missing from kaito.externalTargets: chat routes.
    for (const route of families('ghost').filter(
      ([, path]) => !path.includes('/workspace'),
    )) {
      const res = await send(route, user());
      expectShape(res, 404, 'target_not_configured');
      expect(res.body.error.message).toContain('kaito.externalTargets');
    }
    // ...and on the readiness routes the entity has no Workspace at all.
    expectShape(
      await send(['GET', `${entityPath('ghost')}/workspace`], user()),
      404,
      'no_workspace',
    );
    // A cluster that is not configured: every entity route.
    for (const route of families('lost')) {
      const res = await send(route, user());
      expectShape(res, 404, 'cluster_not_configured');
      expect(res.body.error.message).toContain(
        "Cluster 'elsewhere' is not configured; configured clusters: sim",
      );
    }
  });

  it('400 for a bad entity reference and 404 for a missing entity', async () => {
    const badRef = await send(
      ['GET', '/api/kaito/entity/component/default/a%20b/conversations'],
      user(),
    );
    expectShape(badRef, 400, 'invalid_entity_ref');
    const missing = await send(
      ['GET', `${entityPath('nobody')}/conversations`],
      user(),
    );
    expectShape(missing, 404, 'entity_not_found');
    expect(missing.body.error.message).toContain('check the kind');
  });
});
