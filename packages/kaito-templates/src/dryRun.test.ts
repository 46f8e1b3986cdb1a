import { parse as parseHcl } from '@cdktf/hcl2json';
import { validateWorkspace } from '@kaito-backstage/plugin-kaito-common';
import { RunningSimulator } from '@kaito-backstage/kaito-simulator';
import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import { parse } from 'yaml';
import { armGet, clusterEntity, dryRun } from './__testUtils__/portal';
import {
  entityProblems,
  hasShared,
  loadTemplate,
  renderedFiles,
  templateProblems,
  workspaceSchemaErrors,
} from './__testUtils__/templates';
import { useDryRunPortal } from './__testUtils__/suites';

jest.setTimeout(120_000);

/** The ARM-side and cluster-side state a dry run must leave untouched. */
async function simulatorState(sim: RunningSimulator) {
  const kube = async (path: string) => {
    const res = await fetch(`${sim.url}${path}`, {
      headers: { authorization: `Bearer ${sim.token}` },
    });
    return (await res.json()) as {
      items?: Array<{ metadata: { name: string } }>;
    };
  };
  const arm = await armGet(
    sim,
    '/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.ContainerService/managedClusters?api-version=2025-05-01',
  );
  return {
    workspaces: (await kube('/apis/kaito.sh/v1beta1/workspaces')).items?.map(
      w => w.metadata.name,
    ),
    namespaces: (await kube('/api/v1/namespaces')).items?.map(
      n => n.metadata.name,
    ),
    managedClusters: arm.body?.value?.map((c: { name: string }) => c.name),
  };
}

describe('templates: dry runs through the real scaffolder backend', () => {
  const suite = useDryRunPortal({
    simulator: { arm: true },
    entities: [
      clusterEntity('sim', { location: 'eastus' }),
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Resource',
        metadata: {
          name: 'old-model',
          namespace: 'default',
          annotations: {
            'kaito.sh/workspace': 'default/old-model',
            'kaito.sh/cluster': 'sim',
            'backstage.io/managed-by-location':
              'kaito-workspace:sim/default/old-model',
          },
        },
        spec: { type: 'kaito-workspace', owner: 'user:default/mock' },
      },
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Resource',
        metadata: { name: 'team-b-model', namespace: 'default' },
        spec: { type: 'kaito-workspace', owner: 'group:default/team-b' },
      },
    ],
    state: simulatorState,
  });

  const workspaceValues = {
    name: 'phi-mini',
    namespace: 'team-a',
    cluster: 'resource:default/sim',
    model: 'microsoft/Phi-4-mini-instruct',
    instanceType: 'Standard_NC24ads_A100_v4',
    runtime: 'vllm',
    adapters: [],
    owner: 'group:default/ml-platform',
    system: 'system:default/llm-platform',
    mode: 'direct',
    waitForReady: true,
    timeoutMinutes: 5,
  };

  it('kaito-workspace, direct, on an Azure cluster: quota, apply, wait, register', async () => {
    const r = await dryRun(suite.server, 'kaito-workspace', workspaceValues);
    expect(r.status).toBe(200);
    expect(r.ran).toEqual([
      'cluster',
      'build',
      'quota',
      'apply',
      'wait',
      'register',
    ]);
    expect(r.skipped).toEqual(['publish']);
    expect(r.body.output.links).toEqual([
      expect.objectContaining({ entityRef: 'resource:default/phi-mini' }),
    ]);
    const text = r.body.output.text
      .map((t: { content: string }) => t.content)
      .join('\n');
    expect(text).toMatch(/\/api\/kaito\/entity\/resource\/default\/phi-mini/);
    // The apply step's manifest carries the annotations the catalog provider reads.
    const manifest = parse(text.split('```yaml')[1].split('```')[0]);
    expect(manifest.metadata.annotations).toMatchObject({
      'backstage.io/owner': 'group:default/ml-platform',
      'backstage.io/system': 'system:default/llm-platform',
    });
    expect(manifest.metadata.labels['backstage.io/kubernetes-id']).toBe(
      'phi-mini',
    );
  });

  it('kaito-workspace renders a manifest valid against the KAITO CRD and a valid entity', async () => {
    const r = await dryRun(suite.server, 'kaito-workspace', {
      ...workspaceValues,
      model: 'meta-llama/Llama-3.1-8B-Instruct',
      hfTokenSecret: 'hf-token',
      runtime: 'transformers',
      description: 'Llama for the support bot: "quoted" text',
      adapters: [
        {
          name: 'support',
          image: 'myacr.azurecr.io/adapters/support:1',
          strength: 0.5,
        },
      ],
    });
    expect(r.body.error ?? r.body.errors).toBeUndefined();
    expect(r.status).toBe(200);
    const files = renderedFiles(r.body);
    const ws = parse(files['phi-mini/workspace.yaml']);
    expect(hasShared ? workspaceSchemaErrors(ws) : []).toEqual([]);
    expect(validateWorkspace(ws)).toEqual([]);
    expect(ws.inference.preset.presetOptions.modelAccessSecret).toBe(
      'hf-token',
    );
    expect(ws.inference.adapters[0]).toEqual({
      source: {
        name: 'support',
        image: 'myacr.azurecr.io/adapters/support:1',
      },
      strength: '0.5',
    });
    expect(ws.metadata.annotations['kaito.sh/runtime']).toBe('transformers');
    expect(ws.metadata.annotations['backstage.io/description']).toBe(
      'Llama for the support bot: "quoted" text',
    );
    const entity = parse(files['phi-mini/catalog-info.yaml']);
    expect(await entityProblems(entity)).toEqual([]);
    expect(entity.metadata.annotations).toMatchObject({
      'kaito.sh/workspace': 'team-a/phi-mini',
      'kaito.sh/cluster': 'sim',
      'backstage.io/kubernetes-id': 'phi-mini',
    });
    expect(entity.spec.dependsOn).toEqual(['resource:default/sim']);
  });

  it('kaito-workspace on a cluster that is not an Azure catalog cluster skips the quota check', async () => {
    const r = await dryRun(suite.server, 'kaito-workspace', {
      ...workspaceValues,
      cluster: 'sim-plain',
      waitForReady: false,
    });
    expect(r.status).toBe(200);
    expect(r.ran).toEqual(['cluster', 'build', 'apply', 'register']);
    expect(r.skipped).toEqual(['quota', 'wait', 'publish']);
    // A plain cluster name (a config cluster) reaches the action as that name.
    const apply = r.log.find(l =>
      l.includes('kaito:workspace:apply in dry-run'),
    );
    expect(apply).toMatch(/"cluster": "sim-plain"/);
  });

  it('kaito-workspace, GitOps: builds and publishes, applies nothing', async () => {
    const r = await dryRun(suite.server, 'kaito-workspace', {
      ...workspaceValues,
      mode: 'gitops',
      repoUrl: 'github.com?owner=acme&repo=platform',
      targetPath: 'kaito/workspaces',
      count: 2,
    });
    expect(r.status).toBe(200);
    expect(r.ran).toEqual(['cluster', 'build', 'quota', 'publish']);
    expect(r.skipped).toEqual(
      expect.arrayContaining(['apply', 'wait', 'register']),
    );
    expect(r.log.join('\n')).toMatch(
      /Performing dry run of creating pull request/,
    );
    const files = renderedFiles(r.body);
    expect(Object.keys(files).sort()).toEqual([
      'phi-mini/catalog-info.yaml',
      'phi-mini/workspace.yaml',
    ]);
    const ws = parse(files['phi-mini/workspace.yaml']);
    expect(hasShared ? workspaceSchemaErrors(ws) : []).toEqual([]);
    expect(validateWorkspace(ws)).toEqual([]);
    expect(
      await entityProblems(parse(files['phi-mini/catalog-info.yaml'])),
    ).toEqual([]);
    expect(r.body.output.links).toEqual([
      expect.objectContaining({ title: 'Pull request' }),
    ]);
  });

  it('kaito-tuning: quota, apply and register; the tuning manifest is valid', async () => {
    const r = await dryRun(suite.server, 'kaito-tuning', {
      name: 'tune-phi',
      namespace: 'team-a',
      cluster: 'resource:default/sim',
      model: 'microsoft/Phi-4-mini-instruct',
      instanceType: 'Standard_NC24ads_A100_v4',
      method: 'qlora',
      inputKind: 'urls',
      inputUrls: ['https://example.com/data.parquet'],
      outputImage: 'myacr.azurecr.io/adapters/phi-support:1',
      outputPushSecret: 'acr-push',
      owner: 'group:default/ml-platform',
      waitForCompletion: true,
      timeoutMinutes: 30,
    });
    expect(r.status).toBe(200);
    expect(r.ran).toEqual(['cluster', 'quota', 'apply', 'wait', 'register']);
    expect(r.body.output.links[0].entityRef).toBe('resource:default/tune-phi');
    const text = r.body.output.text
      .map((t: { content: string }) => t.content)
      .join('\n');
    const manifest = parse(text.split('```yaml')[1].split('```')[0]);
    expect(manifest.tuning).toMatchObject({
      method: 'qlora',
      preset: { name: 'microsoft/Phi-4-mini-instruct' },
      input: { urls: ['https://example.com/data.parquet'] },
      output: {
        image: 'myacr.azurecr.io/adapters/phi-support:1',
        imagePushSecret: 'acr-push',
      },
    });
    expect(hasShared ? workspaceSchemaErrors(manifest) : []).toEqual([]);
    expect(validateWorkspace(manifest)).toEqual([]);
    expect(manifest.metadata.annotations['backstage.io/owner']).toBe(
      'group:default/ml-platform',
    );
    const applyLog = r.log.find(l =>
      l.includes('kaito:workspace:apply in dry-run'),
    );
    expect(applyLog).toMatch(/"method": "qlora"/);
    expect(applyLog).not.toMatch(/"inputImage"|"inputVolume"/);
  });

  it('aks-kaito-cluster, direct: quota, create, register, first model; nothing created in Azure', async () => {
    const r = await dryRun(suite.server, 'aks-kaito-cluster', {
      mode: 'direct',
      namePrefix: 'kaito-dev',
      location: 'eastus',
      networkPlugin: 'azure',
      networkPluginMode: 'overlay',
      networkPolicy: 'cilium',
      systemPoolVmSize: 'Standard_D4ds_v5',
      systemPoolCount: 2,
      model: 'microsoft/Phi-4-mini-instruct',
      instanceType: 'Standard_NC24ads_A100_v4',
      deployWorkspace: true,
      workspaceName: 'phi-mini',
      workspaceNamespace: 'default',
      waitForReady: false,
      owner: 'group:default/ml-platform',
    });
    expect(r.status).toBe(200);
    expect(r.ran).toEqual([
      'quota',
      'create',
      'registerCluster',
      'apply',
      'registerWorkspace',
    ]);
    expect(r.skipped).toEqual(['wait', 'render', 'publish']);
    expect(
      r.body.output.links.map((l: { entityRef?: string }) => l.entityRef),
    ).toEqual(['resource:default/kaito-dev-aks', 'resource:default/phi-mini']);
    const createLog = r.log.find(l =>
      l.includes('kaito:aks:create in dry-run'),
    );
    expect(createLog).toMatch(/"networkPolicy": "cilium"/);
    expect(createLog).toMatch(/"owner": "group:default\/ml-platform"/);
  });

  it('aks-kaito-cluster, GitOps: renders the Terraform root with the form values', async () => {
    const r = await dryRun(suite.server, 'aks-kaito-cluster', {
      mode: 'gitops',
      namePrefix: 'kaito-dev',
      location: 'westeurope',
      kubernetesVersion: '1.33',
      networkPlugin: 'azure',
      networkPluginMode: 'overlay',
      networkPolicy: 'none',
      systemPoolVmSize: 'Standard_D4ds_v5',
      systemPoolCount: 3,
      model: 'meta-llama/Llama-3.1-8B-Instruct',
      instanceType: 'Standard_NC24ads_A100_v4',
      deployWorkspace: true,
      workspaceName: 'llama',
      workspaceNamespace: 'default',
      hfTokenSecret: 'hf-token',
      owner: 'group:default/ml-platform',
      system: 'system:default/llm-platform',
      repoUrl: 'github.com?owner=acme&repo=platform',
      vnet: true,
      monitoring: true,
      acr: false,
      keyVault: true,
    });
    expect(r.status).toBe(200);
    expect(r.ran).toEqual(['quota', 'render', 'publish']);
    expect(r.log.join('\n')).toMatch(
      /Performing dry run of creating pull request/,
    );
    expect(r.skipped).toEqual(
      expect.arrayContaining([
        'create',
        'registerCluster',
        'apply',
        'wait',
        'registerWorkspace',
      ]),
    );
    const files = renderedFiles(r.body);
    expect(Object.keys(files).sort()).toEqual([
      'root/README.md',
      'root/main.tf',
      'root/outputs.tf',
      'root/terraform.tfvars',
      'root/variables.tf',
      'root/versions.tf',
    ]);
    // Every file parses as HCL; the tfvars set only variables the root declares.
    const parsed: Record<string, any> = {};
    for (const f of [
      'main.tf',
      'outputs.tf',
      'variables.tf',
      'versions.tf',
      'terraform.tfvars',
    ]) {
      parsed[f] = await parseHcl(f, files[`root/${f}`]);
    }
    const declared = Object.keys(parsed['variables.tf'].variable);
    const tfvars = parsed['terraform.tfvars'];
    expect(Object.keys(tfvars).filter(k => !declared.includes(k))).toEqual([]);
    expect(tfvars).toMatchObject({
      name_prefix: 'kaito-dev',
      location: 'westeurope',
      kubernetes_version: '1.33',
      network_plugin_mode: 'overlay',
      network_policy: null,
      system_pool_node_count: 3,
      monitoring_enabled: true,
      acr_enabled: false,
      key_vault_enabled: true,
      workspace: {
        name: 'llama',
        preset: 'meta-llama/Llama-3.1-8B-Instruct',
        model_access_secret: 'hf-token',
      },
      tags: {
        'backstage-owner': 'group:default/ml-platform',
        'backstage-system': 'system:default/llm-platform',
      },
    });
    // The root uses the project's modules at the documented relative path.
    expect(files['root/main.tf']).toMatch(
      /source = "\.\.\/\.\.\/modules\/aks-kaito"/,
    );
  });

  it('kaito-decommission: looks up, deletes and unregisters, without touching the cluster', async () => {
    const r = await dryRun(suite.server, 'kaito-decommission', {
      workspace: 'resource:default/old-model',
      confirm: true,
      timeoutMinutes: 5,
    });
    expect(r.status).toBe(200);
    expect(r.ran).toEqual(['owner', 'entity', 'delete', 'unregister']);
    expect(r.log.join('\n')).toMatch(/"workspace": "default\/old-model"/);
  });

  describe('invalid values are rejected with the field named', () => {
    const rejected = async (
      template: string,
      values: Record<string, unknown>,
    ): Promise<string> => {
      const r = await dryRun(suite.server, template, values);
      // 400: the form schema ({ errors }) or the first action (InputError) refused it.
      if (r.status === 400)
        return JSON.stringify(r.body.errors ?? r.body.error);
      // Not caught by the form schema: the first action must fail before any change.
      expect(r.status).toBe(200);
      const failed = r.log.filter(l => /error|fail/i.test(l)).join('\n');
      expect(failed).not.toBe('');
      return failed;
    };

    it('a bad name', async () => {
      const errors = await rejected('kaito-workspace', {
        ...workspaceValues,
        name: 'Bad_Name',
      });
      expect(errors).toMatch(/name/);
      expect(errors).toMatch(/does not match pattern/);
    });

    it('a retired GPU size', async () => {
      const errors = await rejected('kaito-workspace', {
        ...workspaceValues,
        instanceType: 'Standard_NC6s_v3',
      });
      expect(errors).toMatch(/instanceType/);
    });

    it('a gated model without a Hugging Face token secret', async () => {
      const errors = await rejected('kaito-workspace', {
        ...workspaceValues,
        model: 'meta-llama/Llama-3.1-8B-Instruct',
      });
      expect(errors).toMatch(/hfTokenSecret/);
    });

    it('a tuning model that KAITO cannot tune', async () => {
      const errors = await rejected('kaito-tuning', {
        name: 'tune-llama',
        namespace: 'default',
        cluster: 'sim-plain',
        model: 'meta-llama/Llama-3.1-8B-Instruct',
        instanceType: 'Standard_NC24ads_A100_v4',
        method: 'lora',
        inputKind: 'image',
        inputImage: 'myacr.azurecr.io/data:1',
        outputImage: 'myacr.azurecr.io/adapters/x:1',
        outputPushSecret: 'acr-push',
        owner: 'group:default/ml-platform',
      });
      expect(errors).toMatch(/model/);
    });

    it('a model that does not fit the size fails at the first action, naming instanceType', async () => {
      const errors = await rejected('kaito-workspace', {
        ...workspaceValues,
        cluster: 'sim-plain',
        model: 'microsoft/phi-4',
        instanceType: 'Standard_NG32ads_V620_v1',
      });
      expect(errors).toMatch(/instanceType/);
    });

    it('a bad cluster name prefix', async () => {
      const errors = await rejected('aks-kaito-cluster', {
        mode: 'direct',
        namePrefix: 'Kaito--Dev',
        location: 'eastus',
        networkPlugin: 'azure',
        systemPoolVmSize: 'Standard_D4ds_v5',
        systemPoolCount: 2,
        model: 'microsoft/Phi-4-mini-instruct',
        instanceType: 'Standard_NC24ads_A100_v4',
        deployWorkspace: false,
        owner: 'group:default/ml-platform',
      });
      expect(errors).toMatch(/namePrefix/);
    });
  });

  it('kaito-decommission refuses a workspace the user does not own, naming the field', async () => {
    const r = await dryRun(suite.server, 'kaito-decommission', {
      workspace: 'resource:default/team-b-model',
      confirm: true,
    });
    expect(r.status).toBe(403);
    expect(r.body.error.message).toMatch(
      /^workspace: you do not own resource:default\/team-b-model \(owner: group:default\/team-b\)/,
    );
  });

  it('left nothing in the simulator: no Workspace, namespace or managed cluster', async () => {
    expect(await simulatorState(suite.sim)).toEqual(suite.before);
    expect(suite.before.workspaces).toEqual([]);
    expect(suite.before.managedClusters).toEqual([]);
  });

  it('every step of every template uses an installed action with inputs it declares', async () => {
    const res = await request(suite.server)
      .get('/api/scaffolder/v2/actions')
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(200);
    const actions = new Map<string, any>(
      res.body.map((a: { id: string; schema?: any }) => [a.id, a.schema]),
    );
    const problems: string[] = [];
    for (const name of [
      'kaito-workspace',
      'kaito-tuning',
      'aks-kaito-cluster',
      'kaito-decommission',
    ]) {
      const template = loadTemplate(name) as any;
      expect(await templateProblems(template)).toEqual([]);
      for (const step of template.spec.steps) {
        const schema = actions.get(step.action);
        if (!schema) {
          problems.push(`${name}/${step.id}: ${step.action} is not installed`);
          continue;
        }
        const declared = Object.keys(schema.input?.properties ?? {});
        for (const key of Object.keys(step.input ?? {})) {
          if (!declared.includes(key)) {
            problems.push(
              `${name}/${step.id}: ${step.action} has no input ${key}`,
            );
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
