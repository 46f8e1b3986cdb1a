import {
  RunningSimulator,
  startSimulator,
} from '@kaito-backstage/kaito-simulator';
import { component, workspaceManifest } from './__testUtils__/entities';
import {
  entityPath,
  KaitoTestBackend,
  startKaitoTestBackend,
  waitForPhase,
} from './__testUtils__/backend';
import { clusterConfig } from './__testUtils__/simulator';

// Without kaito.allowedNamespaces (the shipped config sets none), an entity
// may still not point at a cluster's system namespaces: any catalog author
// can write the annotation.

describe('kaito-backend: system namespaces are refused by default', () => {
  jest.setTimeout(60_000);
  let sim: RunningSimulator;
  let kb: KaitoTestBackend;

  beforeAll(async () => {
    sim = await startSimulator({
      log: () => {},
      seed: [
        workspaceManifest('phi'),
        workspaceManifest('phi', { namespace: 'kube-system' }),
      ],
    });
    kb = await startKaitoTestBackend({
      config: clusterConfig([{ name: 'sim', url: sim.url, token: sim.token }]),
      entities: [
        component('app', {
          'kaito.sh/workspace': 'default/phi',
          'kaito.sh/cluster': 'sim',
        }),
        ...[
          'kube-system',
          'kube-node-lease',
          'kaito-system',
          'kube-custom',
        ].map(ns =>
          component(`in-${ns}`, {
            'kaito.sh/workspace': `${ns}/phi`,
            'kaito.sh/cluster': 'sim',
          }),
        ),
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await kb?.stop();
    await sim?.stop();
  });

  it('serves an application namespace', async () => {
    await waitForPhase(kb, 'app');
    const res = await kb.get(`${entityPath('app')}/workspace`);
    expect(res.status).toBe(200);
  });

  it.each(['kube-system', 'kube-node-lease', 'kaito-system', 'kube-custom'])(
    'refuses %s on every route with 403 namespace_not_allowed',
    async ns => {
      const name = `in-${ns}`;
      const responses = [
        await kb.get(`${entityPath(name)}/workspace`),
        await kb.get(`${entityPath(name)}/models`),
        await kb.post(`${entityPath(name)}/chat/completions`, {
          messages: [{ role: 'user', content: 'hi' }],
        }),
      ];
      for (const res of responses) {
        expect(res.status).toBe(403);
        expect(res.body.error.code).toBe('namespace_not_allowed');
        expect(res.body.error.message).toContain(`system namespace '${ns}'`);
        expect(res.body.error.message).toContain('kaito.allowedNamespaces');
      }
    },
  );
});
