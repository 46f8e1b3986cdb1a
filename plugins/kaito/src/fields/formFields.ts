import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import {
  KaitoInstanceTypePicker,
  KaitoInstanceTypePickerFieldSchema,
  kaitoInstanceTypeValidation,
} from './KaitoInstanceTypePicker';
import {
  KaitoModelPicker,
  KaitoModelPickerFieldSchema,
  kaitoModelValidation,
} from './KaitoModelPicker';

/** `ui:field: KaitoModelPicker` for the new frontend system. */
export const kaitoModelPickerFormField = createFormField({
  name: 'KaitoModelPicker',
  component: KaitoModelPicker,
  validation: kaitoModelValidation,
  schema: KaitoModelPickerFieldSchema,
});

/** `ui:field: KaitoInstanceTypePicker` for the new frontend system. */
export const kaitoInstanceTypePickerFormField = createFormField({
  name: 'KaitoInstanceTypePicker',
  component: KaitoInstanceTypePicker,
  validation: kaitoInstanceTypeValidation,
  schema: KaitoInstanceTypePickerFieldSchema,
});
