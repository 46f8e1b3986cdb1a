import { createApiRef } from '@backstage/core-plugin-api';

/**
 * Client for the `kaito-backend` routes under `/api/kaito`.
 *
 * @public
 */
export interface KaitoApi {}

/**
 * Reference to the {@link KaitoApi}.
 *
 * @public
 */
export const kaitoApiRef = createApiRef<KaitoApi>({ id: 'plugin.kaito.api' });
