import { createPlugin } from '@backstage/core-plugin-api';

/**
 * The KAITO frontend plugin for apps on the legacy frontend system.
 *
 * It has no components yet: the workspace card, chat card, workspaces page and scaffolder fields
 * are planned (see README.md).
 *
 * @public
 */
export const kaitoPlugin = createPlugin({
  id: 'kaito',
});
