import type { FetchApi } from '@backstage/core-plugin-api';
import {
  cheapestFit,
  findModel,
  instanceTypeOptions,
  InstanceTypeOption,
  MODEL_CATALOG,
  MODEL_CATALOG_KAITO_VERSION,
  PriceTable,
} from '@kaito-backstage/plugin-kaito-common';
import { KaitoCatalogClient } from '@kaito-backstage/plugin-kaito-react';

export const TEST_BASE = 'http://kaito.test/api/kaito';

/** vCPU usage of one Azure quota family in the region. */
export interface TestQuota {
  limit: number;
  used: number;
}

export interface CatalogBackendOptions {
  prices?: PriceTable;
  defaultRegion?: string;
  /** Usage by lower-case quota family; undefined: quota not configured. */
  quota?: Record<string, TestQuota>;
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}

function quotaOf(o: InstanceTypeOption, quota?: Record<string, TestQuota>) {
  if (!quota)
    return { known: false, note: 'Quota unknown: no kaito.azure configured.' };
  const family = o.sku.quotaFamily;
  const q = family ? quota[family.toLowerCase()] : undefined;
  if (!q || !family)
    return { known: false, note: `Quota unknown for ${family}.` };
  const available = q.limit - q.used;
  const needed = o.nodes === undefined ? undefined : o.nodes * o.sku.vCPUs;
  return {
    known: true,
    family,
    limit: q.limit,
    used: q.used,
    available,
    ...(needed === undefined ? {} : { needed, enough: needed <= available }),
  };
}

/**
 * A fetchApi answering `GET /catalog/models` and `/catalog/instance-types` as
 * kaito-backend's catalog router does, from kaito-common's real catalog, SKU
 * table, price table, fit estimate and cheapest-fit functions. Records each
 * request's path and query.
 */
export function catalogFetchApi(options: CatalogBackendOptions = {}) {
  const prices = options.prices ?? PriceTable.builtIn();
  const requests: string[] = [];
  const fetchApi: FetchApi = {
    fetch: async (input: any) => {
      const url = new URL(String(input));
      requests.push(`${url.pathname}${url.search}`);
      if (url.pathname === '/api/kaito/catalog/models') {
        return json(200, {
          kaitoVersion: MODEL_CATALOG_KAITO_VERSION,
          items: MODEL_CATALOG.map(m => ({
            name: m.hfId,
            servedName: m.servedName,
            weightSizeGiB: m.weightSizeGiB,
            contextLength: m.contextLength,
            ...(m.quantization ? { quantization: m.quantization } : {}),
            runtimes: m.runtimes,
            tuningMethods: m.tuningMethods,
            gated: m.gated,
            license: m.license,
            task: m.task,
          })),
        });
      }
      if (url.pathname === '/api/kaito/catalog/instance-types') {
        const name = url.searchParams.get('model') ?? '';
        const model = findModel(name);
        if (!model) {
          return json(404, {
            error: {
              name: 'NotFoundError',
              message: `Model '${name}' is not in the catalog`,
            },
            response: { statusCode: 404 },
          });
        }
        const region =
          url.searchParams.get('region') ?? options.defaultRegion ?? 'eastus';
        const all = instanceTypeOptions({ model, region, prices });
        return json(200, {
          model: model.hfId,
          region,
          count: 1,
          currency: prices.currency,
          cheapest: cheapestFit(all)?.sku.instanceType ?? null,
          items: all.map(o => ({
            instanceType: o.sku.instanceType,
            gpuModel: o.sku.gpuModel,
            gpuCount: o.sku.gpuCount,
            gpuMemoryGiB: o.sku.gpuMemoryGiB,
            vCPUs: o.sku.vCPUs,
            retired: !o.sku.supported,
            usable: o.usable,
            ...(o.reason ? { reason: o.reason } : {}),
            fit: {
              verdict: o.fit.verdict,
              summary: o.fit.summary,
              warnings: o.fit.warnings,
            },
            ...(o.nodes === undefined ? {} : { nodes: o.nodes }),
            ...(o.cost ? { cost: o.cost } : {}),
            ...(o.costNote ? { costNote: o.costNote } : {}),
            quota: o.usable ? quotaOf(o, options.quota) : { known: false },
          })),
        });
      }
      return json(404, {
        error: { name: 'NotFoundError', message: 'no route' },
      });
    },
  };
  const client = new KaitoCatalogClient({
    discoveryApi: { getBaseUrl: async () => TEST_BASE },
    fetchApi,
  });
  return { client, requests, prices };
}
