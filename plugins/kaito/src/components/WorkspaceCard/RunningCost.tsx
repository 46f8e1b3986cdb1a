import { useApiHolder } from '@backstage/core-plugin-api';
import { kaitoCatalogApiRef } from '@kaito-backstage/plugin-kaito-react';
import { useEffect, useState } from 'react';

/** What the running nodes cost per hour, from the backend's price table. */
export interface RunningCostFigure {
  perHour: number;
  currency: string;
  region: string;
  asOf: string;
  approximate: boolean;
}

/**
 * nodes × the hourly node price of `instanceType` in the backend's default
 * region (`kaito.catalog.defaultRegion`, prices from `kaito.prices` or the
 * built-in list). Undefined while loading, when the catalog API is not
 * installed, or when no price is known.
 */
export function useRunningCost(
  preset: string | undefined,
  instanceType: string | undefined,
  nodes: number | undefined,
): RunningCostFigure | undefined {
  const api = useApiHolder().get(kaitoCatalogApiRef);
  const [figure, setFigure] = useState<RunningCostFigure>();
  useEffect(() => {
    setFigure(undefined);
    if (!api || !preset || !instanceType || !nodes) return undefined;
    let live = true;
    api
      .listInstanceTypes({ model: preset })
      .then(answer => {
        const item = answer.items.find(
          i => i.instanceType.toLowerCase() === instanceType.toLowerCase(),
        );
        if (!live || !item?.cost) return;
        setFigure({
          perHour: Math.round(nodes * item.cost.perNodeHour * 100) / 100,
          currency: item.cost.currency,
          region: answer.region,
          asOf: item.cost.asOf,
          approximate: item.cost.approximate,
        });
      })
      // No price is a normal answer for the card: it shows nothing.
      .catch(() => {});
    return () => {
      live = false;
    };
  }, [api, preset, instanceType, nodes]);
  return figure;
}

/** "≈ USD 11.02/h (3 nodes, eastus list price, 2026-11-01)". */
export function formatRunningCost(f: RunningCostFigure, nodes: number): string {
  const money = f.perHour.toLocaleString('en-US', {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  });
  const kind = f.approximate ? 'approximate list price' : 'configured price';
  return `${f.approximate ? '≈ ' : ''}${f.currency} ${money}/h (${nodes} node${
    nodes === 1 ? '' : 's'
  }, ${f.region} ${kind}, ${f.asOf})`;
}
