import {
  buildInferenceWorkspace,
  validateWorkspace,
} from '@kaito-backstage/plugin-kaito-common';
import { promises as fs } from 'fs';
import path from 'path';
import { parseHcl } from './hcl';
import {
  errorDiagnostics,
  scratchRoot,
  terraform,
  terraformAvailable,
} from './terraformCli';

const TERRAFORM = path.resolve(__dirname, '../../../terraform');

/** Only variables.tf (and the provider-free manifest.tf) are copied: no provider is needed. */
const MODULES = {
  ws: [
    'modules/kaito-workspace/variables.tf',
    'modules/kaito-workspace/manifest.tf',
  ],
  aks: ['modules/aks-kaito/variables.tf'],
  network: ['modules/network/variables.tf'],
  monitoring: ['modules/monitoring/variables.tf'],
  acr: ['modules/container-registry/variables.tf'],
  kv: ['modules/key-vault/variables.tf'],
  example: ['examples/complete/variables.tf'],
};

/** Same Workspace inputs as Terraform variables and as kaito-common builder input. */
const WORKSPACE_CASES = {
  minimal: {
    tf: { name: 'phi-4-mini', preset: 'phi-4-mini-instruct' },
    builder: {
      name: 'phi-4-mini',
      namespace: 'default',
      model: 'phi-4-mini-instruct',
      instanceType: 'Standard_NC24ads_A100_v4',
      kubernetesId: 'phi-4-mini',
    },
  },
  full: {
    tf: {
      name: 'llama',
      namespace: 'ml',
      preset: 'llama-3.1-8b-instruct',
      instance_type: 'Standard_NC48ads_A100_v4',
      runtime: 'transformers',
      model_access_secret: 'hf-token',
      inference_config_map: 'llama-config',
      label_selector: { pool: 'gpu' },
      kubernetes_id: 'llama-chat',
      labels: { team: 'ml' },
      annotations: { 'example.com/note': 'x' },
      adapters: [
        {
          name: 'support',
          image: 'acr.example.com/adapters/support:1',
          image_pull_secrets: ['acr-pull'],
          strength: '0.5',
        },
        { name: 'legal', image: 'acr.example.com/adapters/legal:2' },
      ],
    },
    builder: {
      name: 'llama',
      namespace: 'ml',
      model: 'llama-3.1-8b-instruct',
      instanceType: 'Standard_NC48ads_A100_v4',
      runtime: 'transformers' as const,
      modelAccessSecret: 'hf-token',
      config: 'llama-config',
      labelSelector: { pool: 'gpu' },
      kubernetesId: 'llama-chat',
      labels: { team: 'ml' },
      annotations: { 'example.com/note': 'x' },
      adapters: [
        {
          name: 'support',
          image: 'acr.example.com/adapters/support:1',
          imagePullSecrets: ['acr-pull'],
          strength: '0.5',
        },
        { name: 'legal', image: 'acr.example.com/adapters/legal:2' },
      ],
    },
  },
};

/** Calls with bad values, and the variable each must be rejected for. */
const BAD_CALLS: Array<[string, string, Record<string, unknown>, string]> = [
  [
    'ws_v100',
    'ws',
    { name: 'a', preset: 'p', instance_type: 'Standard_NC12s_v3' },
    'instance_type',
  ],
  [
    'ws_t4',
    'ws',
    { name: 'a', preset: 'p', instance_type: 'Standard_NC4as_T4_v3' },
    'instance_type',
  ],
  ['ws_name', 'ws', { name: 'Phi_4', preset: 'p' }, 'name'],
  ['ws_runtime', 'ws', { name: 'a', preset: 'p', runtime: 'tgi' }, 'runtime'],
  [
    'ws_adapter',
    'ws',
    { name: 'a', preset: 'p', adapters: [{ name: 'Bad Name', image: 'i' }] },
    'adapters',
  ],
  ['ws_count', 'ws', { name: 'a', preset: 'p', node_count: 0 }, 'node_count'],
  [
    'aks_name',
    'aks',
    { name: '-aks', resource_group_name: 'rg', location: 'eastus' },
    'name',
  ],
  [
    'aks_location',
    'aks',
    { name: 'aks', resource_group_name: 'rg', location: 'East US' },
    'location',
  ],
  [
    'aks_pool',
    'aks',
    {
      name: 'aks',
      resource_group_name: 'rg',
      location: 'eastus',
      system_pool_node_count: 0,
    },
    'system_pool_node_count',
  ],
  [
    'aks_plugin',
    'aks',
    {
      name: 'aks',
      resource_group_name: 'rg',
      location: 'eastus',
      network_plugin: 'calico',
    },
    'network_plugin',
  ],
  [
    'aks_autoscale',
    'aks',
    {
      name: 'aks',
      resource_group_name: 'rg',
      location: 'eastus',
      system_pool_autoscaling: { enabled: true, min_count: 5, max_count: 2 },
    },
    'system_pool_autoscaling',
  ],
  [
    'acr_name',
    'acr',
    { name: 'kaito-acr', resource_group_name: 'rg', location: 'eastus' },
    'name',
  ],
  [
    'kv_name',
    'kv',
    { name: 'kv--x', resource_group_name: 'rg', location: 'eastus' },
    'name',
  ],
  [
    'net_subnet',
    'network',
    {
      name_prefix: 'k',
      resource_group_name: 'rg',
      location: 'eastus',
      node_subnet_prefix: '10.0.0.0/29',
    },
    'node_subnet_prefix',
  ],
  [
    'mon_retention',
    'monitoring',
    {
      name_prefix: 'kaito',
      resource_group_name: 'rg',
      location: 'eastus',
      log_retention_days: 7,
    },
    'log_retention_days',
  ],
  ['example_prefix', 'example', { name_prefix: 'Kaito' }, 'name_prefix'],
];

let available = false;

beforeAll(async () => {
  available = await terraformAvailable();
  if (!available) {
    // eslint-disable-next-line no-console
    console.log('skipped: terraform not on PATH');
  }
});

/**
 * Applies a scratch root (no resources, so nothing but variable validation and expressions run)
 * and returns the JSON diagnostics and outputs. The copied kaito-workspace module gets an
 * `output "manifest"` so the rendered Workspace can be read back.
 */
async function applyRoot(root: object) {
  const scratch = await scratchRoot(TERRAFORM, MODULES, root);
  try {
    await fs.writeFile(
      path.join(scratch.dir, 'ws', 'outputs.tf.json'),
      JSON.stringify({ output: { manifest: { value: '${local.manifest}' } } }),
    );
    const init = await terraform(scratch.dir, [
      'init',
      '-input=false',
      '-json',
    ]);
    expect(errorDiagnostics(init.stdout)).toEqual([]);
    const apply = await terraform(scratch.dir, [
      'apply',
      '-auto-approve',
      '-input=false',
      '-json',
    ]);
    const outputs =
      apply.code === 0
        ? JSON.parse((await terraform(scratch.dir, ['output', '-json'])).stdout)
        : {};
    return { apply, outputs };
  } finally {
    await scratch.remove();
  }
}

describe('terraform evaluates the modules (no providers needed)', () => {
  it("kaito-workspace renders the same Workspace as kaito-common's builder, and it passes KAITO's rules", async () => {
    if (!available) return;
    const root = {
      module: Object.fromEntries(
        Object.entries(WORKSPACE_CASES).map(([k, c]) => [
          k,
          { source: './ws', ...c.tf },
        ]),
      ),
      output: Object.fromEntries(
        Object.keys(WORKSPACE_CASES).map(k => [
          k,
          { value: `\${module.${k}.manifest}` },
        ]),
      ),
    };
    const { apply, outputs } = await applyRoot(root);
    expect(errorDiagnostics(apply.stdout)).toEqual([]);
    expect(apply.code).toBe(0);
    for (const [name, c] of Object.entries(WORKSPACE_CASES)) {
      const fromTerraform = outputs[name].value;
      expect(fromTerraform).toEqual(buildInferenceWorkspace(c.builder));
      expect(validateWorkspace(fromTerraform)).toEqual([]);
    }
  }, 300_000);

  it('accepts the defaults and realistic values of every module and the example root', async () => {
    if (!available) return;
    const tfvars = await parseHcl({
      path: 'terraform.tfvars.example',
      content: await fs.readFile(
        path.join(TERRAFORM, 'examples/complete/terraform.tfvars.example'),
        'utf8',
      ),
    });
    expect(tfvars.name_prefix).toBe('kaito-dev');
    const { apply } = await applyRoot({
      module: {
        ws: {
          source: './ws',
          name: 'phi-4-mini',
          preset: 'phi-4-mini-instruct',
        },
        aks: {
          source: './aks',
          name: 'kaito-dev-aks',
          resource_group_name: 'kaito-dev-rg',
          location: 'eastus',
          network_policy: 'cilium',
          network_data_plane: 'cilium',
          service_cidr: '10.0.0.0/16',
          dns_service_ip: '10.0.0.10',
          system_pool_zones: ['1', '2', '3'],
          system_pool_autoscaling: {
            enabled: true,
            min_count: 2,
            max_count: 4,
          },
        },
        network: {
          source: './network',
          name_prefix: 'kaito-dev',
          resource_group_name: 'rg',
          location: 'eastus',
          zones: ['1'],
        },
        monitoring: {
          source: './monitoring',
          name_prefix: 'kaito-dev',
          resource_group_name: 'rg',
          location: 'eastus',
        },
        acr: {
          source: './acr',
          name: 'kaitodevacr',
          resource_group_name: 'rg',
          location: 'eastus',
        },
        kv: {
          source: './kv',
          name: 'kaito-dev-kv',
          resource_group_name: 'rg',
          location: 'eastus',
        },
        example: { source: './example', ...tfvars },
        example_defaults: { source: './example', name_prefix: 'kaito' },
      },
    });
    expect(errorDiagnostics(apply.stdout)).toEqual([]);
    expect(apply.code).toBe(0);
  }, 300_000);

  it('rejects bad names, sizes and retired GPU sizes, naming the variable', async () => {
    if (!available) return;
    const { apply } = await applyRoot({
      module: Object.fromEntries(
        BAD_CALLS.map(([key, mod, args]) => [
          key,
          { source: `./${mod}`, ...args },
        ]),
      ),
    });
    expect(apply.code).not.toBe(0);
    // context is `module.<key>` (JSON root); traversal is `var.<name>[.<attribute>]`.
    const found = errorDiagnostics(apply.stdout).map(
      d =>
        `${d.context?.replace(/^module\./, '')} ${d.traversal?.split('.')[1]}`,
    );
    expect(found.sort()).toEqual(
      BAD_CALLS.map(([key, , , variable]) => `${key} ${variable}`).sort(),
    );
    const retired = errorDiagnostics(apply.stdout).find(
      d => d.context === 'module.ws_v100',
    );
    expect(retired?.detail).toContain('retired');
    expect(retired?.detail).toContain('Standard_NC24ads_A100_v4');
  }, 300_000);
});
