import { useState } from 'react';
import {
  KaitoInstanceTypePicker,
  KaitoInstanceTypePickerProps,
} from '../KaitoInstanceTypePicker';
import { KaitoModelPicker, KaitoModelPickerProps } from '../KaitoModelPicker';

const modelSchema = { title: 'Model', type: 'string' as const };
const sizeSchema = {
  title: 'GPU instance type',
  type: 'string' as const,
  default: 'Standard_NC24ads_A100_v4',
};

/**
 * Both pickers side by side as the scaffolder form renders them: one form
 * state, each field seeing the whole form through `formContext.formData`.
 */
export function FieldsHarness(props: {
  initial: Record<string, unknown>;
  onValues?: (values: Record<string, unknown>) => void;
  modelEnum?: string[];
}) {
  const [values, setValues] = useState(props.initial);
  const set = (key: string) => (v: unknown) =>
    setValues(current => {
      const next = { ...current, [key]: v };
      props.onValues?.(next);
      return next;
    });
  const common = {
    formContext: { formData: values },
    required: true,
    rawErrors: [],
    uiSchema: {},
  } as any;
  return (
    <>
      <KaitoModelPicker
        {...(common as KaitoModelPickerProps)}
        schema={{
          ...modelSchema,
          ...(props.modelEnum ? { enum: props.modelEnum } : {}),
        }}
        idSchema={{ $id: 'root_model' } as any}
        formData={values.model as string | undefined}
        onChange={set('model')}
      />
      <KaitoInstanceTypePicker
        {...(common as KaitoInstanceTypePickerProps)}
        schema={sizeSchema}
        idSchema={{ $id: 'root_instanceType' } as any}
        formData={values.instanceType as string | undefined}
        onChange={set('instanceType')}
      />
    </>
  );
}
