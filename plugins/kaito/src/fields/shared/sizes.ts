import type { KaitoCatalogInstanceType } from '@kaito-backstage/plugin-kaito-react';

/** One size judged for the chosen model and the GPU nodes the form asks for. */
export type SizeAssessment =
  | {
      fits: true;
      /** Nodes the workspace will run on: the form's count, else the estimate. */
      nodes: number;
      /** nodes × the node price, when the table has one. */
      perHour?: number;
      currency?: string;
      /** vCPUs the nodes need and what the quota has left, when known. */
      quota?: {
        family: string;
        needed: number;
        available: number;
        short: boolean;
      };
    }
  | { fits: false; reason: string };

function round(n: number): number {
  return Math.round(n * 10000) / 10000;
}

/**
 * Judges one size of `GET /catalog/instance-types` for `model`: retired and
 * misfit sizes carry the backend's reason; a GPU node count below the
 * estimate is a misfit too.
 */
export function assessSize(
  item: KaitoCatalogInstanceType,
  model: string,
  count?: number,
): SizeAssessment {
  if (!item.usable) {
    return {
      fits: false,
      reason: item.reason ?? item.fit.summary,
    };
  }
  const estimate = item.nodes ?? 1;
  if (count !== undefined && count < estimate) {
    return {
      fits: false,
      reason: `${model} needs ${estimate} ${item.instanceType} nodes, but GPU nodes is set to ${count}; raise it to ${estimate} or leave it empty.`,
    };
  }
  const nodes = count ?? estimate;
  const out: SizeAssessment = { fits: true, nodes };
  if (item.cost) {
    out.perHour = round(item.cost.perNodeHour * nodes);
    out.currency = item.cost.currency;
  }
  if (item.quota.known) {
    const needed = nodes * item.vCPUs;
    out.quota = {
      family: item.quota.family,
      needed,
      available: item.quota.available,
      short: needed > item.quota.available,
    };
  }
  return out;
}

/**
 * "Cheapest that fits": the fitting size with the lowest hourly cost for the
 * nodes it needs, preferring sizes whose known quota is enough (ties: fewer
 * nodes, then name). Undefined when no fitting size has a price.
 */
export function cheapestThatFits(
  items: KaitoCatalogInstanceType[],
  model: string,
  count?: number,
): KaitoCatalogInstanceType | undefined {
  const ranked = items
    .map(item => ({ item, a: assessSize(item, model, count) }))
    .flatMap(({ item, a }) =>
      a.fits && a.perHour !== undefined ? [{ item, a }] : [],
    )
    .sort(
      (x, y) =>
        Number(x.a.quota?.short ?? false) - Number(y.a.quota?.short ?? false) ||
        x.a.perHour! - y.a.perHour! ||
        x.a.nodes - y.a.nodes ||
        x.item.instanceType.localeCompare(y.item.instanceType),
    );
  return ranked[0]?.item;
}

/** "USD 3.67/h". */
export function formatPerHour(perHour: number, currency = 'USD'): string {
  return `${currency} ${perHour.toLocaleString('en-US', {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  })}/h`;
}

/** "1 node", "3 nodes". */
export function formatNodes(n: number): string {
  return `${n} node${n === 1 ? '' : 's'}`;
}

/** "quota: 72 of 96 free vCPUs (standardNCADSA100v4Family)" or the shortfall. */
export function formatQuota(
  q: NonNullable<Extract<SizeAssessment, { fits: true }>['quota']>,
): string {
  return q.short
    ? `Quota short: needs ${q.needed} vCPUs of ${q.family}, ${q.available} available`
    : `Quota: needs ${q.needed} of ${q.available} available vCPUs (${q.family})`;
}
