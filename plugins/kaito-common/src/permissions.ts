import { createPermission } from '@backstage/plugin-permission-common';

/** Read a Workspace's status, pods and events (per catalog entity). */
export const kaitoWorkspaceReadPermission = createPermission({
  name: 'kaito.workspace.read',
  attributes: { action: 'read' },
  resourceType: 'catalog-entity',
});

/** Send chat requests to a Workspace's inference endpoint (per catalog entity). */
export const kaitoWorkspaceChatPermission = createPermission({
  name: 'kaito.workspace.chat',
  attributes: {},
  resourceType: 'catalog-entity',
});

/** List Workspaces across clusters (not tied to one entity). */
export const kaitoWorkspaceListPermission = createPermission({
  name: 'kaito.workspace.list',
  attributes: { action: 'read' },
});

/** Add or delete documents in a RAGEngine entity's index (per catalog entity). */
export const kaitoRagEngineManagePermission = createPermission({
  name: 'kaito.ragengine.manage',
  attributes: { action: 'update' },
  resourceType: 'catalog-entity',
});

/** Every KAITO permission, for registration with the permission framework. */
export const kaitoPermissions = [
  kaitoWorkspaceReadPermission,
  kaitoWorkspaceChatPermission,
  kaitoWorkspaceListPermission,
  kaitoRagEngineManagePermission,
];
