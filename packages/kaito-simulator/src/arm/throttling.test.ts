import { ContainerServiceClient } from '@azure/arm-containerservice';
import {
  SUBSCRIPTION_ID,
  containerServiceClient,
  fixedTokenCredential,
  recordingPolicy,
  startTestArm,
} from './__testUtils__/armTestKit';
import { RunningArmSimulator } from './types';

describe('ARM simulator: throttling (429 + Retry-After)', () => {
  let arm: RunningArmSimulator | undefined;

  afterEach(async () => {
    await arm?.stop();
    arm = undefined;
  });

  it('throttles reads past the bucket and the SDK retries after Retry-After until it succeeds', async () => {
    const started = await startTestArm({
      throttling: { reads: { bucketSize: 2, refillPerSecond: 2 } },
    });
    arm = started.arm;
    // Default SDK retry options: the throttling strategy honours Retry-After.
    const client = containerServiceClient({
      endpoint: arm.url,
      tlsOptions: { ca: arm.caPem },
    });
    const recorder = recordingPolicy();
    client.pipeline.addPolicy(recorder.policy, { afterPhase: 'Retry' });

    const started3 = Date.now();
    const results = [];
    for (let i = 0; i < 3; i++) {
      results.push(
        await client.managedClusters
          .get('rg', 'absent')
          .catch((e: { statusCode?: number }) => e.statusCode),
      );
    }
    const elapsed = Date.now() - started3;

    expect(results).toEqual([404, 404, 404]);
    expect(recorder.log.map(r => r.status)).toEqual([404, 404, 429, 404]);
    // Retry-After: 1 second was honoured, not an immediate retry.
    expect(elapsed).toBeGreaterThanOrEqual(900);
  });

  it('surfaces SubscriptionRequestsThrottled with Retry-After when the client does not retry', async () => {
    const started = await startTestArm({
      throttling: { reads: { bucketSize: 1, refillPerSecond: 0.5 } },
    });
    arm = started.arm;
    const client = containerServiceClient(started.clientOptions); // maxRetries: 0
    await client.managedClusters.get('rg', 'a').catch(() => undefined);

    const error = await client.managedClusters
      .get('rg', 'a')
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      statusCode: 429,
      code: 'SubscriptionRequestsThrottled',
      message: expect.stringContaining(
        `Number of 'read' requests for subscription '${SUBSCRIPTION_ID}' exceeded. Please try again after '2' seconds`,
      ),
    });
    expect(
      (
        error as {
          response?: { headers: { get(n: string): string | undefined } };
        }
      ).response?.headers.get('retry-after'),
    ).toBe('2');
  });

  it('counts writes separately from reads', async () => {
    const started = await startTestArm({
      throttling: {
        reads: { bucketSize: 1, refillPerSecond: 0.1 },
        writes: { bucketSize: 50, refillPerSecond: 1 },
      },
    });
    arm = started.arm;
    const client = containerServiceClient(started.clientOptions);
    await client.managedClusters.get('rg', 'a').catch(() => undefined);
    // Reads are exhausted, a write (POST credentials) still reaches the provider.
    await expect(
      client.managedClusters.listClusterUserCredentials('rg', 'a'),
    ).rejects.toMatchObject({
      statusCode: 404,
      code: 'ResourceNotFound',
    });
  });
});

describe('ARM simulator: why HTTPS', () => {
  it('the installed SDK refuses to send a bearer token to a plain-http endpoint, even with allowInsecureConnection', async () => {
    const client = new ContainerServiceClient(
      fixedTokenCredential,
      SUBSCRIPTION_ID,
      {
        endpoint: 'http://127.0.0.1:1',
        allowInsecureConnection: true,
        retryOptions: { maxRetries: 0 },
      },
    );
    await expect(client.managedClusters.get('rg', 'x')).rejects.toThrow(
      'Bearer token authentication is not permitted for non-TLS protected (non-https) URLs.',
    );
  });

  it('a client that does not trust the minted certificate cannot connect', async () => {
    const started = await startTestArm();
    try {
      const client = containerServiceClient({
        endpoint: started.arm.url,
        tlsOptions: { ca: '' },
        retryOptions: { maxRetries: 0 },
      });
      await expect(client.managedClusters.get('rg', 'x')).rejects.toMatchObject(
        {
          code: expect.stringMatching(/SELF_SIGNED|UNABLE_TO_VERIFY|CERT/),
        },
      );
    } finally {
      await started.arm.stop();
    }
  });
});
