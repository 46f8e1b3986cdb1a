import type { CustomFieldValidator } from '@backstage/plugin-scaffolder-react';
import { kaitoCatalogApiRef } from '@kaito-backstage/plugin-kaito-react';
import { lookupForValidation } from '../shared/lookup';
import { assessSize } from '../shared/sizes';
import type { KaitoModelPickerUiOptions } from './schema';

/**
 * Blocks the step when the model is not in KAITO's catalog, or when it does
 * not fit the chosen instance type (with the reason). Without the KAITO
 * catalog API there is nothing to check beyond the template's own enum.
 */
export const kaitoModelValidation: CustomFieldValidator<
  string,
  KaitoModelPickerUiOptions
> = async (value, validation, context) => {
  if (!value) return;
  const api = context.apiHolder.get(kaitoCatalogApiRef);
  if (!api) return;
  const { items } = await api.listModels();
  if (!items.some(m => m.name === value)) {
    validation.addError(
      `${value} is not in KAITO's model catalog; pick a model from the list.`,
    );
    return;
  }
  const options = context.uiSchema?.['ui:options'];
  const { siblings, sizes } = await lookupForValidation(
    context.apiHolder,
    { ...context.formData, model: value },
    { ...options, modelField: 'model' },
  );
  if (!sizes || !siblings.instanceType) return;
  const item = sizes.items.find(i => i.instanceType === siblings.instanceType);
  if (!item) return; // the instance type field reports an unknown size
  const a = assessSize(item, value, siblings.count);
  if (!a.fits) {
    validation.addError(
      `${value} does not fit ${siblings.instanceType}: ${a.reason}`,
    );
  }
};
