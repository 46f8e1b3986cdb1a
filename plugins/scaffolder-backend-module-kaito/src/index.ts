/**
 * Scaffolder actions for KAITO on AKS.
 *
 * @packageDocumentation
 */
export { scaffolderModuleKaito as default } from './module';
export { createAksCreateAction } from './actions/aksCreate';
export { createQuotaCheckAction } from './actions/quotaCheck';
export { createWorkspaceApplyAction } from './actions/workspaceApply';
export { createWorkspaceWaitAction } from './actions/workspaceWait';
export { createWorkspaceDeleteAction } from './actions/workspaceDelete';
