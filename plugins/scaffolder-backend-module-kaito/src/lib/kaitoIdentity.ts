import type { LoggerService } from '@backstage/backend-plugin-api';
import type { KaitoAzure } from '@kaito-backstage/plugin-kaito-node';
import { fieldError } from './errors';

/** The service account the self-installed (Helm) gpu-provisioner runs as. */
export const GPU_PROVISIONER_SUBJECT =
  'system:serviceaccount:gpu-provisioner:gpu-provisioner';

/**
 * The identity steps a Helm-installed KAITO needs (user-assigned identity,
 * Contributor on the cluster, federated credential for
 * GPU_PROVISIONER_SUBJECT). Not implemented yet: fails before any call so
 * nothing half-done is left behind.
 */
export async function provisionSelfInstalledKaitoIdentity(_o: {
  azure: KaitoAzure;
  subscriptionId: string;
  resourceGroup: string;
  clusterName: string;
  clusterId: string;
  location: string;
  oidcIssuerUrl: string;
  checkpoint: unknown;
  logger: LoggerService;
  signal?: AbortSignal;
}): Promise<void> {
  throw fieldError(
    'selfInstalledKaito',
    `the identity steps for a Helm-installed KAITO (subject ${GPU_PROVISIONER_SUBJECT}) are not supported by this version; use the managed add-on (leave selfInstalledKaito false)`,
  );
}
