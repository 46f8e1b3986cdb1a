import type { FieldExtensionOptions } from '@backstage/plugin-scaffolder-react';
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

export * from './KaitoModelPicker';
export * from './KaitoInstanceTypePicker';
export type { KaitoPickerUiOptions } from './shared/options';

/** The model picker's name, component, validation and schema, for either frontend system. */
export const kaitoModelPickerOptions = {
  name: 'KaitoModelPicker',
  component: KaitoModelPicker,
  validation: kaitoModelValidation,
  schema: KaitoModelPickerFieldSchema,
};

/** The instance type picker's name, component, validation and schema, for either frontend system. */
export const kaitoInstanceTypePickerOptions = {
  name: 'KaitoInstanceTypePicker',
  component: KaitoInstanceTypePicker,
  validation: kaitoInstanceTypeValidation,
  schema: KaitoInstanceTypePickerFieldSchema,
};

/** Both pickers as legacy field extension options (tests, the template editor). */
export const kaitoFieldExtensionOptions: FieldExtensionOptions<any, any>[] = [
  { ...kaitoModelPickerOptions, schema: KaitoModelPickerFieldSchema.schema },
  {
    ...kaitoInstanceTypePickerOptions,
    schema: KaitoInstanceTypePickerFieldSchema.schema,
  },
];
