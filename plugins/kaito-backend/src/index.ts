/**
 * KAITO backend plugin for Backstage (`/api/kaito`).
 *
 * @packageDocumentation
 */

export { kaitoPlugin as default } from './plugin';
export type { KaitoLimits } from './service/limits';
