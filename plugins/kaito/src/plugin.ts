import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { KaitoClient, kaitoApiRef } from '@kaito-backstage/plugin-kaito-react';
import { workspacesRouteRef } from './routes';

/**
 * The KAITO frontend plugin for apps on the legacy frontend system.
 *
 * @public
 */
export const kaitoPlugin = createPlugin({
  id: 'kaito',
  apis: [
    createApiFactory({
      api: kaitoApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new KaitoClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: {
    workspaces: workspacesRouteRef,
  },
});

/**
 * Live readiness of the KAITO Workspace behind the current entity.
 *
 * @public
 */
export const EntityKaitoWorkspaceCard = kaitoPlugin.provide(
  createComponentExtension({
    name: 'EntityKaitoWorkspaceCard',
    component: {
      lazy: () =>
        import('./components/WorkspaceCard').then(
          m => m.EntityKaitoWorkspaceCard,
        ),
    },
  }),
);

/**
 * Every KAITO Workspace on every configured cluster.
 *
 * @public
 */
export const KaitoWorkspacesPage = kaitoPlugin.provide(
  createRoutableExtension({
    name: 'KaitoWorkspacesPage',
    component: () =>
      import('./components/WorkspacesPage').then(m => m.KaitoWorkspacesPage),
    mountPoint: workspacesRouteRef,
  }),
);
