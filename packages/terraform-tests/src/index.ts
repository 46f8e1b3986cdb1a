/**
 * Static checks for the repository's Terraform (terraform/) and for Terraform roots the
 * software templates render: HCL parsing with HashiCorp's parser (wasm), declarations and
 * references, without downloading providers.
 *
 * @packageDocumentation
 */
export { checkTerraform, localSourceDir, type TerraformProblem } from './check';
export { readTerraformTree } from './files';
export {
  parseHcl,
  referencesIn,
  type TerraformFile,
  type Reference,
} from './hcl';
export { loadModules, type ModuleInfo, type VariableInfo } from './model';
