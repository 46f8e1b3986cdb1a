/**
 * Scaffolder actions for KAITO on AKS.
 *
 * @packageDocumentation
 */
export { scaffolderModuleKaito as default } from './module';
