import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';

export const ANNOTATION_API_SERVER = 'kubernetes.io/api-server';
export const ANNOTATION_API_SERVER_CA =
  'kubernetes.io/api-server-certificate-authority';
export const ANNOTATION_AUTH_PROVIDER = 'kubernetes.io/auth-provider';
export const ANNOTATION_SKIP_TLS_VERIFY = 'kubernetes.io/skip-tls-verify';

/** Reads `Resource` entities of type `kubernetes-cluster` from the catalog. */
export interface ClusterCatalogReader {
  listClusterEntities(): Promise<Entity[]>;
}

/** The part of the catalog service (`catalogServiceRef`) this needs. */
export interface CatalogEntitiesSource {
  getEntities(
    request: { filter: Record<string, string>[] },
    options: { credentials: BackstageCredentials },
  ): Promise<{ items: Entity[] }>;
}

const CLUSTER_FILTER = { kind: 'Resource', 'spec.type': 'kubernetes-cluster' };

/** A reader over the in-process catalog service (`catalogServiceRef`). */
export function catalogServiceClusterReader(
  catalog: CatalogEntitiesSource,
  auth: AuthService,
): ClusterCatalogReader {
  return {
    async listClusterEntities() {
      const { items } = await catalog.getEntities(
        { filter: [CLUSTER_FILTER] },
        { credentials: await auth.getOwnServiceCredentials() },
      );
      return items;
    },
  };
}

/**
 * A reader that calls the catalog over HTTP with this plugin's own service
 * token, for callers that have only core services (e.g. a scaffolder module).
 */
export function httpCatalogClusterReader(options: {
  discovery: DiscoveryService;
  auth: AuthService;
}): ClusterCatalogReader {
  const { discovery, auth } = options;
  return {
    async listClusterEntities() {
      const baseUrl = await discovery.getBaseUrl('catalog');
      const { token } = await auth.getPluginRequestToken({
        onBehalfOf: await auth.getOwnServiceCredentials(),
        targetPluginId: 'catalog',
      });
      const filter = Object.entries(CLUSTER_FILTER)
        .map(([k, v]) => `${k}=${v}`)
        .join(',');
      const items: Entity[] = [];
      let query = `filter=${encodeURIComponent(filter)}&limit=500`;
      // Follow the cursor; a portal may register many clusters.
      for (let page = 0; page < 100; page++) {
        const res = await fetch(`${baseUrl}/entities/by-query?${query}`, {
          headers: { authorization: `Bearer ${token}` },
        });
        if (!res.ok) {
          throw await ResponseError.fromResponse(res);
        }
        const body = (await res.json()) as {
          items?: Entity[];
          pageInfo?: { nextCursor?: string };
        };
        items.push(...(body.items ?? []));
        const next = body.pageInfo?.nextCursor;
        if (!next) break;
        query = `cursor=${encodeURIComponent(next)}&limit=500`;
      }
      return items;
    },
  };
}
