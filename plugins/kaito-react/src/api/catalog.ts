import {
  createApiRef,
  DiscoveryApi,
  FetchApi,
} from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';

/**
 * One model of `GET /api/kaito/catalog/models`.
 *
 * @public
 */
export interface KaitoCatalogModel {
  name: string;
  servedName: string;
  weightSizeGiB: number;
  contextLength: number;
  quantization?: string;
  runtimes: string[];
  tuningMethods: string[];
  gated: boolean;
  license: string;
  task: string;
}

/**
 * Quota headroom of one size's Azure vCPU family, or why it is unknown.
 *
 * @public
 */
export type KaitoCatalogQuota =
  | {
      known: true;
      family: string;
      limit: number;
      used: number;
      available: number;
      needed?: number;
      enough?: boolean;
    }
  | { known: false; note?: string };

/**
 * One size of `GET /api/kaito/catalog/instance-types`.
 *
 * @public
 */
export interface KaitoCatalogInstanceType {
  instanceType: string;
  gpuModel: string;
  gpuCount: number;
  gpuMemoryGiB: number;
  vCPUs: number;
  retired: boolean;
  usable: boolean;
  reason?: string;
  fit: { verdict: string; summary: string; warnings: string[] };
  nodes?: number;
  cost?: {
    perNodeHour: number;
    perHour: number;
    currency: string;
    source: string;
    asOf: string;
    approximate: boolean;
  };
  costNote?: string;
  quota: KaitoCatalogQuota;
}

/**
 * The answer of `GET /api/kaito/catalog/instance-types`.
 *
 * @public
 */
export interface KaitoCatalogInstanceTypes {
  model: string;
  region: string;
  count: number;
  currency: string;
  cheapest: string | null;
  quotaSubscriptionId?: string;
  quotaNote?: string;
  items: KaitoCatalogInstanceType[];
}

/**
 * The entity-independent catalog routes the scaffolder pickers use.
 *
 * @public
 */
export interface KaitoCatalogApi {
  listModels(): Promise<{ kaitoVersion: string; items: KaitoCatalogModel[] }>;
  listInstanceTypes(query: {
    model: string;
    region?: string;
    count?: number;
  }): Promise<KaitoCatalogInstanceTypes>;
}

/** @public */
export const kaitoCatalogApiRef = createApiRef<KaitoCatalogApi>({
  id: 'plugin.kaito.catalog',
});

/**
 * {@link KaitoCatalogApi} over `fetchApi` (Backstage credentials) and the
 * `kaito` backend found through `discoveryApi`. Errors are `ResponseError`s
 * carrying the backend's message (e.g. the bad query parameter).
 *
 * @public
 */
export class KaitoCatalogClient implements KaitoCatalogApi {
  readonly #discoveryApi: DiscoveryApi;
  readonly #fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.#discoveryApi = options.discoveryApi;
    this.#fetchApi = options.fetchApi;
  }

  async #get<T>(path: string): Promise<T> {
    const base = await this.#discoveryApi.getBaseUrl('kaito');
    const res = await this.#fetchApi.fetch(`${base}/catalog${path}`);
    if (!res.ok) throw await ResponseError.fromResponse(res);
    return (await res.json()) as T;
  }

  listModels() {
    return this.#get<{ kaitoVersion: string; items: KaitoCatalogModel[] }>(
      '/models',
    );
  }

  listInstanceTypes(query: { model: string; region?: string; count?: number }) {
    const params = new URLSearchParams({ model: query.model });
    if (query.region) params.set('region', query.region);
    if (query.count !== undefined) params.set('count', String(query.count));
    return this.#get<KaitoCatalogInstanceTypes>(
      `/instance-types?${params.toString()}`,
    );
  }
}
