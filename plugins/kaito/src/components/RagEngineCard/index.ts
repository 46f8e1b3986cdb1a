export { EntityKaitoRagEngineCard } from './EntityKaitoRagEngineCard';
export type { EntityKaitoRagEngineCardProps } from './EntityKaitoRagEngineCard';
