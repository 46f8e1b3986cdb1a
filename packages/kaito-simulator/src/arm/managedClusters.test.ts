import { parse } from 'yaml';
import {
  containerServiceClient,
  kaitoCluster,
  recordingPolicy,
  startTestArm,
  collect,
} from './__testUtils__/armTestKit';
import { RunningArmSimulator } from './types';

describe('ARM simulator: managed clusters through @azure/arm-containerservice', () => {
  let arm: RunningArmSimulator | undefined;

  afterEach(async () => {
    await arm?.stop();
    arm = undefined;
  });

  it('creates a KAITO cluster through the SDK LRO poller and returns its kubeconfig', async () => {
    const started = await startTestArm();
    arm = started.arm;
    const client = containerServiceClient(started.clientOptions);
    const recorder = recordingPolicy();
    client.pipeline.addPolicy(recorder.policy, { afterPhase: 'Retry' });

    const created = await client.managedClusters.beginCreateOrUpdateAndWait(
      'rg-kaito',
      'aks-kaito',
      kaitoCluster(),
      { updateIntervalInMs: 10 },
    );

    expect(created.provisioningState).toBe('Succeeded');
    expect(created.aiToolchainOperatorProfile?.enabled).toBe(true);
    expect(created.oidcIssuerProfile?.enabled).toBe(true);
    expect(created.oidcIssuerProfile?.issuerURL).toMatch(
      /^https:\/\/eastus\.oic\.prod-aks\.azure\.com\/[0-9a-f-]+\/[0-9a-f-]+\/$/,
    );
    expect(created.id).toBe(
      '/subscriptions/11111111-2222-3333-4444-555555555555/resourcegroups/rg-kaito/providers/Microsoft.ContainerService/managedClusters/aks-kaito',
    );
    expect(created.agentPoolProfiles?.[0]).toMatchObject({
      name: 'system',
      count: 2,
      vmSize: 'Standard_D4s_v5',
      mode: 'System',
    });
    expect(started.calls).toEqual([
      {
        resourceGroup: 'rg-kaito',
        name: 'aks-kaito',
        location: 'eastus',
        kaitoEnabled: true,
      },
    ]);

    // The poller really went through PUT 201 -> Azure-AsyncOperation polling -> final GET.
    const [put, ...rest] = recorder.log;
    expect(put).toMatchObject({ method: 'PUT', status: 201 });
    expect(put.url).toContain('api-version=2026-06-01');
    const polls = rest.filter(r =>
      r.url.includes(
        '/providers/Microsoft.ContainerService/locations/eastus/operations/',
      ),
    );
    expect(polls.length).toBeGreaterThan(0);
    expect(rest[rest.length - 1]).toMatchObject({ method: 'GET', status: 200 });
    expect(rest[rest.length - 1].url).toContain(
      '/managedClusters/aks-kaito?api-version=',
    );

    const credentials = await client.managedClusters.listClusterUserCredentials(
      'rg-kaito',
      'aks-kaito',
    );
    expect(credentials.kubeconfigs).toHaveLength(1);
    expect(credentials.kubeconfigs?.[0].name).toBe('clusterUser');
    const kubeconfig = parse(
      Buffer.from(credentials.kubeconfigs![0].value!).toString('utf8'),
    );
    expect(kubeconfig.clusters[0].cluster.server).toBe(
      'http://127.0.0.1:6443/rg-kaito/aks-kaito',
    );
    expect(kubeconfig.users[0].user.token).toBe('token-for-aks-kaito');
  });

  it('moves provisioningState from Creating to Succeeded while the operation runs', async () => {
    const started = await startTestArm({ operationDelayMs: 300 });
    arm = started.arm;
    const client = containerServiceClient(started.clientOptions);

    const poller = client.managedClusters.createOrUpdate(
      'rg',
      'aks1',
      kaitoCluster('westus3'),
      {
        updateIntervalInMs: 25,
      },
    );
    await poller.submitted();
    const during = await client.managedClusters.get('rg', 'aks1');
    expect(during.provisioningState).toBe('Creating');
    expect(poller.isDone).toBe(false);
    await expect(
      client.managedClusters.listClusterUserCredentials('rg', 'aks1'),
    ).rejects.toMatchObject({
      statusCode: 409,
      code: 'OperationNotAllowed',
    });

    const done = await poller;
    expect(done.provisioningState).toBe('Succeeded');
    expect(
      (await client.managedClusters.get('rg', 'aks1')).provisioningState,
    ).toBe('Succeeded');
  });

  it('answers GET for a missing cluster with an ARM ResourceNotFound 404', async () => {
    const started = await startTestArm();
    arm = started.arm;
    const client = containerServiceClient(started.clientOptions);
    await expect(
      client.managedClusters.get('rg', 'nope'),
    ).rejects.toMatchObject({
      statusCode: 404,
      code: 'ResourceNotFound',
      message: expect.stringContaining(
        "The Resource 'Microsoft.ContainerService/managedClusters/nope' under resource group 'rg' was not found",
      ),
    });
  });

  it('treats a PUT on an existing cluster as an update (200) and enables KAITO on it', async () => {
    const updates: unknown[] = [];
    const started = await startTestArm({
      updateCluster: async req => void updates.push(req),
    });
    arm = started.arm;
    const client = containerServiceClient(started.clientOptions);
    const recorder = recordingPolicy();
    client.pipeline.addPolicy(recorder.policy, { afterPhase: 'Retry' });

    const plain = kaitoCluster('eastus', {
      oidcIssuerProfile: undefined,
      aiToolchainOperatorProfile: undefined,
    });
    const first = await client.managedClusters.createOrUpdate(
      'rg',
      'aks2',
      plain,
      { updateIntervalInMs: 10 },
    );
    expect(first.aiToolchainOperatorProfile?.enabled).toBe(false);
    expect(first.oidcIssuerProfile).toEqual({ enabled: false });

    // The documented enable flow: get, set both profiles, PUT the whole object.
    const current = await client.managedClusters.get('rg', 'aks2');
    current.oidcIssuerProfile = { enabled: true };
    current.aiToolchainOperatorProfile = { enabled: true };
    const updated = await client.managedClusters.createOrUpdate(
      'rg',
      'aks2',
      current,
      { updateIntervalInMs: 10 },
    );

    expect(updated.aiToolchainOperatorProfile?.enabled).toBe(true);
    expect(updated.oidcIssuerProfile?.issuerURL).toContain('/');
    expect(updated.fqdn).toBe(first.fqdn);
    expect(
      recorder.log.filter(r => r.method === 'PUT').map(r => r.status),
    ).toEqual([201, 200]);
    expect(started.calls).toHaveLength(1);
    expect(updates).toEqual([
      {
        resourceGroup: 'rg',
        name: 'aks2',
        location: 'eastus',
        kaitoEnabled: true,
      },
    ]);

    const listed = await collect(
      client.managedClusters.listByResourceGroup('rg'),
    );
    expect(listed.map(c => c.name)).toEqual(['aks2']);
  });

  it('rejects the KAITO add-on without the OIDC issuer, as the resource provider does', async () => {
    const started = await startTestArm();
    arm = started.arm;
    const client = containerServiceClient(started.clientOptions);
    await expect(
      client.managedClusters.createOrUpdate(
        'rg',
        'aks3',
        kaitoCluster('eastus', { oidcIssuerProfile: { enabled: false } }),
        {
          updateIntervalInMs: 10,
        },
      ),
    ).rejects.toMatchObject({
      statusCode: 400,
      code: 'InvalidParameter',
      message: expect.stringContaining('oidcIssuerProfile.enabled'),
    });
    expect(started.calls).toHaveLength(0);
  });

  it('fails the operation (not the server) when the simulated cluster cannot be created', async () => {
    const started = await startTestArm({
      createCluster: async () => {
        throw new Error('simulated control plane refused');
      },
    });
    arm = started.arm;
    const client = containerServiceClient(started.clientOptions);
    await expect(
      client.managedClusters.createOrUpdate('rg', 'aks4', kaitoCluster(), {
        updateIntervalInMs: 10,
      }),
    ).rejects.toThrow(/simulated control plane refused/);
    expect(
      (await client.managedClusters.get('rg', 'aks4')).provisioningState,
    ).toBe('Failed');
  });

  it('refuses a second PUT while an operation is in progress', async () => {
    const started = await startTestArm({ operationDelayMs: 500 });
    arm = started.arm;
    const client = containerServiceClient(started.clientOptions);
    const poller = client.managedClusters.createOrUpdate(
      'rg',
      'aks5',
      kaitoCluster(),
      { updateIntervalInMs: 25 },
    );
    await poller.submitted();
    await expect(
      client.managedClusters.createOrUpdate('rg', 'aks5', kaitoCluster(), {
        updateIntervalInMs: 25,
      }),
    ).rejects.toMatchObject({ statusCode: 409, code: 'OperationNotAllowed' });
    await poller;
  });

  it('refuses a GPU size the subscription cannot use in the region', async () => {
    const started = await startTestArm();
    arm = started.arm;
    const client = containerServiceClient(started.clientOptions);
    const body = kaitoCluster('eastus2', {
      agentPoolProfiles: [
        { name: 'system', mode: 'System', count: 1, vmSize: 'Standard_D4s_v5' },
        {
          name: 'gpu',
          mode: 'User',
          count: 1,
          vmSize: 'Standard_ND96isr_H200_v5',
        },
      ],
    });
    await expect(
      client.managedClusters.createOrUpdate('rg', 'aks6', body, {
        updateIntervalInMs: 10,
      }),
    ).rejects.toMatchObject({
      statusCode: 400,
      code: 'BadRequest',
      message: expect.stringContaining(
        "The VM size of AgentPoolProfile:gpu (Standard_ND96isr_H200_v5) is not allowed in your subscription in location 'eastus2'",
      ),
    });
  });
});
