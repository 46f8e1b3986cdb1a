export { KaitoInstanceTypePicker } from './KaitoInstanceTypePicker';
export {
  KaitoInstanceTypePickerFieldSchema,
  type KaitoInstanceTypePickerUiOptions,
  type KaitoInstanceTypePickerProps,
} from './schema';
export { kaitoInstanceTypeValidation } from './validation';
