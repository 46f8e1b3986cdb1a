import path from 'path';
import { checkTerraform } from './check';
import { readTerraformTree } from './files';
import { loadModules, type ModuleInfo } from './model';
import { parseHcl } from './hcl';
import { promises as fs } from 'fs';

// A cap for a loaded CI machine (tests wait on events, this only bounds a hang).
jest.setTimeout(60_000);

const TERRAFORM = path.resolve(__dirname, '../../../terraform');

/** Same retired/unsupported GPU sizes the kaito-workspace module rejects. */
const RETIRED_SKU =
  /^Standard_(NC\d+s_v3|NC\d+rs_v3|ND40rs_v2|NC\d+as_T4_v3|NV\d+s_v3)$/i;

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object')
    return Object.values(value).flatMap(strings);
  return [];
}

describe('terraform/ in this repository', () => {
  let modules: Map<string, ModuleInfo>;

  beforeAll(async () => {
    modules = await loadModules(await readTerraformTree(TERRAFORM));
  }, 60_000); // the wasm HCL parser loads once

  it('parses, declares and references cleanly', async () => {
    const files = await readTerraformTree(TERRAFORM);
    expect(files.length).toBeGreaterThanOrEqual(20);
    const problems = await checkTerraform(files);
    expect(problems).toEqual([]);
  });

  it('has the modules the templates render against', () => {
    expect([...modules.keys()].sort()).toEqual([
      'examples/complete',
      'modules/aks-kaito',
      'modules/container-registry',
      'modules/kaito-workspace',
      'modules/key-vault',
      'modules/monitoring',
      'modules/network',
    ]);
    const aks = modules.get('modules/aks-kaito')!;
    for (const out of [
      'id',
      'name',
      'kube_api_host',
      'oidc_issuer_url',
      'node_resource_group',
      'kubelet_identity',
    ]) {
      expect(aks.outputs.has(out)).toBe(true);
    }
  });

  it('enables the managed KAITO add-on natively with azurerm >= 4.48 (no azapi)', async () => {
    const json = await parseHcl({
      path: 'main.tf',
      content: await fs.readFile(
        path.join(TERRAFORM, 'modules/aks-kaito/main.tf'),
        'utf8',
      ),
    });
    const cluster = json.resource.azurerm_kubernetes_cluster.this[0];
    expect(cluster.ai_toolchain_operator_enabled).toBe(true);
    expect(cluster.oidc_issuer_enabled).toBe(true);

    for (const [dir, mod] of modules) {
      expect(mod.providers.has('azapi')).toBe(false);
      if (!mod.providers.has('azurerm')) continue;
      const versions = await parseHcl({
        path: 'versions.tf',
        content: await fs.readFile(
          path.join(TERRAFORM, dir, 'versions.tf'),
          'utf8',
        ),
      });
      const constraint: string =
        versions.terraform[0].required_providers[0].azurerm.version;
      const floor = /^>=\s*(\d+)\.(\d+)/.exec(constraint);
      expect(floor).not.toBeNull();
      const [major, minor] = [Number(floor![1]), Number(floor![2])];
      expect(major > 4 || (major === 4 && minor >= 48)).toBe(true);
    }
  });

  it('has no retired GPU size as a default anywhere', () => {
    const defaults = [...modules.values()].flatMap(m =>
      [...m.variables.values()].flatMap(v => strings(v.default)),
    );
    expect(defaults).toContain('Standard_NC24ads_A100_v4');
    expect(defaults.filter(s => RETIRED_SKU.test(s))).toEqual([]);
  });

  it('validates names and sizes', () => {
    const unvalidated: string[] = [];
    for (const [dir, mod] of modules) {
      for (const [name, v] of mod.variables) {
        const isNameOrSize =
          name === 'name' ||
          name === 'name_prefix' ||
          /(_count|_size_gb|_vm_size|instance_type)$/.test(name);
        if (isNameOrSize && v.validations === 0)
          unvalidated.push(`${dir}: ${name}`);
      }
    }
    expect(unvalidated).toEqual([]);
  });

  it('documents every variable of the modules and the example root in terraform/README.md', async () => {
    const readme = await fs.readFile(path.join(TERRAFORM, 'README.md'), 'utf8');
    const missing: string[] = [];
    for (const [dir, mod] of modules) {
      for (const name of [...mod.variables.keys(), ...mod.outputs.keys()]) {
        if (!readme.includes(`\`${name}\``)) missing.push(`${dir}: ${name}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
