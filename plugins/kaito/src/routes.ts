import { createRouteRef } from '@backstage/core-plugin-api';

/** The KAITO workspaces page (legacy frontend system). */
export const workspacesRouteRef = createRouteRef({ id: 'kaito:workspaces' });
