import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  DeferredEntity,
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import { KaitoClusters } from '@kaito-backstage/plugin-kaito-node';
import { AksClusterSource } from './aksClusters';
import { clusterEntity } from './clusterEntity';
import { entityProblem } from './validateEntity';
import { listClusterWorkspaces } from './workspaceSource';
import { listClusterRagEngines } from './ragEngineSource';
import { ragEngineEntity } from './ragEngineEntity';
import { workspaceEntity } from './workspaceEntity';

export interface KaitoEntityProviderOptions {
  logger: LoggerService;
  /** Registered clusters (kaito-node); undefined turns workspace entities off. */
  kaito?: Pick<KaitoClusters, 'registry' | 'clients'>;
  /** Tagged AKS clusters; undefined turns cluster entities off. */
  aks?: AksClusterSource;
  /** Per-request timeout for cluster and ARM reads, ms. Default 15000. */
  timeoutMs?: number;
}

/** What one refresh found, for logs and tests. */
export interface RefreshSummary {
  workspaces: number;
  clusters: number;
  /** RAGEngine entities (`rag-engine`). */
  ragengines: number;
  /** Sources that failed; their previous entities were kept. */
  failed: string[];
}

/**
 * Derives catalog entities from the source of truth instead of a git host:
 * KAITO Workspaces that carry `backstage.io/owner` become `kaito-workspace`
 * Resources, AKS clusters tagged `backstage-owner` become
 * `kubernetes-cluster` Resources. Every refresh is a full mutation, so a
 * deleted Workspace or cluster leaves the catalog by itself. A source that
 * cannot be read keeps its last good entities (an outage never unregisters).
 */
export class KaitoEntityProvider implements EntityProvider {
  readonly #opts: KaitoEntityProviderOptions;
  #connection?: EntityProviderConnection;
  readonly #workspacesByCluster = new Map<string, Entity[]>();
  readonly #ragEnginesByCluster = new Map<string, Entity[]>();
  #clusters: Entity[] = [];
  #running?: Promise<RefreshSummary>;
  #queued?: Promise<RefreshSummary>;
  #pendingClusters = new Set<string>();

  constructor(options: KaitoEntityProviderOptions) {
    this.#opts = options;
  }

  getProviderName(): string {
    return 'kaito';
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.#connection = connection;
  }

  /**
   * Refreshes now. Concurrent calls share one queued run after the current
   * one, so a burst of sync requests costs at most two refreshes.
   * `cluster` names a cluster that may have just been registered.
   */
  refresh(hint: { cluster?: string } = {}): Promise<RefreshSummary> {
    if (hint.cluster) this.#pendingClusters.add(hint.cluster);
    if (!this.#running) {
      this.#running = this.#run().finally(() => {
        this.#running = undefined;
      });
      return this.#running;
    }
    this.#queued ??= this.#running
      .catch(() => undefined)
      .then(() => {
        this.#queued = undefined;
        return this.refresh();
      });
    return this.#queued;
  }

  async #run(): Promise<RefreshSummary> {
    if (!this.#connection) {
      throw new Error('KaitoEntityProvider is not connected to the catalog');
    }
    const failed: string[] = [];
    const signal = AbortSignal.timeout(this.#opts.timeoutMs ?? 15_000);
    const hinted = [...this.#pendingClusters];
    this.#pendingClusters.clear();

    if (this.#opts.aks) {
      try {
        const found = await this.#opts.aks.listClusters(signal);
        this.#clusters = await this.#valid(found.map(clusterEntity));
      } catch (error) {
        failed.push('azure');
        this.#opts.logger.warn(
          `Could not list AKS clusters; keeping the ${
            this.#clusters.length
          } known: ${(error as Error).message}`,
        );
      }
    }

    if (this.#opts.kaito) {
      await this.#refreshWorkspaces(this.#opts.kaito, hinted, failed);
      await this.#refreshRagEngines(this.#opts.kaito, failed);
    }

    const entities = dedupe(
      [
        ...this.#clusters,
        ...[...this.#workspacesByCluster.values()].flat(),
        ...[...this.#ragEnginesByCluster.values()].flat(),
      ],
      this.#opts.logger,
    );
    await this.#connection.applyMutation({
      type: 'full',
      entities: entities.map(
        (entity): DeferredEntity => ({
          entity,
          locationKey: `kaito-provider:${stringifyEntityRef(entity)}`,
        }),
      ),
    });
    const count = (type: string) =>
      entities.filter(e => e.spec?.type === type).length;
    const workspaces = count('kaito-workspace');
    const ragengines = count('rag-engine');
    return {
      workspaces,
      clusters: entities.length - workspaces - ragengines,
      ragengines,
      failed,
    };
  }

  /** RAGEngines with `backstage.io/owner` become `rag-engine` Resources; an unreadable cluster keeps its last ones. */
  async #refreshRagEngines(
    kaito: Pick<KaitoClusters, 'registry' | 'clients'>,
    failed: string[],
  ) {
    let listings;
    try {
      listings = await listClusterRagEngines(kaito, {
        timeoutMs: this.#opts.timeoutMs ?? 15_000,
      });
    } catch (error) {
      // Already reported by the workspace listing (same registry).
      return;
    }
    const seen = new Set<string>();
    for (const listing of listings) {
      seen.add(listing.cluster);
      if (!listing.ok) {
        if (!failed.includes(listing.cluster)) failed.push(listing.cluster);
        this.#opts.logger.warn(
          `Could not list RAGEngines on cluster '${listing.cluster}'; keeping its known entities: ${listing.message}`,
        );
        continue;
      }
      const entities = listing.ragengines
        .map(rag => ragEngineEntity(listing.cluster, rag))
        .filter((e): e is Entity => !!e);
      this.#ragEnginesByCluster.set(
        listing.cluster,
        await this.#valid(entities),
      );
    }
    for (const cluster of [...this.#ragEnginesByCluster.keys()]) {
      if (!seen.has(cluster)) this.#ragEnginesByCluster.delete(cluster);
    }
  }

  async #refreshWorkspaces(
    kaito: Pick<KaitoClusters, 'registry' | 'clients'>,
    hinted: string[],
    failed: string[],
  ) {
    for (const name of hinted) {
      // Forces the registry to reload catalog clusters when it does not know the name yet.
      await kaito.registry.getCluster(name).catch(error => {
        this.#opts.logger.warn(
          `Cluster '${name}' named by a sync request is not registered: ${
            (error as Error).message
          }`,
        );
      });
    }
    let listings;
    try {
      listings = await listClusterWorkspaces(kaito, {
        timeoutMs: this.#opts.timeoutMs ?? 15_000,
      });
    } catch (error) {
      failed.push('clusters');
      this.#opts.logger.warn(
        `Could not list clusters: ${(error as Error).message}`,
      );
      return;
    }
    const seen = new Set<string>();
    for (const listing of listings) {
      seen.add(listing.cluster);
      if (!listing.ok) {
        failed.push(listing.cluster);
        this.#opts.logger.warn(
          `Could not list Workspaces on cluster '${listing.cluster}'; keeping its known entities: ${listing.message}`,
        );
        continue;
      }
      const entities = listing.workspaces
        .map(ws => workspaceEntity(listing.cluster, ws))
        .filter((e): e is Entity => !!e);
      this.#workspacesByCluster.set(
        listing.cluster,
        await this.#valid(entities),
      );
    }
    for (const cluster of [...this.#workspacesByCluster.keys()]) {
      if (!seen.has(cluster)) this.#workspacesByCluster.delete(cluster);
    }
  }

  async #valid(entities: Entity[]): Promise<Entity[]> {
    const out: Entity[] = [];
    for (const entity of entities) {
      const problem = await entityProblem(entity);
      if (problem) {
        this.#opts.logger.warn(
          `Not registering ${entity.metadata.annotations?.['backstage.io/managed-by-location']}: ${problem}`,
        );
      } else {
        out.push(entity);
      }
    }
    return out;
  }
}

/** Keeps the first entity per ref; two sources naming the same entity are reported. */
function dedupe(entities: Entity[], logger: LoggerService): Entity[] {
  const byRef = new Map<string, Entity>();
  for (const e of entities) {
    const ref = stringifyEntityRef(e);
    const first = byRef.get(ref);
    if (first) {
      logger.warn(
        `${ref} is claimed by both ${first.metadata.annotations?.['backstage.io/managed-by-location']} and ${e.metadata.annotations?.['backstage.io/managed-by-location']}; keeping the first. Give one Workspace another entity name (label backstage.io/kubernetes-id).`,
      );
      continue;
    }
    byRef.set(ref, e);
  }
  return [...byRef.values()];
}
