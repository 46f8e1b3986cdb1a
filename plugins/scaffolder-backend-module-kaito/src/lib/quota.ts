import type { ComputeManagementClient } from '@azure/arm-compute';
import {
  estimateFit,
  findModel,
  findSku,
  ModelInfo,
  SkuInfo,
} from '@kaito-backstage/plugin-kaito-common';
import { fieldError } from './errors';
import { QUOTA_REQUEST_URL, sameFamily } from './azure';

interface RegionSku {
  name: string;
  family?: string;
  vCPUs: number;
  available: boolean;
  why?: string;
}

/** Checks model and size against kaito-common's catalog, SKU table and fit estimator. */
export function modelAndSize(model: string, instanceType: string) {
  const m = findModel(model);
  if (!m) {
    throw fieldError(
      'model',
      `'${model}' is not in KAITO's model catalog; use a preset name or Hugging Face id from it, e.g. phi-4-mini-instruct or microsoft/Phi-4-mini-instruct`,
    );
  }
  const sku = findSku(instanceType);
  if (!sku) {
    throw fieldError(
      'instanceType',
      `'${instanceType}' is not a GPU size KAITO knows; use e.g. Standard_NC24ads_A100_v4`,
    );
  }
  if (!sku.supported) {
    throw fieldError(
      'instanceType',
      sku.unsupportedReason ?? `${sku.instanceType} is not supported by KAITO`,
    );
  }
  const fit = estimateFit(m, sku);
  if (fit.verdict === 'cannot-run') {
    throw fieldError('instanceType', `${fit.summary} ${fit.reason}`);
  }
  return { model: m, sku, nodes: fit.nodes, summary: fit.summary };
}

/** The VM sizes of one region, with availability for this subscription. */
export async function regionSkus(
  compute: ComputeManagementClient,
  location: string,
  signal?: AbortSignal,
): Promise<RegionSku[]> {
  const out: RegionSku[] = [];
  for await (const s of compute.resourceSkus.list({
    filter: `location eq '${location}'`,
    abortSignal: signal,
  })) {
    if (s.resourceType !== 'virtualMachines' || !s.name) continue;
    const inRegion = (s.locations ?? []).some(
      l => l.toLowerCase() === location,
    );
    if (!inRegion) continue;
    const restriction = (s.restrictions ?? []).find(
      r =>
        r.type === 'Location' &&
        (r.values ?? []).some(v => v.toLowerCase() === location),
    );
    const vCPUs = Number(
      s.capabilities?.find(c => c.name === 'vCPUsAvailable')?.value ??
        s.capabilities?.find(c => c.name === 'vCPUs')?.value,
    );
    out.push({
      name: s.name,
      family: s.family,
      vCPUs: Number.isFinite(vCPUs) ? vCPUs : 0,
      available: !restriction,
      why: restriction?.reasonCode,
    });
  }
  return out;
}

/** Sizes available in the region that fit the model, cheapest node count first. */
export function alternatives(model: ModelInfo, skus: RegionSku[]): string[] {
  const fits: Array<{ name: string; nodes: number; gpus: number }> = [];
  for (const s of skus) {
    if (!s.available) continue;
    const info: SkuInfo | undefined = findSku(s.name);
    if (!info?.supported) continue;
    const fit = estimateFit(model, info);
    if (fit.verdict !== 'cannot-run') {
      fits.push({
        name: s.name,
        nodes: fit.nodes,
        gpus: info.gpuCount * fit.nodes,
      });
    }
  }
  return fits
    .sort((a, b) => a.gpus - b.gpus || a.name.localeCompare(b.name))
    .map(f => `${f.name} (${f.nodes} node${f.nodes > 1 ? 's' : ''})`);
}

export interface QuotaFigures {
  family: string;
  vCpusNeeded: number;
  familyUsage: number;
  familyLimit: number;
  regionalUsage: number;
  regionalLimit: number;
}

/** Reads family and Total Regional vCPU usage for the region. */
export async function readUsage(
  compute: ComputeManagementClient,
  location: string,
  family: string,
  signal?: AbortSignal,
) {
  let familyUsage: { current: number; limit: number } | undefined;
  let regional: { current: number; limit: number } | undefined;
  for await (const u of compute.usage.list(location, { abortSignal: signal })) {
    const v = { current: Number(u.currentValue), limit: Number(u.limit) };
    if (sameFamily(u.name?.value, family)) familyUsage = v;
    if (u.name?.value === 'cores') regional = v;
  }
  return {
    familyUsage: familyUsage ?? { current: 0, limit: 0 },
    regional: regional ?? { current: 0, limit: 0 },
  };
}

/** The message for a shortfall: family, usage, limit, need, and where to ask. */
export function shortfallMessage(
  q: QuotaFigures,
  ctx: {
    location: string;
    subscriptionId: string;
    nodes: number;
    size: string;
    vCPUs: number;
  },
): string | undefined {
  const parts: string[] = [];
  if (q.familyUsage + q.vCpusNeeded > q.familyLimit) {
    parts.push(
      `${q.family} vCPU quota: ${q.familyUsage} of ${q.familyLimit} in use, ${
        q.vCpusNeeded
      } needed (new limit at least ${q.familyUsage + q.vCpusNeeded})`,
    );
  }
  if (q.regionalUsage + q.vCpusNeeded > q.regionalLimit) {
    parts.push(
      `Total Regional vCPUs (cores): ${q.regionalUsage} of ${
        q.regionalLimit
      } in use, ${q.vCpusNeeded} needed (new limit at least ${
        q.regionalUsage + q.vCpusNeeded
      })`,
    );
  }
  if (!parts.length) return undefined;
  return (
    `Not enough quota in ${ctx.location} for ${ctx.nodes} × ${ctx.size} (${
      ctx.vCPUs
    } vCPUs each): ${parts.join('; ')}. ` +
    `Request more in the Azure portal under Quotas → Compute (${QUOTA_REQUEST_URL}) for subscription ${ctx.subscriptionId}, region ${ctx.location}, or pick a region or size with free quota.`
  );
}
