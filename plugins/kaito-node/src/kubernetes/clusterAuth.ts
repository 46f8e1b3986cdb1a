import { LoggerService } from '@backstage/backend-plugin-api';
import { DefaultAzureCredential, TokenCredential } from '@azure/identity';
import { readFile } from 'node:fs/promises';
import {
  ClusterConnectionDetails,
  SUPPORTED_AUTH_PROVIDERS,
} from '../clusters/types';

/** Supplies the bearer token (if any) for requests to one cluster. */
export interface ClusterTokenSource {
  getToken(): Promise<string | undefined>;
}

/** AKS Entra ID server application; tokens for it authenticate to AKS API servers. */
export const AKS_SCOPE = '6dae42f8-4368-4678-94ff-3960e28e3630/.default';
const IN_CLUSTER_TOKEN_FILE =
  '/var/run/secrets/kubernetes.io/serviceaccount/token';

/**
 * Server-side Azure token for AKS clusters with Entra ID, as Backstage's
 * `azure` auth provider does: DefaultAzureCredential, cached, refreshed
 * 15 minutes before expiry, one fetch in flight at a time.
 */
export class AzureTokenSource implements ClusterTokenSource {
  #token = { token: '', expiresOnTimestamp: 0 };
  #pending?: Promise<string>;

  constructor(
    private readonly credential: TokenCredential,
    private readonly logger: LoggerService,
  ) {}

  async getToken(): Promise<string> {
    if (Date.now() < this.#token.expiresOnTimestamp - 15 * 60_000) {
      return this.#token.token;
    }
    if (!this.#pending) {
      this.#pending = this.#fetch().finally(() => {
        this.#pending = undefined;
      });
    }
    return this.#pending;
  }

  async #fetch(): Promise<string> {
    try {
      const token = await this.credential.getToken(AKS_SCOPE, {
        requestOptions: { timeout: 10_000 },
      });
      if (!token) throw new Error('the credential returned no token');
      this.#token = token;
    } catch (error) {
      this.logger.warn(
        `Could not get an Azure token for AKS: ${(error as Error).message}`,
      );
      // A still-valid token is better than failing every request.
      if (Date.now() >= this.#token.expiresOnTimestamp) {
        throw new Error(
          `Could not get an Azure token for AKS (scope ${AKS_SCOPE}); check the DefaultAzureCredential environment (AZURE_CLIENT_ID, workload identity or az login)`,
        );
      }
    }
    return this.#token.token;
  }
}

/**
 * A service account token from config, or the pod's projected token when
 * Backstage runs in the cluster (re-read each minute: it rotates).
 */
export class ServiceAccountTokenSource implements ClusterTokenSource {
  #cached?: { token: string; readAt: number };

  constructor(
    private readonly clusterName: string,
    private readonly configuredToken?: string,
    private readonly tokenFile = IN_CLUSTER_TOKEN_FILE,
  ) {}

  async getToken(): Promise<string> {
    if (this.configuredToken) return this.configuredToken;
    if (this.#cached && Date.now() - this.#cached.readAt < 60_000) {
      return this.#cached.token;
    }
    try {
      const token = (await readFile(this.tokenFile, 'utf8')).trim();
      this.#cached = { token, readAt: Date.now() };
      return token;
    } catch {
      throw new Error(
        `Cluster '${this.clusterName}' uses authProvider serviceAccount but has no serviceAccountToken, and no in-cluster token was found at ${this.tokenFile}`,
      );
    }
  }
}

export interface TokenSourceOptions {
  /** The token source shared by every `azure` cluster (one AKS scope). */
  azure: () => ClusterTokenSource;
}

/** An AzureTokenSource over DefaultAzureCredential unless one is given. */
export function createAzureTokenSource(
  logger: LoggerService,
  credential?: TokenCredential,
): AzureTokenSource {
  return new AzureTokenSource(
    credential ?? new DefaultAzureCredential(),
    logger,
  );
}

/** Builds the token source for a cluster's auth provider, or explains why not. */
export function createTokenSource(
  cluster: ClusterConnectionDetails,
  options: TokenSourceOptions,
): ClusterTokenSource {
  switch (cluster.authProvider) {
    case 'serviceAccount':
      return new ServiceAccountTokenSource(
        cluster.name,
        cluster.serviceAccountToken,
      );
    case 'azure':
      return options.azure();
    case 'localKubectlProxy':
      return { getToken: async () => undefined };
    default:
      throw new Error(
        `Cluster '${cluster.name}' uses authProvider '${
          cluster.authProvider
        }', which KAITO cannot use server-side; use one of ${SUPPORTED_AUTH_PROVIDERS.join(
          ', ',
        )}`,
      );
  }
}
