/**
 * Backstage frontend plugin for KAITO model deployments (legacy frontend system entry point).
 *
 * @packageDocumentation
 */
export { kaitoPlugin } from './plugin';
