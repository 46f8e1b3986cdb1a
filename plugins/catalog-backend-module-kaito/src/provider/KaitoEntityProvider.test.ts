import { mockServices } from '@backstage/backend-test-utils';
import { ContainerServiceClient } from '@azure/arm-containerservice';
import { Entity } from '@backstage/catalog-model';
import {
  RunningSimulator,
  startSimulator,
} from '@kaito-backstage/kaito-simulator';
import {
  SUBSCRIPTION,
  clustersFor,
  kube,
  staticCredential,
  workspace,
} from '../__testUtils__/sim';
import { ArmAksClusterSource } from './aksClusters';
import { KaitoEntityProvider } from './KaitoEntityProvider';
import { entityProblem } from './validateEntity';

jest.setTimeout(60_000);

const WS = '/apis/kaito.sh/v1beta1/namespaces/default/workspaces';

function connection() {
  const mutations: Entity[][] = [];
  return {
    mutations,
    latest: () => mutations[mutations.length - 1] ?? [],
    conn: {
      applyMutation: jest.fn(async (m: any) => {
        mutations.push(m.entities.map((d: { entity: Entity }) => d.entity));
      }),
      refresh: jest.fn(),
    },
  };
}

describe('KaitoEntityProvider on the simulator', () => {
  let sim: RunningSimulator;

  beforeAll(async () => {
    sim = await startSimulator({ arm: true });
  });
  afterAll(() => sim?.stop());

  it('registers Workspaces that carry backstage.io/owner, and drops them when deleted', async () => {
    const kaito = clustersFor(sim);
    expect(
      (
        await kube(
          sim,
          'POST',
          WS,
          workspace(
            'phi-mini',
            {
              'backstage.io/owner': 'group:default/ml-platform',
              'backstage.io/system': 'system:default/llm-platform',
              'backstage.io/title': 'Phi-4 mini',
            },
            { 'backstage.io/kubernetes-id': 'team-phi' },
          ),
        )
      ).status,
    ).toBe(201);
    // Not created by the portal: no owner annotation, not registered.
    expect((await kube(sim, 'POST', WS, workspace('by-hand'))).status).toBe(
      201,
    );

    const provider = new KaitoEntityProvider({
      logger: mockServices.logger.mock(),
      kaito,
    });
    const c = connection();
    await provider.connect(c.conn as any);
    expect(await provider.refresh()).toEqual({
      workspaces: 1,
      clusters: 0,
      ragengines: 0,
      failed: [],
    });
    const [entity] = c.latest();
    expect(entity).toEqual({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name: 'team-phi',
        namespace: 'default',
        title: 'Phi-4 mini',
        description:
          'KAITO inference workspace default/phi-mini on cluster sim (microsoft/Phi-4-mini-instruct).',
        tags: ['kaito', 'llm'],
        annotations: {
          'backstage.io/managed-by-location':
            'kaito-workspace:sim/default/phi-mini',
          'backstage.io/managed-by-origin-location':
            'kaito-workspace:sim/default/phi-mini',
          'kaito.sh/workspace': 'default/phi-mini',
          'kaito.sh/cluster': 'sim',
          'backstage.io/kubernetes-id': 'team-phi',
          'backstage.io/kubernetes-namespace': 'default',
        },
      },
      spec: {
        type: 'kaito-workspace',
        owner: 'group:default/ml-platform',
        system: 'system:default/llm-platform',
        dependsOn: ['resource:default/sim'],
      },
    });
    expect(await entityProblem(entity)).toBeUndefined();

    await kube(sim, 'DELETE', `${WS}/phi-mini`);
    await provider.refresh();
    expect(c.latest()).toEqual([]);
    await kube(sim, 'DELETE', `${WS}/by-hand`);
    await kaito.stop();
  });

  it('keeps the last good entities of a cluster it cannot read', async () => {
    const other = await startSimulator({});
    const kaito = clustersFor(other);
    await kube(
      other,
      'POST',
      WS,
      workspace('keep-me', { 'backstage.io/owner': 'user:default/ada' }),
    );
    const logger = mockServices.logger.mock();
    const provider = new KaitoEntityProvider({
      logger,
      kaito,
      timeoutMs: 2000,
    });
    const c = connection();
    await provider.connect(c.conn as any);
    await provider.refresh();
    expect(c.latest().map(e => e.metadata.name)).toEqual(['keep-me']);

    await other.stop();
    const summary = await provider.refresh();
    expect(summary.failed).toEqual(['sim']);
    expect(c.latest().map(e => e.metadata.name)).toEqual(['keep-me']);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(
        /Could not list Workspaces on cluster 'sim'; keeping/,
      ),
    );
    await kaito.stop();
  });

  it('skips a Workspace whose annotations would make an invalid entity, and says why', async () => {
    const kaito = clustersFor(sim);
    await kube(
      sim,
      'POST',
      WS,
      workspace('bad-owner', { 'backstage.io/owner': 'not a valid ref!' }),
    );
    const logger = mockServices.logger.mock();
    const provider = new KaitoEntityProvider({ logger, kaito });
    const c = connection();
    await provider.connect(c.conn as any);
    await provider.refresh();
    expect(c.latest()).toEqual([]);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(
        /Not registering kaito-workspace:sim\/default\/bad-owner/,
      ),
    );
    await kube(sim, 'DELETE', `${WS}/bad-owner`);
    await kaito.stop();
  });

  it('registers AKS clusters tagged backstage-owner as kubernetes-cluster Resources', async () => {
    const aks = new ContainerServiceClient(staticCredential, SUBSCRIPTION, {
      endpoint: sim.armUrl,
      tlsOptions: { ca: sim.armCaPem },
    });
    const create = (name: string, tags: Record<string, string>) =>
      aks.managedClusters.beginCreateOrUpdateAndWait(
        'rg-kaito',
        name,
        {
          location: 'eastus',
          tags,
          dnsPrefix: name,
          agentPoolProfiles: [
            {
              name: 'system',
              mode: 'System',
              count: 1,
              vmSize: 'Standard_D4s_v5',
            },
          ],
          oidcIssuerProfile: { enabled: true },
          aiToolchainOperatorProfile: { enabled: true },
        },
        { updateIntervalInMs: 20 },
      );
    await create('aks-team', {
      'backstage-owner': 'group:default/ml-platform',
      'backstage-system': 'system:default/llm-platform',
    });
    await create('aks-untagged', {});

    const source = new ArmAksClusterSource({
      subscriptions: [SUBSCRIPTION],
      clientFor: () => aks,
      logger: mockServices.logger.mock(),
    });
    const provider = new KaitoEntityProvider({
      logger: mockServices.logger.mock(),
      aks: source,
    });
    const c = connection();
    await provider.connect(c.conn as any);
    expect(await provider.refresh()).toEqual({
      workspaces: 0,
      clusters: 1,
      ragengines: 0,
      failed: [],
    });
    const [entity] = c.latest();
    expect(entity.metadata.name).toBe('aks-team');
    expect(entity.spec).toEqual({
      type: 'kubernetes-cluster',
      owner: 'group:default/ml-platform',
      system: 'system:default/llm-platform',
    });
    const a = entity.metadata.annotations!;
    // The API server comes from the cluster's kubeconfig: the simulated one listens on loopback.
    expect(a['kubernetes.io/api-server']).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+$/,
    );
    expect(a['kubernetes.io/auth-provider']).toBe('azure');
    expect(a['kubernetes.io/skip-metrics-lookup']).toBe('true');
    expect(a['kaito.sh/azure-location']).toBe('eastus');
    expect(a['kaito.sh/azure-subscription']).toBe(SUBSCRIPTION);
    expect(a['kaito.sh/azure-resource-id']).toMatch(
      /managedClusters\/aks-team$/,
    );
    expect(await entityProblem(entity)).toBeUndefined();
  });
});
