import { get } from 'node:https';
import { startArmSimulator } from './index';
import { fakeClusterFactory } from './__testUtils__/armTestKit';
import { ArmSimulatorOptions } from './types';

const base = (): ArmSimulatorOptions => ({
  host: '127.0.0.1',
  createCluster: fakeClusterFactory().createCluster,
});

describe('startArmSimulator options', () => {
  it.each([
    [{ host: '' }, /option host is required/],
    [
      { subscriptionId: 'not a guid!' },
      /subscriptionId 'not a guid!' is invalid/,
    ],
    [{ createCluster: undefined }, /createCluster is required/],
    [
      { operationDelayMs: -1 },
      /operationDelayMs must be a number >= 0; got -1/,
    ],
    [
      { quotas: { standardNCADSA100v4Family: -24 } },
      /quotas\['standardNCADSA100v4Family'\] must be a non-negative integer/,
    ],
    [
      { quotas: { cores: 1.5 } },
      /quotas\['cores'\] must be a non-negative integer vCPU limit; got 1.5/,
    ],
    [
      { throttling: { reads: { bucketSize: 0, refillPerSecond: 1 } } },
      /throttling.reads.bucketSize must be an integer >= 1/,
    ],
    [
      { throttling: { writes: { bucketSize: 5, refillPerSecond: 0 } } },
      /throttling.writes.refillPerSecond must be a positive number/,
    ],
  ] as Array<[Partial<ArmSimulatorOptions>, RegExp]>)(
    'rejects %j with a clear message',
    async (override, message) => {
      await expect(
        startArmSimulator({ ...base(), ...override } as ArmSimulatorOptions),
      ).rejects.toThrow(message);
    },
  );

  it('reports a port that is already taken and stops idempotently', async () => {
    const first = await startArmSimulator(base());
    try {
      const port = Number(new URL(first.url).port);
      await expect(
        startArmSimulator({ ...base(), port }),
      ).rejects.toMatchObject({ code: 'EADDRINUSE' });
    } finally {
      await first.stop();
      await first.stop();
    }
  });

  it('serves HTTPS that a client trusting caPem accepts, and nothing after stop', async () => {
    const arm = await startArmSimulator(base());
    const status = await new Promise<number | undefined>((resolve, reject) =>
      get(
        `${arm.url}/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.Compute/skus?api-version=2021-07-01`,
        {
          ca: arm.caPem,
          headers: { authorization: 'Bearer x' },
        },
        res => {
          res.resume();
          resolve(res.statusCode);
        },
      ).on('error', reject),
    );
    expect(status).toBe(200);
    await arm.stop();
    await expect(
      new Promise((resolve, reject) =>
        get(arm.url, { ca: arm.caPem }, resolve).on('error', reject),
      ),
    ).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
