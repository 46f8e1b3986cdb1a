import {
  startSimulator,
  RunningSimulator,
} from '@kaito-backstage/kaito-simulator';
import { component, workspaceManifest } from './__testUtils__/entities';
import {
  entityPath,
  KaitoTestBackend,
  startKaitoTestBackend,
  waitForPhase,
} from './__testUtils__/backend';
import { FaultyApiServer } from './__testUtils__/FaultyApiServer';
import { clusterConfig } from './__testUtils__/simulator';

/**
 * Entities whose annotations try to steer the backend at something that is
 * not a configured cluster's KAITO Workspace. None may cause a request to
 * anything but the legitimate Workspace's model server.
 */
const CRAFTED: Array<[string, Record<string, string>, number]> = [
  [
    'other-namespace-service',
    { 'kaito.sh/workspace': 'kube-system/kube-dns', 'kaito.sh/cluster': 'sim' },
    403,
  ],
  [
    'api-service',
    { 'kaito.sh/workspace': 'default/kubernetes', 'kaito.sh/cluster': 'sim' },
    404,
  ],
  [
    'headless-service',
    { 'kaito.sh/workspace': 'default/phi-headless', 'kaito.sh/cluster': 'sim' },
    404,
  ],
  [
    'port-suffix',
    { 'kaito.sh/workspace': 'default/phi:5000', 'kaito.sh/cluster': 'sim' },
    400,
  ],
  [
    'path-suffix',
    { 'kaito.sh/workspace': 'default/phi/proxy/v1', 'kaito.sh/cluster': 'sim' },
    400,
  ],
  [
    'dot-dot-ns',
    { 'kaito.sh/workspace': '../phi', 'kaito.sh/cluster': 'sim' },
    400,
  ],
  [
    'dot-dot-name',
    { 'kaito.sh/workspace': 'default/..', 'kaito.sh/cluster': 'sim' },
    400,
  ],
  [
    'encoded-dots',
    { 'kaito.sh/workspace': 'default/%2e%2e', 'kaito.sh/cluster': 'sim' },
    400,
  ],
  [
    'dns-name',
    {
      'kaito.sh/workspace': 'default/phi.evil.example.com',
      'kaito.sh/cluster': 'sim',
    },
    400,
  ],
  [
    'url',
    {
      'kaito.sh/workspace': 'http://evil.example.com/v1',
      'kaito.sh/cluster': 'sim',
    },
    400,
  ],
  [
    'userinfo',
    {
      'kaito.sh/workspace': 'default/phi@evil.example.com',
      'kaito.sh/cluster': 'sim',
    },
    400,
  ],
  [
    'query',
    {
      'kaito.sh/workspace': 'default/phi?watch=true',
      'kaito.sh/cluster': 'sim',
    },
    400,
  ],
  [
    'fragment',
    { 'kaito.sh/workspace': 'default/phi#x', 'kaito.sh/cluster': 'sim' },
    400,
  ],
  [
    'upper-case',
    { 'kaito.sh/workspace': 'default/PHI', 'kaito.sh/cluster': 'sim' },
    400,
  ],
  [
    'inner-space',
    { 'kaito.sh/workspace': 'default/ph i', 'kaito.sh/cluster': 'sim' },
    400,
  ],
  [
    'control-char',
    { 'kaito.sh/workspace': 'default/ph\u0000i', 'kaito.sh/cluster': 'sim' },
    400,
  ],
  [
    'crlf-injection',
    {
      'kaito.sh/workspace': 'default/phi\r\nHost: evil',
      'kaito.sh/cluster': 'sim',
    },
    400,
  ],
  [
    'unknown-cluster',
    { 'kaito.sh/workspace': 'default/phi', 'kaito.sh/cluster': 'prod' },
    404,
  ],
  [
    'cluster-url',
    {
      'kaito.sh/workspace': 'default/phi',
      'kaito.sh/cluster': 'https://evil.example.com',
    },
    400,
  ],
  [
    'cluster-traversal',
    { 'kaito.sh/workspace': 'default/phi', 'kaito.sh/cluster': '../sim' },
    400,
  ],
  [
    'unlisted-namespace',
    { 'kaito.sh/workspace': 'other/phi', 'kaito.sh/cluster': 'sim' },
    403,
  ],
  ['unknown-external', { 'kaito.sh/external-target': 'evil' }, 404],
  [
    'external-url',
    { 'kaito.sh/external-target': 'http://169.254.169.254/latest' },
    404,
  ],
  [
    'both-targets',
    {
      'kaito.sh/workspace': 'default/phi',
      'kaito.sh/external-target': 'evil',
      'kaito.sh/cluster': 'sim',
    },
    400,
  ],
  [
    'long-name',
    {
      'kaito.sh/workspace': `default/${'a'.repeat(64)}`,
      'kaito.sh/cluster': 'sim',
    },
    400,
  ],
  ['cluster-only', { 'kaito.sh/cluster': 'sim' }, 400],
];

/** Well-formed references to Workspaces that do not exist: their snapshot says so. */
const NOT_FOUND_SNAPSHOT = ['api-service', 'headless-service'];

describe('kaito-backend: entities cannot reach anything not configured', () => {
  // Waits are on events (waitForPhase reads the readiness stream); this is
  // a safety net for a loaded machine, where loading the clients takes seconds.
  jest.setTimeout(60_000);

  let sim: RunningSimulator;
  let faulty: FaultyApiServer;
  let kb: KaitoTestBackend;

  beforeAll(async () => {
    sim = await startSimulator({
      log: () => {},
      seed: [
        workspaceManifest('phi'),
        workspaceManifest('phi', { namespace: 'other' }),
      ],
    });
    faulty = await FaultyApiServer.start(sim.url);
    kb = await startKaitoTestBackend({
      config: clusterConfig(
        [{ name: 'sim', url: faulty.url, token: sim.token }],
        { allowedNamespaces: ['default'] },
      ),
      entities: [
        component('legit', {
          'kaito.sh/workspace': 'default/phi',
          'kaito.sh/cluster': 'sim',
        }),
        ...CRAFTED.map(([name, annotations]) => component(name, annotations)),
      ],
    });
    await waitForPhase(kb, 'legit');
  }, 30_000);

  afterAll(async () => {
    await kb?.stop();
    await faulty?.stop();
    await sim?.stop();
  });

  it('has at least 20 crafted cases', () => {
    expect(CRAFTED.length).toBeGreaterThanOrEqual(20);
  });

  it.each(CRAFTED)(
    '%s is refused on every route without touching the cluster',
    async (name, _annotations, status) => {
      const before = faulty.proxied.length;
      const chat = await kb.post(`${entityPath(name)}/chat/completions`, {
        messages: [{ role: 'user', content: 'hi' }],
      });
      const models = await kb.get(`${entityPath(name)}/models`);
      expect(chat.status).toBe(status);
      expect(models.status).toBe(status);
      for (const res of [chat, models]) {
        expect(res.body.error.message).toEqual(expect.any(String));
        expect(res.body.error.message).not.toContain(faulty.url);
      }
      // The readiness route: external targets have none (404); a well-formed
      // reference to a missing Workspace is a truthful "notFound" snapshot.
      const snapshot = await kb.get(`${entityPath(name)}/workspace`);
      const expected = NOT_FOUND_SNAPSHOT.includes(name) ? 200 : status;
      expect(snapshot.status).toBe(expected);
      expect(snapshot.body.status ?? 'error').toBe(
        expected === 200 ? 'notFound' : 'error',
      );
      expect(faulty.proxied.slice(before)).toEqual([]);
    },
  );

  it('the legitimate entity reaches only its own Workspace, with the cluster credential and nothing from the caller', async () => {
    const before = faulty.proxied.length;
    const res = await kb
      .post(`${entityPath('legit')}/chat/completions`, {
        model: '../../../api/v1/secrets',
        messages: [{ role: 'user', content: 'hi' }],
      })
      .set('X-Forwarded-Host', 'evil.example.com')
      .set('Cookie', 'backstage-session=secret');
    // The path-shaped model name is refused before any chat is sent: only
    // the Workspace's own served names are allowed (issue 9).
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_request');
    expect(res.body.error.message).toContain('allowed:');
    const seen = faulty.proxied.slice(before);
    expect(seen.map(r => r.path)).not.toContainEqual(
      expect.stringContaining('chat/completions'),
    );
    expect(seen.length).toBeGreaterThan(0);
    for (const r of seen) {
      expect(r.path).toMatch(
        /^\/api\/v1\/namespaces\/default\/services\/phi:http\/proxy\/v1\/(models|chat\/completions)$/,
      );
      expect(r.authorization).toBe(`Bearer ${sim.token}`);
      expect(r.headers.cookie).toBeUndefined();
      expect(r.headers['x-forwarded-host']).toBeUndefined();
    }
  });

  it('route paths cannot be bent to other targets', async () => {
    for (const path of [
      '/api/kaito/entity/component/default/legit/../../workspaces',
      '/api/kaito/entity/component/default/legit%2F..%2Fother/workspace',
      '/api/kaito/entity/component/default/legit/chat/completions/../../models',
    ]) {
      const res = await kb.get(path);
      expect([400, 404]).toContain(res.status);
    }
  });
});
