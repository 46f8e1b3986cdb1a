/**
 * Backstage frontend plugin for KAITO model deployments (legacy frontend system entry point).
 *
 * @packageDocumentation
 */
export {
  kaitoPlugin,
  EntityKaitoWorkspaceCard,
  KaitoWorkspacesPage,
} from './plugin';
export { isKaitoEntity } from './filters';
export type { EntityKaitoWorkspaceCardProps } from './components/WorkspaceCard';
