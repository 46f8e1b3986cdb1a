import { createFrontendPlugin } from '@backstage/frontend-plugin-api';

/**
 * The KAITO frontend plugin for apps on the new frontend system.
 *
 * It provides no extensions yet; see README.md for what it will hold.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'kaito',
  extensions: [],
});
