import { InputError } from '@backstage/errors';
import type {
  KaitoAzure,
  KaitoClusters,
} from '@kaito-backstage/plugin-kaito-node';
import { fieldError } from './errors';

/** The `kaito.azure` access, or a clear error when it is not configured. */
export function requireAzure(clusters: KaitoClusters): KaitoAzure {
  if (!clusters.azure) {
    throw new InputError(
      'Azure is not configured: add kaito.azure (subscriptionId, tenantId, clientId, clientSecret or credential: default|workloadIdentity) to app-config',
    );
  }
  return clusters.azure;
}

/** Normalizes an Azure region ("East US" -> "eastus"), naming the field when malformed. */
export function normalizeLocation(value: string, field = 'location'): string {
  const loc = value.toLowerCase().replace(/\s+/g, '');
  if (!/^[a-z][a-z0-9]{2,39}$/.test(loc)) {
    throw fieldError(
      field,
      `'${value}' is not an Azure region name; use e.g. eastus, westeurope or swedencentral`,
    );
  }
  return loc;
}

/** Compares quota family names the way the portal does: case- and space-insensitively. */
export function sameFamily(a?: string, b?: string): boolean {
  const norm = (x?: string) => (x ?? '').toLowerCase().replace(/\s+/g, '');
  return norm(a) !== '' && norm(a) === norm(b);
}

/** Where to ask for more vCPU quota. */
export const QUOTA_REQUEST_URL =
  'https://portal.azure.com/#view/Microsoft_Azure_Capacity/QuotaMenuBlade/~/myQuotas';
