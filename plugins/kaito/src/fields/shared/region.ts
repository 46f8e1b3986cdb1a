import { parseEntityRef } from '@backstage/catalog-model';
import type { CatalogApi } from '@backstage/catalog-client';
import type { KaitoPickerUiOptions, PickerSiblings } from './options';

/** The annotation the KAITO catalog provider puts on Azure clusters. */
export const AZURE_LOCATION_ANNOTATION = 'kaito.sh/azure-location';

const REGION = /^[a-z][a-z0-9]{1,39}$/;

/**
 * Where the pickers' prices and quota are for: `ui:options.region`, else the
 * chosen cluster's `kaito.sh/azure-location`, else undefined (the backend's
 * `kaito.catalog.defaultRegion`). A cluster that is not in the catalog, or a
 * catalog that cannot be read, gives undefined rather than an error.
 */
export async function resolveRegion(
  catalogApi: Pick<CatalogApi, 'getEntityByRef'> | undefined,
  siblings: PickerSiblings,
  options: KaitoPickerUiOptions | undefined,
): Promise<string | undefined> {
  const fixed = options?.region?.trim().toLowerCase();
  if (fixed && REGION.test(fixed)) return fixed;
  if (!catalogApi || !siblings.cluster) return undefined;
  try {
    const ref = parseEntityRef(siblings.cluster, {
      defaultKind: 'Resource',
      defaultNamespace: 'default',
    });
    const entity = await catalogApi.getEntityByRef(ref);
    const location =
      entity?.metadata.annotations?.[
        AZURE_LOCATION_ANNOTATION
      ]?.trim().toLowerCase();
    return location && REGION.test(location) ? location : undefined;
  } catch {
    return undefined;
  }
}
