import { createApiRef } from '@backstage/core-plugin-api';
import type {
  WorkspaceLoad,
  WorkspaceSnapshot,
} from '@kaito-backstage/plugin-kaito-common';

/**
 * A Workspace snapshot for a catalog entity (`GET /entity/:kind/:namespace/:name/workspace`).
 *
 * @public
 */
export type EntityWorkspaceSnapshot = WorkspaceSnapshot & { entityRef: string };

/**
 * The live load of the model server behind an entity (`GET /entity/:kind/:namespace/:name/load`).
 *
 * @public
 */
export type EntityWorkspaceLoad = WorkspaceLoad & { entityRef: string };

/**
 * One configured cluster as `GET /workspaces` reports it.
 *
 * @public
 */
export interface KaitoClusterStatus {
  cluster: string;
  /** e.g. `ok`, `unavailable`; free text from the backend. */
  status: string;
  message?: string;
  count: number;
}

/**
 * Every Workspace on every configured cluster (`GET /workspaces`).
 *
 * @public
 */
export interface KaitoWorkspaceList {
  clusters: KaitoClusterStatus[];
  items: WorkspaceSnapshot[];
}

/**
 * The state of a readiness stream, reported while {@link KaitoApi.streamWorkspace} runs.
 *
 * - `connecting`: the request is on its way (first attempt).
 * - `live`: the stream is open and snapshots arrive.
 * - `reconnecting`: the stream dropped; the next attempt is in `retryInMs`. `error` says why.
 *
 * @public
 */
export type KaitoStreamState =
  | { state: 'connecting' }
  | { state: 'live' }
  | { state: 'reconnecting'; attempt: number; retryInMs: number; error: Error };

/**
 * Options of {@link KaitoApi.streamWorkspace}.
 *
 * @public
 */
export interface KaitoStreamOptions {
  /** Called whenever the connection state changes. */
  onStateChange?: (state: KaitoStreamState) => void;
}

/**
 * Client for the `kaito-backend` routes under `/api/kaito`.
 *
 * @public
 */
export interface KaitoApi {
  /** The current readiness snapshot of the Workspace behind an entity. */
  getWorkspace(entityRef: string): Promise<EntityWorkspaceSnapshot>;

  /** Every Workspace on every configured cluster. */
  listWorkspaces(): Promise<KaitoWorkspaceList>;

  /**
   * The live load of the model server behind an entity (vLLM's requests running and waiting,
   * KV-cache usage, tokens/s). Rejects with a 409 until the Workspace is Ready.
   */
  getWorkspaceLoad(entityRef: string): Promise<EntityWorkspaceLoad>;

  /**
   * Follows the readiness of the Workspace behind an entity over server-sent events, calling
   * `onSnapshot` now and on every change. Reconnects with backoff after drops and server-side
   * closes. Resolves when `signal` aborts; rejects when the backend refuses the stream for a
   * reason a retry cannot fix (a 4xx other than 429: missing entity, wrong annotation, denied).
   */
  streamWorkspace(
    entityRef: string,
    onSnapshot: (snapshot: WorkspaceSnapshot) => void,
    signal: AbortSignal,
    options?: KaitoStreamOptions,
  ): Promise<void>;
}

/**
 * Reference to the {@link KaitoApi}.
 *
 * @public
 */
export const kaitoApiRef = createApiRef<KaitoApi>({ id: 'plugin.kaito.api' });
