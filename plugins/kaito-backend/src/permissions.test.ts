import { mockCredentials } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { PermissionPolicy } from '@backstage/plugin-permission-node';
import {
  startSimulator,
  RunningSimulator,
} from '@kaito-backstage/kaito-simulator';
import request from 'supertest';
import {
  component,
  workspaceEntity,
  workspaceManifest,
} from './__testUtils__/entities';
import {
  entityPath,
  KaitoTestBackend,
  startKaitoTestBackend,
  waitForPhase,
} from './__testUtils__/backend';
import { clusterConfig } from './__testUtils__/simulator';

/** mallory may do nothing with KAITO; reader may read but not chat; everyone else anything. */
const policy: PermissionPolicy = {
  async handle(req, user) {
    const who = user?.info.userEntityRef;
    const name = req.permission.name;
    if (name.startsWith('kaito.') && who === 'user:default/mallory')
      return { result: AuthorizeResult.DENY };
    if (name === 'kaito.workspace.chat' && who === 'user:default/reader')
      return { result: AuthorizeResult.DENY };
    return { result: AuthorizeResult.ALLOW };
  },
};

describe('kaito-backend behind the real permission backend', () => {
  // Waits are on events (waitForPhase reads the readiness stream); this is
  // a safety net for a loaded machine, where loading the clients takes seconds.
  jest.setTimeout(60_000);

  let sim: RunningSimulator;
  let kb: KaitoTestBackend;

  beforeAll(async () => {
    sim = await startSimulator({
      log: () => {},
      seed: [workspaceManifest('phi')],
    });
    kb = await startKaitoTestBackend({
      config: clusterConfig([{ name: 'sim', url: sim.url, token: sim.token }]),
      entities: [
        workspaceEntity('phi'),
        component('bad', { 'kaito.sh/workspace': '???' }),
      ],
      policy,
    });
    await waitForPhase(kb, 'phi');
  }, 30_000);

  afterAll(async () => {
    await kb?.stop();
    await sim?.stop();
  });

  const chat = { messages: [{ role: 'user', content: 'hi' }] };

  it('allows a permitted user everywhere', async () => {
    expect((await kb.get('/api/kaito/workspaces')).status).toBe(200);
    expect((await kb.get(`${entityPath('phi')}/models`)).status).toBe(200);
    expect(
      (await kb.post(`${entityPath('phi')}/chat/completions`, chat)).status,
    ).toBe(200);
  });

  it('answers 403 on every route when the policy denies the user', async () => {
    const u = 'user:default/mallory';
    const results = [
      await kb.get('/api/kaito/workspaces', u),
      await kb.get(`${entityPath('phi')}/workspace`, u),
      await kb.get(`${entityPath('phi')}/workspace/events`, u),
      await kb.get(`${entityPath('phi')}/models`, u),
      await kb.post(`${entityPath('phi')}/chat/completions`, chat, u),
    ];
    expect(results.map(r => r.status)).toEqual([403, 403, 403, 403, 403]);
    expect(results[4].body.error.message).toBe(
      'You are not allowed kaito.workspace.chat on component:default/phi; ask an owner of the entity or your Backstage administrator for this permission',
    );
  });

  it('checks chat separately from read', async () => {
    const u = 'user:default/reader';
    expect((await kb.get(`${entityPath('phi')}/workspace`, u)).status).toBe(
      200,
    );
    expect((await kb.get(`${entityPath('phi')}/models`, u)).status).toBe(403);
    expect(
      (await kb.post(`${entityPath('phi')}/chat/completions`, chat, u)).status,
    ).toBe(403);
  });

  it("says nothing about an entity's annotations to a user who may not read it", async () => {
    const denied = await kb.get(
      `${entityPath('bad')}/workspace`,
      'user:default/mallory',
    );
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).not.toContain('???');
    const allowed = await kb.get(`${entityPath('bad')}/workspace`);
    expect(allowed.status).toBe(400);
  });

  it('still answers 401 without credentials', async () => {
    const res = await request(kb.server)
      .post(`${entityPath('phi')}/chat/completions`)
      .send(chat);
    expect(res.status).toBe(401);
    const withBadToken = await request(kb.server)
      .get(`${entityPath('phi')}/workspace`)
      .set('Authorization', mockCredentials.user.invalidHeader());
    expect(withBadToken.status).toBe(401);
  });
});
