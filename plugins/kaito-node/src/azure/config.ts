import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { readFileSync } from 'node:fs';

/** How the portal authenticates to Azure (ARM, and AKS Entra ID clusters). */
export type AzureCredentialKind =
  | 'default'
  | 'clientSecret'
  | 'workloadIdentity';

/** `kaito.azure`, read and checked. Holds a secret: never log it whole. */
export interface KaitoAzureSettings {
  /** Default subscription for actions that do not name one. */
  subscriptionId?: string;
  tenantId?: string;
  clientId?: string;
  /** Only with `credential: clientSecret`. */
  clientSecret?: string;
  credential: AzureCredentialKind;
  /** Workload identity token file (default from AZURE_FEDERATED_TOKEN_FILE). */
  tokenFilePath?: string;
  /** ARM base URL; default https://management.azure.com. */
  armEndpoint?: string;
  /** Entra ID authority host; default https://login.microsoftonline.com. */
  authorityHost?: string;
  /** Skip Entra instance discovery (needed for a private authority such as the simulator). */
  disableInstanceDiscovery: boolean;
  /** Extra CA (PEM) trusted for ARM and the authority (the simulator's self-signed certificate). */
  caPem?: string;
  /** Why `tls.caFile` could not be read (logged; calls then fail TLS with a clear error). */
  caFileProblem?: string;
  retry: {
    maxRetries?: number;
    retryDelayInMs?: number;
    maxRetryDelayInMs?: number;
  };
  /** How often long-running operations are polled, ms. Default 10000 (SDK's 2000 is chatty for AKS). */
  pollIntervalMs: number;
}

const GUID = /^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;

function httpsUrl(value: string | undefined, key: string) {
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InputError(
      `kaito.azure.${key} must be an https URL, got '${value}'`,
    );
  }
  if (url.protocol !== 'https:') {
    throw new InputError(
      `kaito.azure.${key} must use https (the Azure SDKs send bearer tokens only over TLS), got '${value}'`,
    );
  }
  return value.replace(/\/+$/, '');
}

/**
 * Reads `kaito.azure`. Returns undefined when the section is absent (no Azure
 * features). Throws InputError naming the key for a bad value.
 */
export function readKaitoAzureSettings(
  config: Config,
): KaitoAzureSettings | undefined {
  const c = config.getOptionalConfig('kaito.azure');
  if (!c) return undefined;
  const subscriptionId = c.getOptionalString('subscriptionId');
  if (subscriptionId !== undefined && !GUID.test(subscriptionId)) {
    throw new InputError(
      `kaito.azure.subscriptionId must be a subscription GUID, got '${subscriptionId}'`,
    );
  }
  const clientSecret = c.getOptionalString('clientSecret');
  const kind =
    c.getOptionalString('credential') ??
    (clientSecret ? 'clientSecret' : 'default');
  if (!['default', 'clientSecret', 'workloadIdentity'].includes(kind)) {
    throw new InputError(
      `kaito.azure.credential must be default, clientSecret or workloadIdentity, got '${kind}'`,
    );
  }
  const tenantId = c.getOptionalString('tenantId');
  const clientId = c.getOptionalString('clientId');
  if (kind === 'clientSecret' && (!tenantId || !clientId || !clientSecret)) {
    throw new InputError(
      'kaito.azure.credential clientSecret needs kaito.azure.tenantId, kaito.azure.clientId and kaito.azure.clientSecret',
    );
  }
  const caFile = c.getOptionalString('tls.caFile') || undefined;
  let caPem = c.getOptionalString('tls.caPem') || undefined;
  let caFileProblem: string | undefined;
  if (caFile) {
    try {
      caPem = readFileSync(caFile, 'utf8');
    } catch (e) {
      // Not fatal: the rest of the portal must start; Azure calls will fail
      // TLS verification and say so.
      caFileProblem = `kaito.azure.tls.caFile '${caFile}' cannot be read (${
        (e as NodeJS.ErrnoException).code ?? 'error'
      }); Azure calls will not trust that CA`;
    }
  }
  const nonNegative = (key: string) => {
    const v = c.getOptionalNumber(key);
    if (v !== undefined && !(Number.isFinite(v) && v >= 0)) {
      throw new InputError(
        `kaito.azure.${key} must be a number >= 0, got ${v}`,
      );
    }
    return v;
  };
  return {
    subscriptionId,
    tenantId,
    clientId,
    clientSecret,
    credential: kind as AzureCredentialKind,
    tokenFilePath: c.getOptionalString('tokenFilePath'),
    armEndpoint: httpsUrl(c.getOptionalString('armEndpoint'), 'armEndpoint'),
    authorityHost: httpsUrl(
      c.getOptionalString('authorityHost'),
      'authorityHost',
    ),
    disableInstanceDiscovery:
      c.getOptionalBoolean('disableInstanceDiscovery') ?? false,
    caPem,
    caFileProblem,
    retry: {
      maxRetries: nonNegative('retry.maxRetries'),
      retryDelayInMs: nonNegative('retry.retryDelayInMs'),
      maxRetryDelayInMs: nonNegative('retry.maxRetryDelayInMs'),
    },
    pollIntervalMs: nonNegative('pollIntervalMs') ?? 10_000,
  };
}
