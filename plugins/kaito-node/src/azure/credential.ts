import {
  ClientSecretCredential,
  DefaultAzureCredential,
  TokenCredential,
  WorkloadIdentityCredential,
} from '@azure/identity';
import { KaitoAzureSettings } from './config';

/** Options shared by every credential: authority, instance discovery and TLS trust. */
function commonOptions(s: KaitoAzureSettings) {
  return {
    ...(s.authorityHost ? { authorityHost: s.authorityHost } : {}),
    ...(s.disableInstanceDiscovery ? { disableInstanceDiscovery: true } : {}),
    ...(s.caPem ? { tlsOptions: { ca: s.caPem } } : {}),
  };
}

/**
 * The credential `kaito.azure` describes: a client secret, workload identity
 * (the AKS webhook's projected token) or DefaultAzureCredential.
 */
export function createAzureCredential(s: KaitoAzureSettings): TokenCredential {
  const common = commonOptions(s);
  switch (s.credential) {
    case 'clientSecret':
      return new ClientSecretCredential(
        s.tenantId!,
        s.clientId!,
        s.clientSecret!,
        common,
      );
    case 'workloadIdentity':
      return new WorkloadIdentityCredential({
        ...common,
        ...(s.tenantId ? { tenantId: s.tenantId } : {}),
        ...(s.clientId ? { clientId: s.clientId } : {}),
        ...(s.tokenFilePath ? { tokenFilePath: s.tokenFilePath } : {}),
      });
    default:
      return new DefaultAzureCredential({
        ...common,
        ...(s.tenantId ? { tenantId: s.tenantId } : {}),
        ...(s.clientId ? { managedIdentityClientId: s.clientId } : {}),
      });
  }
}
