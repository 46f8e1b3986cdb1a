import type { ApiHolder } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import {
  KaitoCatalogInstanceTypes,
  kaitoCatalogApiRef,
} from '@kaito-backstage/plugin-kaito-react';
import {
  FormValues,
  KaitoPickerUiOptions,
  PickerSiblings,
  readSiblings,
} from './options';
import { resolveRegion } from './region';

/**
 * What a validator needs: the sibling fields and, when the app has the KAITO
 * catalog API and a model is chosen, the sizes for that model in the region.
 */
export async function lookupForValidation(
  apiHolder: ApiHolder,
  formData: FormValues | undefined,
  options: KaitoPickerUiOptions | undefined,
): Promise<{
  siblings: PickerSiblings;
  sizes?: KaitoCatalogInstanceTypes;
}> {
  const siblings = readSiblings(formData, options);
  const api = apiHolder.get(kaitoCatalogApiRef);
  if (!api || !siblings.model) return { siblings };
  const region = await resolveRegion(
    apiHolder.get(catalogApiRef),
    siblings,
    options,
  );
  const sizes = await api.listInstanceTypes({ model: siblings.model, region });
  return { siblings, sizes };
}
