import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import {
  kaitoCatalogSyncServiceRef,
  kaitoClustersServiceRef,
} from '@kaito-backstage/plugin-kaito-node';
import { createAksCreateAction } from './actions/aksCreate';
import { createCatalogRequireOwnerAction } from './actions/catalogRequireOwner';
import { createCatalogSyncAction } from './actions/catalogSync';
import { createQuotaCheckAction } from './actions/quotaCheck';
import { createRagEngineApplyAction } from './actions/ragengineApply';
import { createRagEngineWaitAction } from './actions/ragengineWait';
import { createWorkspaceApplyAction } from './actions/workspaceApply';
import { createWorkspaceDeleteAction } from './actions/workspaceDelete';
import { createWorkspaceWaitAction } from './actions/workspaceWait';

/**
 * Scaffolder module for KAITO: `kaito:aks:create`, `kaito:quota:check`,
 * `kaito:workspace:apply`, `kaito:workspace:wait`, `kaito:workspace:delete`,
 * `kaito:ragengine:apply` (a RAGEngine in front of a workspace entity), `kaito:ragengine:wait`,
 * `kaito:catalog:sync` (refresh the KAITO catalog provider and wait for an entity),
 * `kaito:catalog:require-owner` (only the entity's owners may go on).
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
        catalog: catalogServiceRef,
        sync: kaitoCatalogSyncServiceRef,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        userInfo: coreServices.userInfo,
      },
      async init({ scaffolderActions, clusters, config, userInfo, ...sync }) {
        const deps = { clusters, config };
        scaffolderActions.addActions(
          createAksCreateAction(deps),
          createQuotaCheckAction(deps),
          createWorkspaceApplyAction(deps),
          createWorkspaceWaitAction(deps),
          createWorkspaceDeleteAction(deps),
          createRagEngineApplyAction({ clusters, catalog: sync.catalog }),
          createRagEngineWaitAction(deps),
          createCatalogSyncAction(sync),
          createCatalogRequireOwnerAction({ ...sync, userInfo }),
        );
      },
    });
  },
});
