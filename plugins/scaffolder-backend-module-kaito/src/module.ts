import { createBackendModule } from '@backstage/backend-plugin-api';

/**
 * Scaffolder module for KAITO.
 *
 * It registers no actions yet; `kaito:aks:create`, `kaito:quota:check`, `kaito:workspace:apply`
 * and `kaito:workspace:wait` are planned (see README.md).
 *
 * @public
 */
export const scaffolderModuleKaito = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'kaito',
  register(reg) {
    reg.registerInit({
      deps: {},
      async init() {},
    });
  },
});
