import {
  KubeEvent,
  KubePod,
  RAGEngine,
} from '@kaito-backstage/plugin-kaito-common';
import {
  KubernetesClient,
  KubernetesRequestError,
} from '../kubernetes/KubernetesClient';
import { RagEngineKey } from './types';

/** What the cluster holds for one RAGEngine at one moment. */
export type RagEngineRead =
  | {
      status: 'found';
      ragengine: RAGEngine;
      pods: KubePod[];
      events: KubeEvent[];
    }
  | { status: 'notFound'; message: string }
  | { status: 'unavailable'; message: string };

/** Served versions, storage version first (KAITO serves v1beta1 and v1alpha1). */
const VERSIONS = ['v1beta1', 'v1alpha1'];
const MAX_EVENTS = 500;

/**
 * Reads a RAGEngine, its pods (`kaito.sh/ragengine=<name>`) and the Events
 * about it and its objects (`<name>` and `<name>-...`), three GETs through
 * the cluster's KubernetesClient. Never throws: an unreachable cluster is
 * `unavailable`, a missing object `notFound`.
 */
export async function readRagEngine(
  client: KubernetesClient,
  key: RagEngineKey,
  signal?: AbortSignal,
): Promise<RagEngineRead> {
  const ns = encodeURIComponent(key.namespace);
  const name = encodeURIComponent(key.name);
  let ragengine: RAGEngine | undefined;
  try {
    for (const version of VERSIONS) {
      try {
        ragengine = await client.getJson<RAGEngine>(
          `/apis/kaito.sh/${version}/namespaces/${ns}/ragengines/${name}`,
          undefined,
          { signal, timeoutMs: 15_000 },
        );
        break;
      } catch (error) {
        // 404: no such object, or this version is not served; try the next.
        if (
          !(error instanceof KubernetesRequestError) ||
          error.statusCode !== 404
        )
          throw error;
      }
    }
  } catch (error) {
    return { status: 'unavailable', message: (error as Error).message };
  }
  if (!ragengine) {
    return {
      status: 'notFound',
      message: `RAGEngine ${key.namespace}/${key.name} was not found on cluster '${key.cluster}'`,
    };
  }
  // Pods and Events are context: readiness is still told without them.
  const [pods, events] = await Promise.all([
    client
      .getJson<{ items?: KubePod[] }>(
        `/api/v1/namespaces/${ns}/pods`,
        { labelSelector: `kaito.sh/ragengine=${key.name}` },
        { signal, timeoutMs: 15_000 },
      )
      .then(l => l.items ?? [])
      .catch(() => [] as KubePod[]),
    client
      .getJson<{ items?: KubeEvent[] }>(
        `/api/v1/namespaces/${ns}/events`,
        { limit: MAX_EVENTS },
        { signal, timeoutMs: 15_000 },
      )
      .then(l =>
        (l.items ?? []).filter(e => {
          const n = e.involvedObject?.name ?? '';
          return n === key.name || n.startsWith(`${key.name}-`);
        }),
      )
      .catch(() => [] as KubeEvent[]),
  ]);
  return { status: 'found', ragengine, pods, events };
}
