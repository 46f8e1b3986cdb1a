import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  FamilyQuota,
  QuotaLookup,
} from '@kaito-backstage/plugin-kaito-common';
import type { KaitoAzure } from '@kaito-backstage/plugin-kaito-node';

export type { FamilyQuota, QuotaLookup };

/**
 * Reads `GET .../locations/{region}/usages` with the real ARM compute client.
 * The subscription is `kaito.azure.subscriptionId` (never the request), or
 * the one a catalog cluster entity records (`subscriptionId`); the region is
 * the one the caller asks about. Failures become a note: the catalog still
 * answers without quota.
 */
export async function lookupQuota(
  azure: KaitoAzure | undefined,
  region: string,
  logger: LoggerService,
  clusterSubscriptionId?: string,
): Promise<QuotaLookup> {
  if (!azure) {
    return {
      known: false,
      note: 'Quota unknown: kaito.azure is not configured.',
    };
  }
  const subscriptionId = clusterSubscriptionId || azure.settings.subscriptionId;
  if (!subscriptionId) {
    return {
      known: false,
      note: 'Quota unknown: set kaito.azure.subscriptionId to check GPU quota.',
    };
  }
  try {
    const byFamily = new Map<string, FamilyQuota>();
    const usages = azure.compute(subscriptionId).usage.list(region, {
      abortSignal: AbortSignal.timeout(15_000),
    });
    for await (const u of usages) {
      const family = u.name?.value;
      if (!family) continue;
      byFamily.set(family.toLowerCase(), {
        family,
        limit: Number(u.limit),
        used: Number(u.currentValue),
      });
    }
    return { known: true, subscriptionId, byFamily };
  } catch (e) {
    const code = (e as { code?: string }).code ?? (e as Error).name;
    logger.warn(`kaito catalog: quota lookup in ${region} failed (${code})`);
    return {
      known: false,
      note: `Quota unknown: Azure did not list usages for ${region} (${code}).`,
    };
  }
}
