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
  EntityKaitoRagEngineCard,
  EntityKaitoRagDocumentsCard,
  KaitoModelPickerFieldExtension,
  KaitoInstanceTypePickerFieldExtension,
} from './plugin';
export {
  KaitoModelPicker,
  KaitoModelPickerFieldSchema,
  kaitoModelValidation,
  KaitoInstanceTypePicker,
  KaitoInstanceTypePickerFieldSchema,
  kaitoInstanceTypeValidation,
} from './fields';
export type {
  KaitoModelPickerUiOptions,
  KaitoModelPickerProps,
  KaitoInstanceTypePickerUiOptions,
  KaitoInstanceTypePickerProps,
  KaitoPickerUiOptions,
} from './fields';
export {
  isKaitoEntity,
  isKaitoRagEngineAvailable,
  isKaitoChatAvailable,
} from './filters';
export type { EntityKaitoWorkspaceCardProps } from './components/WorkspaceCard';
export type { EntityKaitoRagEngineCardProps } from './components/RagEngineCard';
export type { EntityKaitoRagDocumentsCardProps } from './components/RagDocumentsCard';
