import {
  startSimulator,
  RunningSimulator,
} from '@kaito-backstage/kaito-simulator';
import request from 'supertest';
import {
  KaitoTestBackend,
  startKaitoTestBackend,
} from './__testUtils__/backend';

const SUBSCRIPTION = '00000000-0000-0000-0000-000000000000';
const llama70b = 'meta-llama/Llama-3.3-70B-Instruct';

describe('GET /api/kaito/catalog (no Azure)', () => {
  let kb: KaitoTestBackend;

  beforeAll(async () => {
    kb = await startKaitoTestBackend({
      entities: [],
      config: {
        kaito: {
          catalog: { defaultRegion: 'westeurope' },
          prices: {
            source: 'Contoso EA price sheet',
            asOf: '2026-10-01',
            entries: [
              {
                instanceType: 'Standard_NC24ads_A100_v4',
                region: 'eastus',
                perHour: 2.5,
              },
            ],
          },
        },
      },
    });
  });
  afterAll(() => kb?.stop());

  it('lists the model catalog with size, context, runtimes, tuning and gated', async () => {
    const res = await kb.get('/api/kaito/catalog/models').expect(200);
    expect(res.body.items).toHaveLength(60);
    expect(res.body.items.find((m: any) => m.name === llama70b)).toMatchObject({
      weightSizeGiB: 131.42,
      contextLength: 131072,
      runtimes: ['vllm', 'transformers'],
      tuningMethods: [],
      gated: true,
    });
  });

  it('answers fit, nodes, cost with the config price and the cheapest size', async () => {
    const res = await kb
      .get(
        `/api/kaito/catalog/instance-types?model=${encodeURIComponent(
          llama70b,
        )}&region=eastus&count=2`,
      )
      .expect(200);
    const by = (t: string) =>
      res.body.items.find((i: any) => i.instanceType === t);
    // 3 A100 GPUs per replica × 2 replicas on 1-GPU nodes, at the configured 2.50.
    expect(by('Standard_NC24ads_A100_v4')).toMatchObject({
      usable: true,
      nodes: 6,
      cost: { perNodeHour: 2.5, perHour: 15, source: 'Contoso EA price sheet' },
    });
    expect(res.body.cheapest).toBe('Standard_NC24ads_A100_v4');
    expect(by('Standard_NC6s_v3')).toMatchObject({
      retired: true,
      usable: false,
      reason: expect.stringMatching(/V100/),
    });
    expect(by('Standard_NV36ads_A10_v5').quota).toEqual({
      known: false,
      note: 'Quota unknown: kaito.azure is not configured.',
    });
    expect(res.body.quotaNote).toMatch(/kaito\.azure is not configured/);
  });

  it('uses the default region when none is given', async () => {
    const res = await kb
      .get(
        '/api/kaito/catalog/instance-types?model=microsoft/Phi-4-mini-instruct',
      )
      .expect(200);
    expect(res.body.region).toBe('westeurope');
    expect(res.body.cheapest).toBe('Standard_NV36ads_A10_v5');
    // Built-in East US 3.20 × 1.1 for West Europe.
    expect(
      res.body.items.find(
        (i: any) => i.instanceType === 'Standard_NV36ads_A10_v5',
      ).cost,
    ).toMatchObject({ perHour: 3.52, approximate: true, currency: 'USD' });
  });

  it.each([
    ['', 400, /'model' is required/],
    ['?model=nope/nothing', 404, /not in KAITO .*catalog/],
    [
      '?model=microsoft/phi-4&region=East%20US',
      400,
      /'region' must be an Azure region/,
    ],
    ['?model=microsoft/phi-4&count=0', 400, /'count' must be a whole number/],
    [
      '?model=microsoft/phi-4&count=a&count=b',
      400,
      /'count' must be given once/,
    ],
  ])(
    'rejects %s with %s naming the parameter',
    async (query, status, message) => {
      const res = await kb
        .get(`/api/kaito/catalog/instance-types${query}`)
        .expect(status);
      expect(res.body.error.message).toMatch(message);
      expect(JSON.stringify(res.body)).not.toMatch(/at .*\.ts:\d+/);
    },
  );

  it('requires a signed-in caller', async () => {
    const res = await request(kb.server).get('/api/kaito/catalog/models');
    expect(res.status).toBe(401);
  });
});

describe('GET /api/kaito/catalog/instance-types with Azure quota (simulated ARM)', () => {
  let sim: RunningSimulator;
  let kb: KaitoTestBackend;

  beforeAll(async () => {
    sim = await startSimulator({
      log: () => {},
      arm: { quotas: { StandardNCADSA100v4Family: 48 } },
    });
    const entra = (sim as any).entra as {
      tenantId: string;
      clientId: string;
      clientSecret: string;
    };
    kb = await startKaitoTestBackend({
      entities: [],
      config: {
        kaito: {
          azure: {
            subscriptionId: SUBSCRIPTION,
            credential: 'clientSecret',
            tenantId: entra.tenantId,
            clientId: entra.clientId,
            clientSecret: entra.clientSecret,
            authorityHost: sim.armUrl,
            disableInstanceDiscovery: true,
            armEndpoint: sim.armUrl,
            tls: { caPem: sim.armCaPem },
            retry: { retryDelayInMs: 20, maxRetryDelayInMs: 200 },
          },
        },
      },
    });
  });
  afterAll(async () => {
    await kb?.stop();
    await sim?.stop();
  });

  it('reports headroom and whether the nodes fit in it', async () => {
    const res = await kb
      .get(
        `/api/kaito/catalog/instance-types?model=${encodeURIComponent(
          llama70b,
        )}&region=eastus`,
      )
      .expect(200);
    expect(res.body.quotaSubscriptionId).toBe(SUBSCRIPTION);
    const by = (t: string) =>
      res.body.items.find((i: any) => i.instanceType === t);
    // 3 × NC24ads (24 vCPUs) = 72 vCPUs needed; the family allows 48.
    expect(by('Standard_NC24ads_A100_v4').quota).toMatchObject({
      known: true,
      limit: 48,
      used: 0,
      available: 48,
      needed: 72,
      enough: false,
    });
    // 1 × NC96ads (96 vCPUs) > 48 as well; NC48ads: 2 nodes × 48 = 96 > 48.
    expect(by('Standard_NC96ads_A100_v4').quota.enough).toBe(false);
    // ND families have no quota by default in the simulator.
    expect(by('Standard_ND96isr_H100_v5').quota).toMatchObject({
      known: true,
      available: 0,
      enough: false,
    });
  });
});
