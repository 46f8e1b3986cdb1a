import { useApiHolder } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import {
  KaitoCatalogInstanceTypes,
  kaitoCatalogApiRef,
} from '@kaito-backstage/plugin-kaito-react';
import useAsync from 'react-use/esm/useAsync';
import { KaitoPickerUiOptions, PickerSiblings } from './options';
import { resolveRegion } from './region';

/** The region the pickers price and check quota for (see resolveRegion). */
export function useRegion(
  siblings: PickerSiblings,
  options: KaitoPickerUiOptions | undefined,
) {
  const apis = useApiHolder();
  const catalogApi = apis.get(catalogApiRef);
  return useAsync(
    () => resolveRegion(catalogApi, siblings, options),
    [catalogApi, siblings.cluster, options?.region],
  );
}

/**
 * Every known size for `model` in `region` from `GET /catalog/instance-types`;
 * nothing while the model or the region is still unknown.
 */
export function useInstanceTypes(
  model: string | undefined,
  region: { loading: boolean; value?: string },
) {
  const apis = useApiHolder();
  const api = apis.get(kaitoCatalogApiRef);
  return useAsync(async (): Promise<KaitoCatalogInstanceTypes | undefined> => {
    if (!api || !model || region.loading) return undefined;
    return api.listInstanceTypes({ model, region: region.value });
  }, [api, model, region.loading, region.value]);
}

/** The catalog's models (`GET /catalog/models`). */
export function useModels() {
  const apis = useApiHolder();
  const api = apis.get(kaitoCatalogApiRef);
  return useAsync(async () => {
    if (!api)
      throw new Error('The KAITO catalog API is not installed in this app.');
    return api.listModels();
  }, [api]);
}
