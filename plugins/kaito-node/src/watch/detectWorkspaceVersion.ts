import { LoggerService } from '@backstage/backend-plugin-api';
import {
  KAITO_GROUP,
  WORKSPACE_VERSIONS,
} from '@kaito-backstage/plugin-kaito-common';
import {
  KubernetesClient,
  KubernetesRequestError,
} from '../kubernetes/KubernetesClient';
import { sleep } from './sleep';

export interface VersionProbe {
  client: KubernetesClient;
  logger: LoggerService;
  backoffMs: { min: number; max: number };
  /** Ends the probe (stop() of the cache). */
  signal: AbortSignal;
  /** Told why the cluster cannot be watched yet, after every failed attempt. */
  onError(message: string): void;
}

/** The Workspace API versions a cluster serves, and the one to watch. */
export interface ServedWorkspaceVersions {
  /** The version to watch (v1beta1 preferred). */
  version: string;
  /** Every version of the kaito.sh group the cluster serves. */
  served: string[];
}

/**
 * Picks the served Workspace version (v1beta1 preferred), retrying with
 * backoff while KAITO is absent or serves none the cache reads. Undefined
 * once the signal aborted.
 */
export async function detectWorkspaceVersion(
  probe: VersionProbe,
): Promise<ServedWorkspaceVersions | undefined> {
  const { client, signal } = probe;
  const { min, max } = probe.backoffMs;
  const cluster = client.cluster.name;
  for (let attempt = 0; !signal.aborted; attempt++) {
    let error: string;
    try {
      const group = await client.getJson(`/apis/${KAITO_GROUP}`, undefined, {
        signal,
        timeoutMs: 10_000,
      });
      const served: string[] = (group?.versions ?? []).map(
        (v: any) => v.version,
      );
      const version = WORKSPACE_VERSIONS.find(v => served.includes(v));
      if (version) return { version, served };
      error = `KAITO on cluster '${cluster}' serves none of the Workspace versions ${WORKSPACE_VERSIONS.join(
        ', ',
      )}`;
    } catch (e) {
      if (signal.aborted) return undefined;
      const failure = e as KubernetesRequestError;
      error =
        failure.statusCode === 404
          ? `KAITO is not installed on cluster '${cluster}' (no ${KAITO_GROUP} API group)`
          : failure.message;
    }
    probe.onError(error);
    probe.logger.warn(error);
    await sleep(Math.min(max, min * 2 ** attempt), signal);
  }
  return undefined;
}
