export { EntityKaitoWorkspaceCard } from './WorkspaceCard';
export type { EntityKaitoWorkspaceCardProps } from './WorkspaceCard';
