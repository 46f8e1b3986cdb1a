/**
 * Events topic (`@backstage/plugin-events-node`) that asks the KAITO catalog
 * entity provider to refresh now instead of on its next schedule, e.g. right
 * after a template applied or deleted a Workspace or created an AKS cluster.
 */
export const KAITO_CATALOG_SYNC_TOPIC = 'kaito.catalog.sync';

/** Payload of a `kaito.catalog.sync` event. */
export interface KaitoCatalogSyncEvent {
  /** A cluster that may be new, so the provider reloads the cluster list first. */
  cluster?: string;
}
