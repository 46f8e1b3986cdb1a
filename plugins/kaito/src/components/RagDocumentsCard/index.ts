export { EntityKaitoRagDocumentsCard } from './EntityKaitoRagDocumentsCard';
export type { EntityKaitoRagDocumentsCardProps } from './EntityKaitoRagDocumentsCard';
