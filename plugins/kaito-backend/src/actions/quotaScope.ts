import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { lookupQuota, QuotaLookup } from '../catalog/quota';
import { KaitoActionDeps } from './deps';

/**
 * Where an AKS cluster lives, as `kaito:aks:create` and the KAITO catalog
 * module record it on the cluster's catalog entity (the templates' quota
 * step reads the same two annotations).
 */
const AZURE_LOCATION = 'kaito.sh/azure-location';
const AZURE_SUBSCRIPTION = 'kaito.sh/azure-subscription';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface QuotaScope {
  region: string;
  quota: QuotaLookup;
  /** The cluster entity the region and subscription came from. */
  clusterRef?: string;
}

/**
 * The region and subscription to read GPU quota in: the caller's `region`,
 * else the cluster entity's `kaito.sh/azure-location`; the cluster entity's
 * `kaito.sh/azure-subscription`, else `kaito.azure.subscriptionId`. The
 * usages come from ARM through the catalog route's own lookup.
 */
export async function quotaScope(
  deps: KaitoActionDeps,
  input: { region?: string; cluster?: string },
  defaultRegion: string,
  credentials: BackstageCredentials,
): Promise<QuotaScope> {
  let location: string | undefined;
  let subscription: string | undefined;
  let clusterRef: string | undefined;
  if (input.cluster) {
    let ref;
    try {
      ref = parseEntityRef(input.cluster, {
        defaultKind: 'resource',
        defaultNamespace: 'default',
      });
    } catch {
      throw new InputError(
        `cluster: '${input.cluster.slice(
          0,
          100,
        )}' is not an entity reference; use a kubernetes-cluster Resource such as resource:default/my-aks`,
      );
    }
    const entity = await deps.catalog.getEntityByRef(ref, { credentials });
    if (!entity) {
      throw new InputError(
        `cluster: ${stringifyEntityRef(
          ref,
        )} is not in the catalog (or you may not read it); pass a kubernetes-cluster Resource you can see, or region instead`,
      );
    }
    clusterRef = stringifyEntityRef(entity);
    const annotations = entity.metadata.annotations ?? {};
    location = annotations[AZURE_LOCATION]?.toLowerCase().replace(/\s+/g, '');
    const sub = annotations[AZURE_SUBSCRIPTION]?.trim();
    subscription = sub && GUID.test(sub) ? sub : undefined;
  }
  const region = (input.region ?? location ?? defaultRegion).toLowerCase();
  if (!/^[a-z][a-z0-9]{1,39}$/.test(region)) {
    throw new InputError(
      `cluster: ${clusterRef} records Azure location '${region}', which is not a region name`,
    );
  }
  const quota = await lookupQuota(
    deps.kaito.azure,
    region,
    deps.logger,
    subscription,
  );
  return { region, quota, clusterRef };
}
