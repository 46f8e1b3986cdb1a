export { KaitoModelPicker } from './KaitoModelPicker';
export {
  KaitoModelPickerFieldSchema,
  type KaitoModelPickerUiOptions,
  type KaitoModelPickerProps,
} from './schema';
export { kaitoModelValidation } from './validation';
