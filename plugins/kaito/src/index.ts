/**
 * Backstage frontend plugin for KAITO model deployments (legacy frontend system entry point).
 *
 * @packageDocumentation
 */
export {
  kaitoPlugin,
  EntityKaitoWorkspaceCard,
  KaitoWorkspacesPage,
  EntityKaitoChatCard,
  EntityKaitoChatContent,
} from './plugin';
export { isKaitoEntity } from './filters';
export type { EntityKaitoWorkspaceCardProps } from './components/WorkspaceCard';
