import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  ContainerServiceClient,
  ManagedCluster,
} from '@azure/arm-containerservice';
import { azureErrorText } from './errors';

function elapsed(since: number) {
  const s = Math.round((Date.now() - since) / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${s % 60}s` : `${s}s`;
}

/**
 * Runs the managed-cluster PUT as a long-running operation, logging the
 * provisioning state as it changes and the elapsed time. A failed operation
 * is reported with Azure's error code and message.
 */
export async function runClusterLro(o: {
  client: ContainerServiceClient;
  resourceGroup: string;
  name: string;
  body: ManagedCluster;
  pollIntervalMs: number;
  logger: LoggerService;
  signal?: AbortSignal;
}): Promise<ManagedCluster> {
  const started = Date.now();
  let lastState = '';
  const report = (state: string | undefined) => {
    if (state && state !== lastState) {
      lastState = state;
      o.logger.info(
        `Cluster ${o.name}: provisioningState ${state} (after ${elapsed(
          started,
        )})`,
      );
    }
  };
  const poller = o.client.managedClusters.createOrUpdate(
    o.resourceGroup,
    o.name,
    o.body,
    {
      updateIntervalInMs: o.pollIntervalMs,
      abortSignal: o.signal,
    },
  );
  let polls = 0;
  poller.onProgress(() => {
    polls += 1;
    // The operation status has no provisioningState; read the resource
    // (a cheap GET) to show what AKS reports.
    void o.client.managedClusters
      .get(o.resourceGroup, o.name, { abortSignal: o.signal })
      .then(mc => report(mc.provisioningState))
      .catch(() => undefined);
    if (polls % 6 === 0)
      o.logger.info(
        `Cluster ${o.name}: still provisioning (after ${elapsed(started)})`,
      );
  });
  try {
    const mc = await poller;
    report(mc.provisioningState ?? 'Succeeded');
    o.logger.info(`Cluster ${o.name} is ready after ${elapsed(started)}`);
    return mc;
  } catch (error) {
    if ((error as Error)?.name === 'AbortError' || o.signal?.aborted) {
      throw new Error(
        `Creating cluster ${o.name} was cancelled after ${elapsed(
          started,
        )}; Azure may still finish the operation`,
      );
    }
    throw new Error(
      `Azure could not create or update cluster '${
        o.name
      }' in resource group '${o.resourceGroup}': ${azureErrorText(error)}`,
    );
  }
}
