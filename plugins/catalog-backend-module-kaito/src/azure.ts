import { LoggerService } from '@backstage/backend-plugin-api';
import { KaitoClusters } from '@kaito-backstage/plugin-kaito-node';
import { ArmAksClusterSource } from './provider/aksClusters';

/**
 * The AKS cluster source over the shared `kaito.azure` access (the same
 * credential, ARM endpoint and TLS trust the scaffolder actions use).
 */
export function createAksClusterSource(
  kaito: KaitoClusters,
  subscriptions: string[],
  logger: LoggerService,
): ArmAksClusterSource {
  const azure = kaito.azure;
  if (!azure) {
    throw new Error(
      'catalog.providers.kaito.aksClusters needs the kaito.azure section (credentials and subscription)',
    );
  }
  return new ArmAksClusterSource({
    subscriptions,
    logger,
    clientFor: subscriptionId => azure.containerService(subscriptionId),
  });
}
