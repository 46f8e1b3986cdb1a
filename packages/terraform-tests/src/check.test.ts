import { checkTerraform } from './check';
import type { TerraformFile } from './hcl';

// A cap for a loaded CI machine (tests wait on events, this only bounds a hang).
jest.setTimeout(60_000);

const MODULE: TerraformFile[] = [
  {
    path: 'modules/m/variables.tf',
    content: `
variable "name" {
  type        = string
  description = "A name."
}
variable "size" {
  type        = number
  description = "A size."
  default     = 1
}
`,
  },
  {
    path: 'modules/m/main.tf',
    content: `
terraform {
  required_providers {
    azurerm = { source = "hashicorp/azurerm" }
  }
}
locals {
  upper = upper(var.name)
  sizes = [for s in range(var.size) : "\${local.upper}-\${s}"]
}
resource "azurerm_resource_group" "rg" {
  name     = local.upper
  location = "eastus"
}
output "id" {
  description = "The id."
  value       = azurerm_resource_group.rg.id
}
`,
  },
];

function root(body: string): TerraformFile {
  return { path: 'root/main.tf', content: body };
}

async function problemsOf(...extra: TerraformFile[]) {
  return (await checkTerraform([...MODULE, ...extra])).map(
    p => `${p.file}: ${p.message}`,
  );
}

describe('checkTerraform', () => {
  it('accepts a consistent module and a root that calls it', async () => {
    expect(
      await problemsOf(
        root(`
module "m" {
  source = "../modules/m"
  count  = 1
  name   = "x"
}
output "id" {
  description = "Id."
  value       = module.m[0].id
}
`),
      ),
    ).toEqual([]);
  });

  it('reports a variable without type or description', async () => {
    expect(await problemsOf(root(`variable "bare" {}\n`))).toEqual([
      'root/main.tf: variable "bare" has no type',
      'root/main.tf: variable "bare" has no description',
    ]);
  });

  it('reports undefined variables, locals, modules, data sources and resources', async () => {
    const problems = await problemsOf(
      root(`
terraform {
  required_providers {
    azurerm = { source = "hashicorp/azurerm" }
  }
}
locals {
  a = var.missing
  b = local.nope
  c = [for x in [1] : var.in_for_body]
  d = data.azurerm_client_config.current.tenant_id
  e = azurerm_resource_group.ghost.name
  f = "text \${module.ghost.id}"
}
`),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('var.missing is not declared'),
        expect.stringContaining('local.nope is not defined'),
        expect.stringContaining('var.in_for_body is not declared'),
        expect.stringContaining(
          'data.azurerm_client_config.current is not declared',
        ),
        expect.stringContaining(
          'resource azurerm_resource_group.ghost is not declared',
        ),
        expect.stringContaining('module.ghost is not declared'),
      ]),
    );
    expect(problems).toHaveLength(6);
  });

  it('reports unknown inputs, missing required inputs and unknown outputs of a local module', async () => {
    const problems = await problemsOf(
      root(`
module "m" {
  source = "../modules/m"
  sizee  = 2
}
output "x" {
  description = "X."
  value       = module.m.nope
}
`),
    );
    expect(problems).toEqual([
      'root/main.tf: module.m: "sizee" is not a variable of modules/m',
      'root/main.tf: module.m: required variable "name" of modules/m is not set',
      'root/main.tf: output.x.value: module.m.nope: modules/m has no output "nope" (outputs: id)',
    ]);
  });

  it('reports a local module source with no files, and a file that does not parse', async () => {
    const problems = await problemsOf(
      root(`module "gone" {\n  source = "../modules/gone"\n}\n`),
      { path: 'broken/main.tf', content: 'resource "x" {\n' },
    );
    expect(problems).toHaveLength(2);
    expect(problems[0]).toContain('source "../modules/gone"');
    expect(problems[1]).toMatch(/^broken\/main\.tf: /);
  });
});
