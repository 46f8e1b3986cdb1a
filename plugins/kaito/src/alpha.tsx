import {
  ApiBlueprint,
  PageBlueprint,
  createFrontendPlugin,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import {
  KaitoCatalogClient,
  KaitoChatClient,
  KaitoClient,
  kaitoApiRef,
  kaitoCatalogApiRef,
  kaitoChatApiRef,
  kaitoRagApiRef,
} from '@kaito-backstage/plugin-kaito-react';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import MemoryIcon from '@material-ui/icons/Memory';
import {
  isKaitoChatAvailable,
  isKaitoEntity,
  isKaitoRagEngineAvailable,
} from './filters';

/** The workspaces page (new frontend system). @alpha */
export const kaitoWorkspacesRouteRef = createRouteRef();

const kaitoApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: kaitoApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new KaitoClient({ discoveryApi, fetchApi }),
    }),
});

const workspaceCard = EntityCardBlueprint.make({
  name: 'workspace',
  params: {
    filter: isKaitoEntity,
    loader: () =>
      import('./components/WorkspaceCard').then(m => (
        <m.EntityKaitoWorkspaceCard />
      )),
  },
});

const kaitoChatApi = ApiBlueprint.make({
  name: 'chat',
  params: defineParams =>
    defineParams({
      api: kaitoChatApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new KaitoChatClient({ discoveryApi, fetchApi }),
    }),
});

const kaitoCatalogApi = ApiBlueprint.make({
  name: 'catalog',
  params: defineParams =>
    defineParams({
      api: kaitoCatalogApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new KaitoCatalogClient({ discoveryApi, fetchApi }),
    }),
});

const kaitoRagApi = ApiBlueprint.make({
  name: 'rag',
  params: defineParams =>
    defineParams({
      api: kaitoRagApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new KaitoClient({ discoveryApi, fetchApi }),
    }),
});

const ragEngineCard = EntityCardBlueprint.make({
  name: 'ragengine',
  params: {
    filter: isKaitoRagEngineAvailable,
    loader: () =>
      import('./components/RagEngineCard').then(m => (
        <m.EntityKaitoRagEngineCard />
      )),
  },
});

const ragDocumentsCard = EntityCardBlueprint.make({
  name: 'rag-documents',
  params: {
    filter: isKaitoRagEngineAvailable,
    loader: () =>
      import('./components/RagDocumentsCard').then(m => (
        <m.EntityKaitoRagDocumentsCard />
      )),
  },
});

const chatCard = EntityCardBlueprint.make({
  name: 'chat',
  params: {
    filter: isKaitoChatAvailable,
    loader: () =>
      import('./components/ChatCard').then(m => <m.EntityKaitoChatCard />),
  },
});

const chatContent = EntityContentBlueprint.make({
  name: 'chat',
  params: {
    path: '/kaito-chat',
    title: 'Chat',
    filter: isKaitoChatAvailable,
    loader: () =>
      import('./components/ChatCard').then(m => <m.EntityKaitoChatContent />),
  },
});

const workspacesPage = PageBlueprint.make({
  params: {
    path: '/kaito',
    title: 'KAITO workspaces',
    icon: <MemoryIcon />,
    routeRef: kaitoWorkspacesRouteRef,
    noHeader: true,
    loader: () =>
      import('./components/WorkspacesPage').then(m => (
        <m.KaitoWorkspacesPage />
      )),
  },
});

const modelPickerField = FormFieldBlueprint.make({
  name: 'kaito-model-picker',
  params: {
    field: () =>
      import('./fields/formFields').then(m => m.kaitoModelPickerFormField),
  },
});

const instanceTypePickerField = FormFieldBlueprint.make({
  name: 'kaito-instance-type-picker',
  params: {
    field: () =>
      import('./fields/formFields').then(
        m => m.kaitoInstanceTypePickerFormField,
      ),
  },
});

/**
 * The KAITO frontend plugin for apps on the new frontend system: the API, the workspace card on
 * entities with `kaito.sh/workspace` or `kaito.sh/external-target`, the RAGEngine and RAG
 * documents cards on entities with `kaito.sh/ragengine`, the chat card on all of them, the
 * workspaces page
 * (which is also its sidebar item), and the scaffolder fields `KaitoModelPicker` and
 * `KaitoInstanceTypePicker`.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'kaito',
  routes: { workspaces: kaitoWorkspacesRouteRef },
  extensions: [
    kaitoApi,
    workspaceCard,
    workspacesPage,
    kaitoChatApi,
    kaitoCatalogApi,
    kaitoRagApi,
    ragEngineCard,
    ragDocumentsCard,
    chatCard,
    chatContent,
    modelPickerField,
    instanceTypePickerField,
  ],
});
