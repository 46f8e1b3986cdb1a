import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';

/** `catalog.providers.kaito`, read and checked. */
export interface KaitoProviderSettings {
  /** Seconds between scheduled refreshes. */
  refreshIntervalSeconds: number;
  /** Register Workspaces that carry `backstage.io/owner`. */
  workspaces: boolean;
  /** Register AKS clusters tagged `backstage-owner`; needs `kaito.azure`. */
  aksClusters: boolean;
  /** Subscriptions to scan for AKS clusters (default: `kaito.azure.subscriptionId`). */
  subscriptions: string[];
}

const GUID = /^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;

/** Reads `catalog.providers.kaito`; throws InputError naming a bad key. */
export function readProviderSettings(config: Config): KaitoProviderSettings {
  const c = config.getOptionalConfig('catalog.providers.kaito');
  const interval = c?.getOptionalNumber('refreshIntervalSeconds') ?? 30;
  if (!Number.isFinite(interval) || interval < 1) {
    throw new InputError(
      `catalog.providers.kaito.refreshIntervalSeconds must be a number >= 1, got ${interval}`,
    );
  }
  const azure = config.getOptionalConfig('kaito.azure');
  const subscriptions =
    c?.getOptionalStringArray('aksClusters.subscriptions') ??
    [azure?.getOptionalString('subscriptionId')].filter(
      (s): s is string => !!s,
    );
  for (const s of subscriptions) {
    if (!GUID.test(s)) {
      throw new InputError(
        `catalog.providers.kaito.aksClusters.subscriptions must hold subscription GUIDs, got '${s}'`,
      );
    }
  }
  const aksClusters =
    c?.getOptionalBoolean('aksClusters.enabled') ??
    (!!azure && subscriptions.length > 0);
  if (aksClusters && !azure) {
    throw new InputError(
      'catalog.providers.kaito.aksClusters.enabled needs the kaito.azure section (credentials and subscription)',
    );
  }
  if (aksClusters && subscriptions.length === 0) {
    throw new InputError(
      'catalog.providers.kaito.aksClusters.enabled needs a subscription: set kaito.azure.subscriptionId or catalog.providers.kaito.aksClusters.subscriptions',
    );
  }
  return {
    refreshIntervalSeconds: interval,
    workspaces: c?.getOptionalBoolean('workspaces.enabled') ?? true,
    aksClusters,
    subscriptions,
  };
}
