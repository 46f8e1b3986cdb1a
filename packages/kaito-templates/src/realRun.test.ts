import { portalGet, runTask } from './__testUtils__/portal';
import {
  directWorkspaceValues,
  expectCompleted,
  useRealPortal,
} from './__testUtils__/suites';

jest.setTimeout(240_000);

/**
 * Real runs against the simulator: the templates as the portal runs them
 * (task API, real catalog with the KAITO provider, KAITO backend).
 */
describe('templates: real runs on the simulator', () => {
  const t = useRealPortal({ arm: true }, [
    'kaito-workspace',
    'kaito-decommission',
    'aks-kaito-cluster',
  ]);

  it('kaito-workspace ends with the entity registered and its readiness at /api/kaito', async () => {
    const run = await runTask(
      t.portal.baseUrl,
      'kaito-workspace',
      directWorkspaceValues('phi-real'),
    );
    expectCompleted(run);
    expect(run.output.links[0].entityRef).toBe('resource:default/phi-real');
    if (process.env.KAITO_TEMPLATES_TIMINGS) {
      // eslint-disable-next-line no-console
      console.log(
        run.log
          .filter(l => /\(\d+(\.\d+)? s\)|Ready|elapsed/i.test(l))
          .join('\n'),
      );
    }

    const entity = await portalGet(
      t.portal.baseUrl,
      '/api/catalog/entities/by-name/resource/default/phi-real',
    );
    expect(entity.status).toBe(200);
    expect(entity.body.spec).toMatchObject({
      type: 'kaito-workspace',
      owner: 'user:default/mock',
    });
    expect(entity.body.metadata.annotations).toMatchObject({
      'kaito.sh/workspace': 'team-a/phi-real',
      'kaito.sh/cluster': 'sim',
    });

    const readiness = await portalGet(
      t.portal.baseUrl,
      '/api/kaito/entity/resource/default/phi-real/workspace',
    );
    expect(readiness.status).toBe(200);
    expect(readiness.body).toMatchObject({
      cluster: 'sim',
      namespace: 'team-a',
      name: 'phi-real',
      status: 'found',
    });
    expect(readiness.body.readiness.phase).toBe('Ready');
  });

  it('kaito-decommission leaves no Workspace and no entity', async () => {
    const run = await runTask(t.portal.baseUrl, 'kaito-decommission', {
      workspace: 'resource:default/phi-real',
      confirm: true,
      timeoutMinutes: 2,
    });
    expectCompleted(run);
    const ws = await fetch(
      `${t.sim.url}/apis/kaito.sh/v1beta1/namespaces/team-a/workspaces/phi-real`,
      { headers: { authorization: `Bearer ${t.sim.token}` } },
    );
    expect(ws.status).toBe(404);
    const entity = await portalGet(
      t.portal.baseUrl,
      '/api/catalog/entities/by-name/resource/default/phi-real',
    );
    expect(entity.status).toBe(404);
  });

  it('aks-kaito-cluster (direct) ends with the cluster usable by the registry and a workspace on it', async () => {
    const run = await runTask(t.portal.baseUrl, 'aks-kaito-cluster', {
      mode: 'direct',
      namePrefix: 'team-gpu',
      location: 'eastus',
      networkPlugin: 'azure',
      networkPluginMode: 'overlay',
      networkPolicy: 'none',
      systemPoolVmSize: 'Standard_D4ds_v5',
      systemPoolCount: 1,
      model: 'microsoft/Phi-4-mini-instruct',
      instanceType: 'Standard_NC24ads_A100_v4',
      deployWorkspace: true,
      workspaceName: 'first-model',
      workspaceNamespace: 'default',
      waitForReady: true,
      owner: 'user:default/mock',
    });
    expectCompleted(run);
    const cluster = await portalGet(
      t.portal.baseUrl,
      '/api/catalog/entities/by-name/resource/default/team-gpu-aks',
    );
    expect(cluster.status).toBe(200);
    expect(cluster.body.spec.type).toBe('kubernetes-cluster');
    expect(cluster.body.metadata.annotations).toMatchObject({
      'kubernetes.io/auth-provider': 'azure',
      'kaito.sh/azure-location': 'eastus',
    });
    expect(cluster.body.metadata.annotations['kubernetes.io/api-server']).toBe(
      t.sim.armClusters()['team-gpu-rg/team-gpu-aks'],
    );

    const readiness = await portalGet(
      t.portal.baseUrl,
      '/api/kaito/entity/resource/default/first-model/workspace',
    );
    expect(readiness.status).toBe(200);
    expect(readiness.body).toMatchObject({
      cluster: 'team-gpu-aks',
      name: 'first-model',
      status: 'found',
    });
    expect(readiness.body.readiness.phase).toBe('Ready');
  });
});
