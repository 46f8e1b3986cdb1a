import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { kaitoClustersServiceRef } from '@kaito-backstage/plugin-kaito-node';
import { createAksCreateAction } from './actions/aksCreate';
import { createQuotaCheckAction } from './actions/quotaCheck';
import { createWorkspaceApplyAction } from './actions/workspaceApply';
import { createWorkspaceDeleteAction } from './actions/workspaceDelete';
import { createWorkspaceWaitAction } from './actions/workspaceWait';

/**
 * Scaffolder module for KAITO: `kaito:aks:create`, `kaito:quota:check`,
 * `kaito:workspace:apply`, `kaito:workspace:wait`, `kaito:workspace:delete`.
 * Clusters and Azure access come from the shared kaito-node service.
 *
 * @public
 */
export const scaffolderModuleKaito = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'kaito',
  register(reg) {
    reg.registerInit({
      deps: {
        scaffolderActions: scaffolderActionsExtensionPoint,
        clusters: kaitoClustersServiceRef,
        config: coreServices.rootConfig,
      },
      async init({ scaffolderActions, clusters, config }) {
        const deps = { clusters, config };
        scaffolderActions.addActions(
          createAksCreateAction(deps),
          createQuotaCheckAction(deps),
          createWorkspaceApplyAction(deps),
          createWorkspaceWaitAction(deps),
          createWorkspaceDeleteAction(deps),
        );
      },
    });
  },
});
