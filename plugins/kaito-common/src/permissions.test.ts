import { isResourcePermission } from '@backstage/plugin-permission-common';
import {
  kaitoPermissions,
  kaitoWorkspaceChatPermission,
  kaitoRagEngineManagePermission,
  kaitoWorkspaceListPermission,
  kaitoWorkspaceReadPermission,
} from './permissions';

describe('permissions', () => {
  it('defines read and chat as catalog-entity resource permissions and list as basic', () => {
    expect(kaitoWorkspaceReadPermission.name).toBe('kaito.workspace.read');
    expect(
      isResourcePermission(kaitoWorkspaceReadPermission, 'catalog-entity'),
    ).toBe(true);
    expect(kaitoWorkspaceChatPermission.name).toBe('kaito.workspace.chat');
    expect(
      isResourcePermission(kaitoWorkspaceChatPermission, 'catalog-entity'),
    ).toBe(true);
    expect(kaitoWorkspaceListPermission.name).toBe('kaito.workspace.list');
    expect(kaitoWorkspaceListPermission.type).toBe('basic');
    expect(kaitoPermissions.map(p => p.name)).toEqual([
      'kaito.workspace.read',
      'kaito.workspace.chat',
      'kaito.workspace.list',
      'kaito.ragengine.manage',
    ]);
    expect(
      isResourcePermission(kaitoRagEngineManagePermission, 'catalog-entity'),
    ).toBe(true);
  });
});
