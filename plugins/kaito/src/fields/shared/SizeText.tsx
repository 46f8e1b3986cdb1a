import type { KaitoCatalogInstanceType } from '@kaito-backstage/plugin-kaito-react';
import {
  formatNodes,
  formatPerHour,
  formatQuota,
  SizeAssessment,
} from './sizes';

/** "1× NVIDIA A100, 80 GiB GPU memory". */
export function gpuText(item: KaitoCatalogInstanceType): string {
  return `${item.gpuCount}× ${item.gpuModel}, ${item.gpuMemoryGiB} GiB GPU memory`;
}

/** "3 nodes · USD 11.02/h · Quota: …" for a fitting size. */
export function fitText(
  a: Extract<SizeAssessment, { fits: true }>,
  item: KaitoCatalogInstanceType,
): string {
  const parts = [formatNodes(a.nodes)];
  parts.push(
    a.perHour !== undefined
      ? formatPerHour(a.perHour, a.currency)
      : 'no price for this region',
  );
  if (a.quota) parts.push(formatQuota(a.quota));
  else if (item.quota.known === false && item.quota.note) {
    parts.push('quota unknown');
  }
  return parts.join(' · ');
}
