/**
 * Generator for the generated parts of templates/ (model and GPU size lists
 * from kaito-common, the Terraform root from terraform/examples/complete).
 *
 * @packageDocumentation
 */
export { generatedLists } from './enums';
export {
  renderGeneratedBlocks,
  expectedFiles,
  driftedFiles,
  writeGeneratedFiles,
  TEMPLATES_DIR,
  TERRAFORM_DIR,
} from './generate';
