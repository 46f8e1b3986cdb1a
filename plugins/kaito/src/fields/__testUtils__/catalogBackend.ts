import type { FetchApi } from '@backstage/core-plugin-api';
import {
  catalogModelsAnswer,
  findModel,
  instanceTypesAnswer,
  PriceTable,
  QuotaLookup,
  SKU_TABLE,
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

/** A family's name as ARM spells it (the test's usages are keyed lower-case). */
function familyName(lowerCase: string): string {
  return (
    SKU_TABLE.find(s => s.quotaFamily?.toLowerCase() === lowerCase)
      ?.quotaFamily ?? lowerCase
  );
}

/** The quota lookup kaito-backend would make from the test's usages. */
function quotaLookup(quota?: Record<string, TestQuota>): QuotaLookup {
  if (!quota) {
    return {
      known: false,
      note: 'Quota unknown: kaito.azure is not configured.',
    };
  }
  return {
    known: true,
    subscriptionId: 'test-subscription',
    byFamily: new Map(
      Object.entries(quota).map(([family, q]) => [
        family,
        { family: familyName(family), ...q },
      ]),
    ),
  };
}

/**
 * A fetchApi answering `GET /catalog/models` and `/catalog/instance-types`
 * with the answers kaito-backend's catalog router sends (kaito-common's
 * catalogModelsAnswer and instanceTypesAnswer), the quota coming from the
 * test's usages. Records each request's path and query.
 */
export function catalogFetchApi(options: CatalogBackendOptions = {}) {
  const prices = options.prices ?? PriceTable.builtIn();
  const requests: string[] = [];
  const fetchApi: FetchApi = {
    fetch: async (input: any) => {
      const url = new URL(String(input));
      requests.push(`${url.pathname}${url.search}`);
      if (url.pathname === '/api/kaito/catalog/models') {
        return json(200, catalogModelsAnswer());
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
        return json(
          200,
          instanceTypesAnswer({
            model,
            region:
              url.searchParams.get('region') ??
              options.defaultRegion ??
              'eastus',
            count: Number(url.searchParams.get('count') ?? 1),
            prices,
            quota: quotaLookup(options.quota),
          }),
        );
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
