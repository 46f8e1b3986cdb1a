import { KaitoClusters } from '@kaito-backstage/plugin-kaito-node';
import { RawWorkspace } from './workspaceEntity';

/** Workspaces of one cluster, or why they could not be read. */
export type ClusterListing =
  | { cluster: string; ok: true; workspaces: RawWorkspace[] }
  | { cluster: string; ok: false; message: string };

const VERSIONS = ['v1beta1', 'v1alpha1'];

/**
 * Lists the Workspaces of every registered cluster (one LIST per cluster, in
 * the served version: v1beta1, else v1alpha1 for older controllers).
 */
export async function listClusterWorkspaces(
  kaito: Pick<KaitoClusters, 'registry' | 'clients'>,
  options: { signal?: AbortSignal; timeoutMs?: number } = {},
): Promise<ClusterListing[]> {
  const clusters = await kaito.registry.listClusters();
  return Promise.all(
    clusters.map(async ({ name }): Promise<ClusterListing> => {
      try {
        const client = await kaito.clients.forCluster(name);
        let lastError: unknown;
        for (const version of VERSIONS) {
          try {
            const list = await client.getJson<{ items?: RawWorkspace[] }>(
              `/apis/kaito.sh/${version}/workspaces`,
              undefined,
              { signal: options.signal, timeoutMs: options.timeoutMs },
            );
            return { cluster: name, ok: true, workspaces: list.items ?? [] };
          } catch (error) {
            lastError = error;
            if ((error as { statusCode?: number }).statusCode !== 404) break;
          }
        }
        if ((lastError as { statusCode?: number }).statusCode === 404) {
          // No KAITO on this cluster: nothing to register, not a failure.
          return { cluster: name, ok: true, workspaces: [] };
        }
        throw lastError;
      } catch (error) {
        return { cluster: name, ok: false, message: (error as Error).message };
      }
    }),
  );
}
