import type { CustomFieldValidator } from '@backstage/plugin-scaffolder-react';
import { lookupForValidation } from '../shared/lookup';
import { assessSize } from '../shared/sizes';
import type { KaitoInstanceTypePickerUiOptions } from './schema';

/**
 * Blocks the step when the size cannot run the chosen model (retired, not an
 * NVIDIA GPU, too small, or fewer GPU nodes than needed), with the reason.
 * Without a model, or without the KAITO catalog API, there is nothing to check.
 */
export const kaitoInstanceTypeValidation: CustomFieldValidator<
  string,
  KaitoInstanceTypePickerUiOptions
> = async (value, validation, context) => {
  if (!value) return;
  const options = context.uiSchema?.['ui:options'];
  const { siblings, sizes } = await lookupForValidation(
    context.apiHolder,
    context.formData,
    options,
  );
  if (!sizes || !siblings.model) return;
  const item = sizes.items.find(i => i.instanceType === value);
  if (!item) {
    validation.addError(
      `${value} is not a GPU size KAITO knows; pick one from the list.`,
    );
    return;
  }
  const a = assessSize(item, siblings.model, siblings.count);
  if (!a.fits) {
    validation.addError(`${value} cannot run ${siblings.model}: ${a.reason}`);
  }
};
