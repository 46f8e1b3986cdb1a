import {
  startSimulator,
  RunningSimulator,
} from '@kaito-backstage/kaito-simulator';
import { kube, simConfig } from './__testUtils__/kit';
import { startScaffolder, template } from './__testUtils__/scaffolderBackend';

jest.setTimeout(60_000);

describe('the module in the real scaffolder backend', () => {
  let sim: RunningSimulator;
  let scaffolder: Awaited<ReturnType<typeof startScaffolder>>;

  beforeAll(async () => {
    sim = await startSimulator({ log: () => {}, arm: true });
    scaffolder = await startScaffolder(simConfig(sim));
  });
  afterAll(async () => {
    await scaffolder?.stop();
    await sim?.stop();
  });

  it('lists the five actions with their examples', async () => {
    const res = await scaffolder.get('/api/scaffolder/v2/actions');
    expect(res.status).toBe(200);
    const ours = res.body.filter((a: any) => a.id.startsWith('kaito:'));
    expect(ours.map((a: any) => a.id)).toEqual(
      expect.arrayContaining([
        'kaito:aks:create',
        'kaito:quota:check',
        'kaito:workspace:apply',
        'kaito:workspace:delete',
        'kaito:workspace:wait',
        'kaito:ragengine:apply',
        'kaito:ragengine:wait',
      ]),
    );
    for (const a of ours) expect(a.examples.length).toBeGreaterThan(0);
  });

  it('POST /api/scaffolder/v2/dry-run shows the outputs and creates nothing', async () => {
    const res = await scaffolder.post('/api/scaffolder/v2/dry-run', {
      template: template(
        [
          {
            id: 'aks',
            action: 'kaito:aks:create',
            input: {
              resourceGroup: 'rg-dry',
              createResourceGroup: true,
              location: 'eastus',
              name: 'aks-dry',
              owner: 'group:default/ml',
            },
          },
          {
            id: 'quota',
            action: 'kaito:quota:check',
            input: {
              model: 'phi-4-mini-instruct',
              instanceType: 'Standard_NC24ads_A100_v4',
              location: 'eastus',
            },
          },
          {
            id: 'onNew',
            action: 'kaito:workspace:apply',
            input: {
              cluster: '${{ steps.aks.output.clusterName }}',
              namespace: 'default',
              name: 'phi',
              model: 'phi-4-mini-instruct',
              instanceType: 'Standard_NC24ads_A100_v4',
            },
          },
          {
            id: 'onSim',
            action: 'kaito:workspace:apply',
            input: {
              cluster: 'sim',
              namespace: 'dry-ns',
              name: 'phi',
              model: 'phi-4-mini-instruct',
              instanceType: 'Standard_NC24ads_A100_v4',
            },
          },
          {
            id: 'wait',
            action: 'kaito:workspace:wait',
            input: {
              cluster: 'sim',
              workspace: '${{ steps.onSim.output.workspace }}',
            },
          },
        ],
        {
          body: '${{ steps.aks.output.requestBody }}',
          manifest: '${{ steps.onNew.output.manifest }}',
          workspace: '${{ steps.onSim.output.workspace }}',
          nodes: '${{ steps.quota.output.nodes }}',
          ready: '${{ steps.wait.output.ready }}',
        },
      ),
      values: {},
      directoryContents: [],
    });
    expect(res.status).toBe(200);
    const out = res.body.output;
    expect(JSON.parse(out.body)).toMatchObject({
      location: 'eastus',
      aiToolchainOperatorProfile: { enabled: true },
      oidcIssuerProfile: { enabled: true },
      tags: { 'backstage-owner': 'group:default/ml' },
    });
    expect(out.manifest).toContain('kind: Workspace');
    expect(out.manifest).toContain('backstage.io/kubernetes-id: phi');
    expect(out.workspace).toBe('dry-ns/phi');
    expect(out.nodes).toBe(1);
    expect(out.ready).toBe(false);
    expect(res.body.steps.map((s: any) => s.id)).toEqual([
      'aks',
      'quota',
      'onNew',
      'onSim',
      'wait',
    ]);
    const log = res.body.log.map((l: any) => l.body.message).join('\n');
    expect(log).toContain("Dry run: cluster 'aks-dry' is not registered yet");
    expect(log).toContain("Dry run: namespace 'dry-ns' would be created");

    // Nothing was created: no cluster, no resource group, no namespace, no workspace.
    expect(sim.armClusters()).toEqual({});
    expect((await kube(sim, '/api/v1/namespaces/dry-ns')).status).toBe(404);
    const workspaces = await kube(sim, '/apis/kaito.sh/v1beta1/workspaces');
    expect(workspaces.body.items).toEqual([]);
  });

  it('a dry run with bad input answers with the field, not a 5xx', async () => {
    const res = await scaffolder.post('/api/scaffolder/v2/dry-run', {
      template: template([
        {
          id: 'ws',
          action: 'kaito:workspace:apply',
          input: {
            cluster: 'sim',
            namespace: 'default',
            name: 'x',
            model: 'no-such-model',
            instanceType: 'Standard_NC24ads_A100_v4',
          },
        },
      ]),
      values: {},
      directoryContents: [],
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      name: 'InputError',
      message: expect.stringMatching(
        /^model \(inference\.preset\.name\): "no-such-model" is neither a catalog model/,
      ),
    });
  });
});

describe("the scaffolder's dry run asks the cluster's admission", () => {
  // KAITO without node auto-provisioning refuses an instanceType in its webhook.
  let sim: RunningSimulator;
  let scaffolder: Awaited<ReturnType<typeof startScaffolder>>;

  beforeAll(async () => {
    sim = await startSimulator({
      log: () => {},
      admission: { featureGates: { disableNodeAutoProvisioning: true } },
    });
    scaffolder = await startScaffolder(simConfig(sim));
  });
  afterAll(async () => {
    await scaffolder?.stop();
    await sim?.stop();
  });

  it('POST /api/scaffolder/v2/dry-run answers with the webhook denial, and nothing is created', async () => {
    const res = await scaffolder.post('/api/scaffolder/v2/dry-run', {
      template: template([
        {
          id: 'ws',
          action: 'kaito:workspace:apply',
          input: {
            cluster: 'sim',
            namespace: 'default',
            name: 'byo',
            model: 'phi-4-mini-instruct',
            instanceType: 'Standard_NC24ads_A100_v4',
          },
        },
      ]),
      values: {},
      directoryContents: [],
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      name: 'InputError',
      message: expect.stringMatching(
        /^manifest: the cluster rejected Workspace default\/byo in a server-side dry run, before anything was created: instanceType: must be empty when node auto-provisioning is disabled/,
      ),
    });
    const workspaces = await kube(sim, '/apis/kaito.sh/v1beta1/workspaces');
    expect(workspaces.body.items).toEqual([]);
  });
});
