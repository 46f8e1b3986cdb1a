import { actionsRegistryServiceFactory } from '@backstage/backend-defaults/alpha';
import { Entity } from '@backstage/catalog-model';
import {
  RunningSimulator,
  startSimulator,
  testing,
} from '@kaito-backstage/kaito-simulator';
import {
  KaitoTestBackend,
  startKaitoTestBackend,
} from '../__testUtils__/backend';

const ACTIONS = '/api/kaito/.backstage/actions/v1/actions';
/** The subscription the simulated ARM serves, recorded on the cluster entity. */
const CLUSTER_SUBSCRIPTION = '11111111-2222-3333-4444-555555555555';
/** kaito.azure.subscriptionId: a subscription the simulated ARM does not serve. */
const PORTAL_SUBSCRIPTION = '00000000-0000-0000-0000-000000000000';

function clusterEntity(name: string, annotations: Record<string, string>) {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'kubernetes-cluster', owner: 'group:default/ml-platform' },
  } as Entity;
}

describe('recommend-instance-types: quota headroom from the simulated ARM', () => {
  let sim: RunningSimulator;
  let kb: KaitoTestBackend;

  beforeAll(async () => {
    sim = await startSimulator({
      log: () => {},
      // No A10 quota: the cheapest size for Phi-4-mini does not fit in it;
      // 40 regional vCPUs: one 48-vCPU node does not either.
      arm: {
        subscriptionId: CLUSTER_SUBSCRIPTION,
        quotas: {
          StandardNVADSA10v5Family: 0,
          StandardNCADSA100v4Family: 48,
          cores: 40,
        },
      },
    });
    kb = await startKaitoTestBackend({
      config: {
        kaito: {
          azure: {
            ...testing.simulatorAzureConfig(sim),
            subscriptionId: PORTAL_SUBSCRIPTION,
          },
        },
        backend: { actions: { pluginSources: ['kaito'] } },
      },
      entities: [
        clusterEntity('gpu-aks', {
          'kaito.sh/azure-location': 'westeurope',
          'kaito.sh/azure-subscription': CLUSTER_SUBSCRIPTION,
        }),
        clusterEntity('plain', {}),
      ],
      extraFeatures: [actionsRegistryServiceFactory],
    });
  }, 180_000);

  afterAll(async () => {
    await kb?.stop();
    await sim?.stop();
  });

  const invoke = (input: unknown) =>
    kb.post(`${ACTIONS}/kaito:recommend-instance-types/invoke`, input);

  it("reads the cluster's subscription and region and ranks sizes within quota", async () => {
    const res = await invoke({
      model: 'phi-4-mini-instruct',
      cluster: 'gpu-aks',
    });
    expect(res.status).toBe(200);
    const out = res.body.output;
    expect(out).toMatchObject({
      region: 'westeurope',
      cluster: 'resource:default/gpu-aks',
      quotaSubscriptionId: CLUSTER_SUBSCRIPTION,
    });
    expect(out.quotaNote).toBeUndefined();
    const by = (t: string) =>
      out.options.find((o: any) => o.instanceType === t);
    // The cheapest size (A10) has no free quota in this subscription.
    expect(out.cheapest).toBe('Standard_NV36ads_A10_v5');
    expect(by('Standard_NV36ads_A10_v5').quota).toMatchObject({
      known: true,
      limit: 0,
      available: 0,
      needed: 36,
      enough: false,
    });
    // One NC24ads node (24 vCPUs) fits in the 48 of the A100 family.
    expect(by('Standard_NC24ads_A100_v4').quota).toMatchObject({
      known: true,
      limit: 48,
      used: 0,
      available: 48,
      needed: 24,
      enough: true,
    });
    // NC48ads: 48 vCPUs fit the family's 48 but not the 40 regional ones.
    expect(by('Standard_NC48ads_A100_v4').quota).toMatchObject({
      known: true,
      available: 48,
      needed: 48,
      regionalAvailable: 40,
      enough: false,
    });
    expect(by('Standard_NC24ads_A100_v4').quota.regionalAvailable).toBe(40);
    expect(out.cheapestWithinQuota).toBe('Standard_NC24ads_A100_v4');
    expect(out.note).toContain(CLUSTER_SUBSCRIPTION);
  });

  it('says why quota is unknown instead of failing', async () => {
    // kaito.azure.subscriptionId is not one the simulated ARM serves.
    const portal = await invoke({
      model: 'phi-4-mini-instruct',
      region: 'eastus',
    });
    expect(portal.status).toBe(200);
    expect(portal.body.output.quotaSubscriptionId).toBeUndefined();
    expect(portal.body.output.quotaNote).toMatch(
      /^Quota unknown: Azure did not list usages for eastus/,
    );
    expect(portal.body.output.cheapestWithinQuota).toBeUndefined();
    expect(portal.body.output.options[0].quota).toMatchObject({
      known: false,
    });
    // A cluster without Azure annotations: region from the input, portal subscription.
    const plain = await invoke({
      model: 'phi-4-mini-instruct',
      cluster: 'resource:default/plain',
      region: 'eastus',
    });
    expect(plain.status).toBe(200);
    expect(plain.body.output.cluster).toBe('resource:default/plain');
    expect(plain.body.output.quotaNote).toMatch(/^Quota unknown/);
  });

  it('names the cluster field when the cluster is not in the catalog', async () => {
    const res = await invoke({ model: 'phi-4-mini-instruct', cluster: 'nope' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(
      /^cluster: resource:default\/nope is not in the catalog/,
    );
    const bad = await invoke({
      model: 'phi-4-mini-instruct',
      cluster: 'a:b:c',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^cluster: /);
  });
});
