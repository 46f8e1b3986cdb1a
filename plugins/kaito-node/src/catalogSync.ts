import {
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';

/** What a sync request may say about the change that prompted it. */
export interface KaitoCatalogSyncRequest {
  /** A cluster that may be new, so the provider reloads the cluster list first. */
  cluster?: string;
}

export type KaitoCatalogSyncHandler = (
  request: KaitoCatalogSyncRequest,
) => Promise<void>;

/**
 * In-process signal between backend features: the scaffolder's
 * `kaito:catalog:sync` action asks the KAITO catalog entity provider (a
 * catalog module) to refresh now instead of on its schedule. Root-scoped, so
 * the scaffolder and catalog plugins share one instance.
 */
export interface KaitoCatalogSync {
  /** Runs every handler and resolves when all have finished (failures are theirs to log). */
  request(request: KaitoCatalogSyncRequest): Promise<{ handled: number }>;
  /** Registers a handler; returns the function that removes it. */
  onRequest(handler: KaitoCatalogSyncHandler): () => void;
}

export function createKaitoCatalogSync(): KaitoCatalogSync {
  const handlers = new Set<KaitoCatalogSyncHandler>();
  return {
    async request(request) {
      const list = [...handlers];
      await Promise.allSettled(list.map(h => h(request)));
      return { handled: list.length };
    },
    onRequest(handler) {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
  };
}

/** The shared catalog sync signal (one per backend process). */
export const kaitoCatalogSyncServiceRef = createServiceRef<KaitoCatalogSync>({
  id: 'kaito.catalog-sync',
  scope: 'root',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {},
      factory: () => createKaitoCatalogSync(),
    }),
});
