import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import { mockCredentials } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { PermissionPolicy } from '@backstage/plugin-permission-node';
import { findPostgresBinDir } from '@kaito-backstage/kaito-simulator';
import request from 'supertest';
import {
  entityPath,
  KaitoTestBackend,
  startKaitoTestBackend,
} from './__testUtils__/backend';
import {
  postgresDatabase,
  sqliteDatabase,
  TestDatabase,
} from './__testUtils__/databases';
import { component, workspaceEntity } from './__testUtils__/entities';
import { clusterConfig } from './__testUtils__/simulator';

/** mallory may not chat; everyone else may do anything. */
const policy: PermissionPolicy = {
  async handle(req, user) {
    return req.permission.name === 'kaito.workspace.chat' &&
      user?.info.userEntityRef === 'user:default/mallory'
      ? { result: AuthorizeResult.DENY }
      : { result: AuthorizeResult.ALLOW };
  },
};

const PROMPT = 'What is the secret launch code for project zebra?';

const pgBinDir = findPostgresBinDir();
if (!pgBinDir) {
  // eslint-disable-next-line no-console
  console.warn(
    'skipped: saved conversations on PostgreSQL: no PostgreSQL server binaries (initdb, pg_ctl) on this machine',
  );
}
const databases: Array<[string, () => Promise<TestDatabase>]> = [
  ['SQLite', sqliteDatabase],
  ...(pgBinDir
    ? [
        ['PostgreSQL', () => postgresDatabase(pgBinDir)] as [
          string,
          () => Promise<TestDatabase>,
        ],
      ]
    : []),
];

describe.each(databases)('saved conversations on %s', (_label, create) => {
  let db: TestDatabase;
  let kb: KaitoTestBackend;
  // Everything the backend logs, at debug level, to check no prompt leaks.
  const logged: string[] = [];
  const logLevel = process.env.KAITO_TEST_LOG;
  const spies: jest.SpyInstance[] = [];

  const start = (conversations: Record<string, unknown> = {}) =>
    startKaitoTestBackend({
      config: {
        ...clusterConfig(
          [{ name: 'sim', url: 'https://kaito-test.invalid', token: 't' }],
          {
            conversations: {
              maxPerUser: 3,
              maxMessages: 5,
              maxBytes: 4000,
              retentionDays: 30,
              ...conversations,
            },
            externalTargets: [
              { name: 'openai', baseUrl: 'https://example.invalid/v1' },
            ],
          },
        ),
        backend: { database: db.config },
      },
      entities: [
        workspaceEntity('phi'),
        workspaceEntity('other'),
        component('ext', { 'kaito.sh/external-target': 'openai' }),
      ],
      policy,
      extraFeatures: [databaseServiceFactory],
    });

  beforeAll(async () => {
    process.env.KAITO_TEST_LOG = 'debug';
    for (const level of ['error', 'warn', 'info', 'debug'] as const) {
      spies.push(
        jest.spyOn(console, level).mockImplementation((...args: unknown[]) => {
          logged.push(
            args
              .map(a => (typeof a === 'string' ? a : JSON.stringify(a)))
              .join(' '),
          );
        }),
      );
    }
    db = await create();
    kb = await start();
  }, 120_000);

  afterAll(async () => {
    await kb?.stop();
    await db?.stop();
    spies.forEach(s => s.mockRestore());
    if (logLevel === undefined) delete process.env.KAITO_TEST_LOG;
    else process.env.KAITO_TEST_LOG = logLevel;
  }, 60_000);

  const base = (entity = 'phi') => `${entityPath(entity)}/conversations`;
  const as = (user = 'user:default/alice') => mockCredentials.user.header(user);
  const list = (user?: string, entity?: string) =>
    request(kb.server).get(base(entity)).set('Authorization', as(user));
  const post = (body: unknown, user?: string, entity?: string) =>
    request(kb.server)
      .post(base(entity))
      .set('Authorization', as(user))
      .send(body as object);
  const get = (id: string, user?: string, entity?: string) =>
    request(kb.server)
      .get(`${base(entity)}/${id}`)
      .set('Authorization', as(user));
  const put = (id: string, body: unknown, user?: string, entity?: string) =>
    request(kb.server)
      .put(`${base(entity)}/${id}`)
      .set('Authorization', as(user))
      .send(body as object);
  const del = (id: string, user?: string, entity?: string) =>
    request(kb.server)
      .delete(`${base(entity)}/${id}`)
      .set('Authorization', as(user));

  it('creates, lists, reads, renames, replaces and deletes a conversation', async () => {
    const created = await post({
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: `${PROMPT}\nPlease answer.` },
      ],
      settings: { temperature: 0.2, max_tokens: 256, model: 'phi-4-mini' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      title: PROMPT,
      entityRef: 'component:default/phi',
      messageCount: 2,
      settings: { temperature: 0.2, max_tokens: 256, model: 'phi-4-mini' },
    });
    const id: string = created.body.id;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.body.createdAt).toBe(created.body.updatedAt);

    const second = await post({ title: 'Second' });
    expect(second.status).toBe(201);
    expect(second.body).toMatchObject({ title: 'Second', messageCount: 0 });

    const listed = await list();
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((c: any) => c.id)).toEqual([
      second.body.id,
      id,
    ]);
    expect(listed.body.items[1]).toEqual({
      id,
      title: PROMPT,
      entityRef: 'component:default/phi',
      createdAt: created.body.createdAt,
      updatedAt: created.body.updatedAt,
      messageCount: 2,
    });

    const read = await get(id);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(created.body);

    const renamed = await put(id, { title: '  Launch codes  ' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({
      id,
      title: 'Launch codes',
      messageCount: 2,
      messages: created.body.messages,
      settings: created.body.settings,
    });
    expect(Date.parse(renamed.body.updatedAt)).toBeGreaterThanOrEqual(
      Date.parse(created.body.updatedAt),
    );

    const replaced = await put(id, {
      messages: [
        ...created.body.messages,
        {
          role: 'assistant',
          content: 'I cannot',
          stopped: true,
          createdAt: new Date().toISOString(),
        },
      ],
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body.messageCount).toBe(3);
    expect(replaced.body.title).toBe('Launch codes');
    expect((await get(id)).body.messages[2]).toMatchObject({
      role: 'assistant',
      stopped: true,
    });
    // The most recently updated conversation is listed first.
    expect((await list()).body.items.map((c: any) => c.id)).toEqual([
      id,
      second.body.id,
    ]);

    expect((await del(id)).status).toBe(204);
    const gone = await get(id);
    expect(gone.status).toBe(404);
    expect(gone.body.error).toMatchObject({
      code: 'conversation_not_found',
      type: 'invalid_request_error',
    });
    expect((await del(id)).status).toBe(404);
    expect((await del(second.body.id)).status).toBe(204);
    expect((await list()).body.items).toEqual([]);
  });

  it("answers 404 to another user's read, rename and delete, and leaves the conversation alone", async () => {
    const mine = await post(
      { messages: [{ role: 'user', content: PROMPT }] },
      'user:default/carol',
    );
    expect(mine.status).toBe(201);
    const id = mine.body.id;
    const missing = '00000000-0000-4000-8000-000000000000';

    const bob = 'user:default/bob';
    for (const [res, other] of [
      [await get(id, bob), await get(missing, bob)],
      [await put(id, { title: 'mine now' }, bob), await put(missing, {}, bob)],
      [await del(id, bob), await del(missing, bob)],
    ]) {
      expect(res.status).toBe(404);
      // The same answer as for an id that does not exist.
      expect(res.body.error.code).toBe(other.body.error.code);
      expect(JSON.stringify(res.body)).not.toContain(PROMPT);
    }
    expect((await list(bob)).body.items).toEqual([]);
    // Through another entity, even the owner does not find it.
    expect((await get(id, 'user:default/carol', 'other')).status).toBe(404);
    expect((await del(id, 'user:default/carol', 'other')).status).toBe(404);

    const still = await get(id, 'user:default/carol');
    expect(still.status).toBe(200);
    expect(still.body.title).toBe(PROMPT);
    expect(still.body.messages).toEqual([{ role: 'user', content: PROMPT }]);
  });

  it('keeps conversations on an external-target entity too', async () => {
    const res = await post({ title: 'Azure' }, undefined, 'ext');
    expect(res.status).toBe(201);
    expect(res.body.entityRef).toBe('component:default/ext');
    expect((await list(undefined, 'ext')).body.items).toHaveLength(1);
    expect((await del(res.body.id, undefined, 'ext')).status).toBe(204);
  });

  it('enforces maxMessages, maxBytes and maxPerUser with the key named', async () => {
    const user = 'user:default/dave';
    const msg = (content: string) => ({ role: 'user', content });

    const many = await post({ messages: Array(6).fill(msg('hi')) }, user);
    expect(many.status).toBe(413);
    expect(many.body.error).toMatchObject({
      code: 'limit_exceeded',
      limit: 'kaito.conversations.maxMessages',
    });
    expect(many.body.error.message).toContain(
      'kaito.conversations.maxMessages',
    );

    const big = await post({ messages: [msg('x'.repeat(5000))] }, user);
    expect(big.status).toBe(413);
    expect(big.body.error.limit).toBe('kaito.conversations.maxBytes');
    expect(big.body.error.message).toMatch(
      /at most 4000 bytes are saved \(kaito\.conversations\.maxBytes\)/,
    );

    const huge = await post({ messages: [msg('y'.repeat(100_000))] }, user);
    expect(huge.status).toBe(413);
    expect(huge.body.error.limit).toBe('kaito.conversations.maxBytes');

    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await post({ title: `c${i}` }, user);
      expect(res.status).toBe(201);
      ids.push(res.body.id);
    }
    const fourth = await post({ title: 'one too many' }, user);
    expect(fourth.status).toBe(400);
    expect(fourth.body.error).toMatchObject({
      code: 'limit_exceeded',
      limit: 'kaito.conversations.maxPerUser',
    });
    expect(fourth.body.error.message).toContain('delete some');
    // The limit counts over all entities.
    expect((await post({ title: 'x' }, user, 'other')).status).toBe(400);

    // An update may not grow a conversation past the limits either.
    const grow = await put(
      ids[0],
      { messages: Array(6).fill(msg('hi')) },
      user,
    );
    expect(grow.status).toBe(413);
    expect((await get(ids[0], user)).body.messageCount).toBe(0);

    await del(ids[0], user);
    expect((await post({ title: 'room again' }, user)).status).toBe(201);
  });

  it('refuses malformed bodies with the field named', async () => {
    const role = await post({ messages: [{ role: 'robot', content: 'hi' }] });
    expect(role.status).toBe(400);
    expect(role.body.error).toMatchObject({
      code: 'invalid_request',
      param: 'messages.0.role',
    });
    expect(role.body.error.message).toContain('messages.0.role');

    const extra = await post({ title: 'x', owner: 'user:default/bob' });
    expect(extra.status).toBe(400);
    expect(extra.body.error.message).toContain("'owner'");

    const title = await post({ title: 'x'.repeat(201) });
    expect(title.status).toBe(400);
    expect(title.body.error.param).toBe('title');

    const temp = await post({ settings: { temperature: 7 } });
    expect(temp.status).toBe(400);
    expect(temp.body.error.param).toBe('settings.temperature');

    const notJson = await request(kb.server)
      .post(base())
      .set('Authorization', as())
      .set('Content-Type', 'application/json')
      .send('{"title": ');
    expect(notJson.status).toBe(400);
    expect(notJson.body.error.message).toContain('not valid JSON');

    const text = await request(kb.server)
      .post(base())
      .set('Authorization', as())
      .set('Content-Type', 'text/plain')
      .send('hello');
    expect(text.status).toBe(415);
    expect(text.body.error.message).toContain('application/json');

    const array = await post([{ title: 'x' }]);
    expect(array.status).toBe(400);
    expect(array.body.error.message).toContain('JSON object');
  });

  it('requires kaito.workspace.chat on the entity and a user', async () => {
    const mallory = 'user:default/mallory';
    const own = await post({ title: 'not hers' });
    for (const res of [
      await list(mallory),
      await post({ title: 'x' }, mallory),
      await get(own.body.id, mallory),
      await put(own.body.id, { title: 'x' }, mallory),
      await del(own.body.id, mallory),
    ]) {
      expect(res.status).toBe(403);
      expect(res.body.error).toMatchObject({
        code: 'permission_denied',
        type: 'invalid_request_error',
      });
      expect(res.body.error.message).toContain(
        'kaito.workspace.chat on component:default/phi',
      );
    }
    const service = await request(kb.server)
      .get(base())
      .set('Authorization', mockCredentials.service.header());
    expect(service.status).toBe(403);
    expect(service.body.error.code).toBe('user_required');
    const anonymous = await request(kb.server).get(base());
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe('unauthenticated');
    await del(own.body.id);
  });

  it('audits create and delete with ids only, never the prompt', async () => {
    const before = kb.audits.length;
    const res = await post({ messages: [{ role: 'user', content: PROMPT }] });
    await del(res.body.id);
    const events = kb.audits
      .slice(before)
      .filter(a => a.options.eventId.startsWith('conversation-'));
    expect(
      events.map(e => [e.options.eventId, e.options.meta, e.outcome?.status]),
    ).toEqual([
      [
        'conversation-create',
        { conversationId: res.body.id, entityRef: 'component:default/phi' },
        'succeeded',
      ],
      [
        'conversation-delete',
        { conversationId: res.body.id, entityRef: 'component:default/phi' },
        'succeeded',
      ],
    ]);
    expect(JSON.stringify(kb.audits.map(a => a.options.meta))).not.toContain(
      'zebra',
    );
    // The backend logged (at debug level), but never a prompt.
    expect(logged.some(l => l.includes('plugin=kaito'))).toBe(true);
    expect(logged.filter(l => l.includes('zebra'))).toEqual([]);
  });

  it('deletes conversations older than retentionDays, and answers 404 when turned off', async () => {
    const user = 'user:default/erin';
    const old = await post({ title: 'old' }, user);
    const fresh = await post({ title: 'fresh' }, user);
    const aged = await db
      .kaito()('kaito_conversations')
      .where({ id: old.body.id })
      .update({ updated_at: new Date(Date.now() - 31 * 24 * 3600 * 1000) });
    expect(aged).toBe(1);

    // The cleanup task runs when the backend starts (and every hour after).
    await kb.stop();
    kb = await start();
    expect((await list(user)).body.items.map((c: any) => c.title)).toEqual([
      'fresh',
    ]);
    expect((await get(old.body.id, user)).status).toBe(404);
    expect((await get(fresh.body.id, user)).status).toBe(200);

    await kb.stop();
    kb = await start({ enabled: false });
    const off = await list(user);
    expect(off.status).toBe(404);
    expect(off.body.error.code).toBe('conversations_disabled');
    expect(off.body.error.message).toContain('kaito.conversations.enabled');
  }, 120_000);
});
