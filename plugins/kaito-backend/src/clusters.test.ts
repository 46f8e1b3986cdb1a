import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import {
  kaitoClustersServiceRef,
  KaitoClusters,
} from '@kaito-backstage/plugin-kaito-node';
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
import { waitFor } from './__testUtils__/simulator';

function clusterResource(
  name: string,
  apiServer: string,
  authProvider: string,
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name,
      namespace: 'default',
      annotations: {
        'kubernetes.io/api-server': apiServer,
        'kubernetes.io/api-server-certificate-authority': '',
        'kubernetes.io/auth-provider': authProvider,
      },
    },
    spec: { type: 'kubernetes-cluster', owner: 'group:default/platform' },
  };
}

/** A second plugin (think: the scaffolder module) that reuses KAITO clusters through the service ref. */
let shared: KaitoClusters | undefined;
const consumerPlugin = createBackendPlugin({
  pluginId: 'kaito-consumer',
  register(env) {
    env.registerInit({
      deps: { kaito: kaitoClustersServiceRef, logger: coreServices.logger },
      async init({ kaito }) {
        shared = kaito;
      },
    });
  },
});

describe('clusters from the catalog, and reuse through kaitoClustersServiceRef', () => {
  // Waits are on events (waitForPhase reads the readiness stream); this is
  // a safety net for a loaded machine, where loading the clients takes seconds.
  jest.setTimeout(60_000);

  let sim: RunningSimulator;
  let kubectlProxy: FaultyApiServer;
  let external: FaultyApiServer;
  let kb: KaitoTestBackend;

  beforeAll(async () => {
    sim = await startSimulator({
      log: () => {},
      seed: [workspaceManifest('phi')],
    });
    // Like `kubectl proxy`: adds the credential, so Backstage sends none.
    kubectlProxy = await FaultyApiServer.start(sim.url);
    kubectlProxy.injectToken = sim.token;
    kb = await startKaitoTestBackend({
      config: {
        kubernetes: {
          clusterLocatorMethods: [
            { type: 'catalog', dangerouslyAllowClusterUrls: ['127.0.0.1'] },
          ],
        },
        kaito: { watch: { backoff: { minMs: 20, maxMs: 200 } } },
      },
      entities: [
        clusterResource(
          'sim-from-catalog',
          kubectlProxy.url,
          'localKubectlProxy',
        ),
        clusterResource('metadata-service', 'https://169.254.169.254', 'azure'),
        component('phi', {
          'kaito.sh/workspace': 'default/phi',
          'kaito.sh/cluster': 'sim-from-catalog',
        }),
        component('sneaky', {
          'kaito.sh/workspace': 'default/phi',
          'kaito.sh/cluster': 'metadata-service',
        }),
      ],
      extraFeatures: [consumerPlugin],
      extraPluginIds: ['kaito-consumer'],
    });
  }, 30_000);

  afterAll(async () => {
    await kb?.stop();
    await kubectlProxy?.stop();
    await external?.stop();
    await sim?.stop();
  });

  it('serves an entity on a cluster registered in the catalog', async () => {
    const body = await waitForPhase(kb, 'phi');
    expect(body.cluster).toBe('sim-from-catalog');
    const chat = await kb.post(`${entityPath('phi')}/chat/completions`, {
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(chat.status).toBe(200);
    // Backstage sent no credential of its own to the kubectl-proxy cluster.
    expect(
      kubectlProxy.requests.every(r => r.headers.authorization === undefined),
    ).toBe(true);
  });

  it('ignores a catalog cluster at a non-public address', async () => {
    const res = await kb.get(`${entityPath('sneaky')}/workspace`);
    expect(res.status).toBe(404);
    expect(res.body.error.message).toBe(
      "Cluster 'metadata-service' is not configured; configured clusters: sim-from-catalog",
    );
  });

  it('gives other backend features the same clusters through the service ref (catalog read over HTTP)', async () => {
    expect(shared).toBeDefined();
    const clusters = await shared!.registry.listClusters();
    expect(clusters.map(c => `${c.name}:${c.source}`)).toEqual([
      'sim-from-catalog:catalog',
    ]);
    const all = await shared!.watcher.listAll();
    expect(all[0].workspaces.map(w => w.name)).toEqual(['phi']);
  });

  it('relays chat to a configured external OpenAI-compatible target with its key', async () => {
    await kb.stop();
    const url = await waitFor(
      () => sim.inferenceUrl('default', 'phi'),
      'inference URL',
    );
    external = await FaultyApiServer.start(url);
    kb = await startKaitoTestBackend({
      config: {
        kubernetes: { clusterLocatorMethods: [] },
        kaito: {
          externalTargets: [
            {
              name: 'aoai',
              baseUrl: `${external.url}/v1`,
              apiKey: 'sk-test-key',
              apiKeyHeader: 'api-key',
              model: 'phi-4-mini-instruct',
            },
          ],
        },
      },
      entities: [
        component('assistant', { 'kaito.sh/external-target': 'aoai' }),
      ],
    });
    const models = await kb.get(`${entityPath('assistant')}/models`);
    expect(models.status).toBe(200);
    const chat = await kb.post(`${entityPath('assistant')}/chat/completions`, {
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(chat.status).toBe(200);
    expect(chat.body.object).toBe('chat.completion');
    const sent = external.requests.filter(
      r => r.path === '/v1/chat/completions',
    );
    expect(sent).toHaveLength(1);
    expect(sent[0].headers['api-key']).toBe('sk-test-key');
    expect(sent[0].headers.authorization).toBeUndefined();
    const readiness = await kb.get(`${entityPath('assistant')}/workspace`);
    expect(readiness.status).toBe(404);
    expect(
      JSON.stringify([models.body, chat.body, readiness.body]),
    ).not.toContain('sk-test-key');
  });
});
