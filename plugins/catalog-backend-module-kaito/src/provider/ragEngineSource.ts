import { KaitoClusters } from '@kaito-backstage/plugin-kaito-node';
import { RawRagEngine } from './ragEngineEntity';

/** RAGEngines of one cluster, or why they could not be read. */
export type RagEngineListing =
  | { cluster: string; ok: true; ragengines: RawRagEngine[] }
  | { cluster: string; ok: false; message: string };

/**
 * Lists the RAGEngines (kaito.sh/v1beta1) of every registered cluster. A
 * cluster without the RAGEngine CRD (404) has none; that is not a failure.
 */
export async function listClusterRagEngines(
  kaito: Pick<KaitoClusters, 'registry' | 'clients'>,
  options: { signal?: AbortSignal; timeoutMs?: number } = {},
): Promise<RagEngineListing[]> {
  const clusters = await kaito.registry.listClusters();
  return Promise.all(
    clusters.map(async ({ name }): Promise<RagEngineListing> => {
      try {
        const client = await kaito.clients.forCluster(name);
        const list = await client.getJson<{ items?: RawRagEngine[] }>(
          '/apis/kaito.sh/v1beta1/ragengines',
          undefined,
          { signal: options.signal, timeoutMs: options.timeoutMs },
        );
        return { cluster: name, ok: true, ragengines: list.items ?? [] };
      } catch (error) {
        if ((error as { statusCode?: number }).statusCode === 404) {
          return { cluster: name, ok: true, ragengines: [] };
        }
        return { cluster: name, ok: false, message: (error as Error).message };
      }
    }),
  );
}
