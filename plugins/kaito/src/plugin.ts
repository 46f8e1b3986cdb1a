import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import {
  KaitoCatalogClient,
  KaitoChatClient,
  KaitoClient,
  kaitoApiRef,
  kaitoCatalogApiRef,
  kaitoChatApiRef,
  kaitoRagApiRef,
} from '@kaito-backstage/plugin-kaito-react';
import { createScaffolderFieldExtension } from '@backstage/plugin-scaffolder-react';
import { workspacesRouteRef } from './routes';
import {
  KaitoInstanceTypePicker,
  KaitoInstanceTypePickerFieldSchema,
  kaitoInstanceTypeValidation,
  KaitoModelPicker,
  KaitoModelPickerFieldSchema,
  kaitoModelValidation,
} from './fields';

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
    createApiFactory({
      api: kaitoChatApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new KaitoChatClient({ discoveryApi, fetchApi }),
    }),
    createApiFactory({
      api: kaitoRagApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new KaitoClient({ discoveryApi, fetchApi }),
    }),
    createApiFactory({
      api: kaitoCatalogApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new KaitoCatalogClient({ discoveryApi, fetchApi }),
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

/**
 * Live readiness of the KAITO RAGEngine behind the current entity (`kaito.sh/ragengine`).
 *
 * @public
 */
export const EntityKaitoRagEngineCard = kaitoPlugin.provide(
  createComponentExtension({
    name: 'EntityKaitoRagEngineCard',
    component: {
      lazy: () =>
        import('./components/RagEngineCard').then(
          m => m.EntityKaitoRagEngineCard,
        ),
    },
  }),
);

/**
 * The documents of the current entity's RAG index: list, upload, add text, delete, TechDocs.
 *
 * @public
 */
export const EntityKaitoRagDocumentsCard = kaitoPlugin.provide(
  createComponentExtension({
    name: 'EntityKaitoRagDocumentsCard',
    component: {
      lazy: () =>
        import('./components/RagDocumentsCard').then(
          m => m.EntityKaitoRagDocumentsCard,
        ),
    },
  }),
);

/** The chat entity tab (legacy frontend system). */
const chatRouteRef = createRouteRef({ id: 'kaito:chat' });

/**
 * Chat with the model behind the current entity, with saved conversations.
 *
 * @public
 */
export const EntityKaitoChatCard = kaitoPlugin.provide(
  createComponentExtension({
    name: 'EntityKaitoChatCard',
    component: {
      lazy: () =>
        import('./components/ChatCard').then(m => m.EntityKaitoChatCard),
    },
  }),
);

/**
 * The chat as an entity tab: saved conversations beside the conversation.
 *
 * @public
 */
export const EntityKaitoChatContent = kaitoPlugin.provide(
  createRoutableExtension({
    name: 'EntityKaitoChatContent',
    component: () =>
      import('./components/ChatCard').then(m => m.EntityKaitoChatContent),
    mountPoint: chatRouteRef,
  }),
);

/**
 * `ui:field: KaitoModelPicker`: KAITO's model catalog with a fit badge for the
 * chosen instance type (legacy frontend system; put it inside
 * `<ScaffolderFieldExtensions>`).
 *
 * @public
 */
export const KaitoModelPickerFieldExtension = kaitoPlugin.provide(
  createScaffolderFieldExtension({
    name: 'KaitoModelPicker',
    component: KaitoModelPicker,
    validation: kaitoModelValidation,
    schema: KaitoModelPickerFieldSchema.schema,
  }),
);

/**
 * `ui:field: KaitoInstanceTypePicker`: GPU sizes with fit, nodes, cost and
 * quota for the chosen model, the cheapest that fits preselected (legacy
 * frontend system; put it inside `<ScaffolderFieldExtensions>`).
 *
 * @public
 */
export const KaitoInstanceTypePickerFieldExtension = kaitoPlugin.provide(
  createScaffolderFieldExtension({
    name: 'KaitoInstanceTypePicker',
    component: KaitoInstanceTypePicker,
    validation: kaitoInstanceTypeValidation,
    schema: KaitoInstanceTypePickerFieldSchema.schema,
  }),
);
