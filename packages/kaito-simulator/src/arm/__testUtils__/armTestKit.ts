import { ContainerServiceClient } from '@azure/arm-containerservice';
import { ComputeManagementClient } from '@azure/arm-compute';
import { stringify } from 'yaml';
import { startArmSimulator } from '../index';
import {
  ArmSimulatorOptions,
  ClusterRequest,
  RunningArmSimulator,
} from '../types';

export const SUBSCRIPTION_ID = '11111111-2222-3333-4444-555555555555';

/** The Entra credential stand-in: the simulator accepts any bearer token. */
export const fixedTokenCredential: ConstructorParameters<
  typeof ContainerServiceClient
>[0] = {
  getToken: async () => ({
    token: 'x',
    expiresOnTimestamp: Date.now() + 3600e3,
  }),
};

type Policy = Parameters<ContainerServiceClient['pipeline']['addPolicy']>[0];

/** A pipeline policy that records every request the SDK sends and its status. */
export function recordingPolicy(): {
  policy: Policy;
  log: Array<{ method: string; url: string; status: number }>;
} {
  const log: Array<{ method: string; url: string; status: number }> = [];
  return {
    log,
    policy: {
      name: 'recordingPolicy',
      async sendRequest(request, next) {
        const response = await next(request);
        log.push({
          method: request.method,
          url: request.url,
          status: response.status,
        });
        return response;
      },
    },
  };
}

/**
 * The collaborator the embedding simulator normally provides: a fixed
 * kubeconfig per cluster, with every call recorded for assertions.
 */
export function fakeClusterFactory() {
  const calls: ClusterRequest[] = [];
  const createCluster = async (req: ClusterRequest) => {
    calls.push(req);
    const server = `http://127.0.0.1:6443/${req.resourceGroup}/${req.name}`;
    const token = `token-for-${req.name}`;
    const kubeconfig = stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: req.name, cluster: { server } }],
      users: [{ name: 'clusterUser', user: { token } }],
      contexts: [
        { name: req.name, context: { cluster: req.name, user: 'clusterUser' } },
      ],
      'current-context': req.name,
    });
    return { server, token, kubeconfig };
  };
  return { calls, createCluster };
}

export async function startTestArm(
  overrides: Partial<ArmSimulatorOptions> = {},
): Promise<{
  arm: RunningArmSimulator;
  calls: ClusterRequest[];
  clientOptions: {
    endpoint: string;
    tlsOptions: { ca: string };
    retryOptions: { maxRetries: number };
  };
}> {
  const fake = fakeClusterFactory();
  const arm = await startArmSimulator({
    host: '127.0.0.1',
    subscriptionId: SUBSCRIPTION_ID,
    createCluster: fake.createCluster,
    operationDelayMs: 20,
    ...overrides,
  });
  return {
    arm,
    calls: fake.calls,
    clientOptions: {
      endpoint: arm.url,
      tlsOptions: { ca: arm.caPem },
      retryOptions: { maxRetries: 0 },
    },
  };
}

export function containerServiceClient(
  options: {
    endpoint: string;
    tlsOptions: { ca: string };
    retryOptions?: { maxRetries: number };
  },
  subscriptionId = SUBSCRIPTION_ID,
): ContainerServiceClient {
  return new ContainerServiceClient(
    fixedTokenCredential,
    subscriptionId,
    options,
  );
}

export function computeClient(options: {
  endpoint: string;
  tlsOptions: { ca: string };
  retryOptions?: { maxRetries: number };
}): ComputeManagementClient {
  return new ComputeManagementClient(
    fixedTokenCredential,
    SUBSCRIPTION_ID,
    options,
  );
}

/** The 25.x flattened model for a KAITO-ready cluster. */
export function kaitoCluster(
  location = 'eastus',
  extra: Record<string, unknown> = {},
) {
  return {
    location,
    identity: { type: 'SystemAssigned' as const },
    dnsPrefix: 'kaito',
    agentPoolProfiles: [
      {
        name: 'system',
        mode: 'System' as const,
        count: 2,
        vmSize: 'Standard_D4s_v5',
        osType: 'Linux' as const,
      },
    ],
    oidcIssuerProfile: { enabled: true },
    aiToolchainOperatorProfile: { enabled: true },
    ...extra,
  };
}

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) {
    items.push(item);
  }
  return items;
}
