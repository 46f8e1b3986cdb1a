import { parseEntityRef } from '@backstage/catalog-model';
import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  RagAddDocumentsAnswer,
  RagDeleteDocumentsAnswer,
  RagDocumentsAnswer,
  RagEngineSnapshot,
  RagIndexesAnswer,
  RagTechDocsAnswer,
  WorkspaceSnapshot,
} from '@kaito-backstage/plugin-kaito-common';
import type {
  EntityWorkspaceLoad,
  EntityWorkspaceSnapshot,
  KaitoApi,
  KaitoStreamOptions,
  KaitoWorkspaceList,
} from './KaitoApi';
import { DEFAULT_BACKOFF } from './backoff';
import type { KaitoRagApi } from './rag/KaitoRagApi';
import { SnapshotStreamSettings, followSnapshotStream } from './snapshotStream';

/**
 * Options of {@link KaitoClient}.
 *
 * @public
 */
export interface KaitoClientOptions {
  discoveryApi: DiscoveryApi;
  fetchApi: FetchApi;
  /** Reconnect backoff of readiness streams (default 500 ms doubling to 30 s, jittered). */
  backoff?: { minMs: number; maxMs: number };
  /**
   * A readiness stream that sends nothing (not even a heartbeat) this long is treated as dropped
   * and reopened. Default 45 s, three of the backend's default 15 s heartbeats.
   */
  stallTimeoutMs?: number;
}

/**
 * The default {@link KaitoApi} and {@link KaitoRagApi}: `fetchApi` (Backstage credentials) against
 * the `kaito` backend plugin found through `discoveryApi`. Readiness streams are parsed with
 * `eventsource-parser`.
 *
 * @public
 */
export class KaitoClient implements KaitoApi, KaitoRagApi {
  readonly #discoveryApi: DiscoveryApi;
  readonly #fetchApi: FetchApi;
  readonly #stream: SnapshotStreamSettings;

  constructor(options: KaitoClientOptions) {
    this.#discoveryApi = options.discoveryApi;
    this.#fetchApi = options.fetchApi;
    this.#stream = {
      fetchApi: options.fetchApi,
      backoff: options.backoff ?? DEFAULT_BACKOFF,
      stallTimeoutMs: options.stallTimeoutMs ?? 45_000,
    };
  }

  async getWorkspace(entityRef: string): Promise<EntityWorkspaceSnapshot> {
    return this.#getJson(`${await this.#entityUrl(entityRef)}/workspace`);
  }

  async getWorkspaceLoad(entityRef: string): Promise<EntityWorkspaceLoad> {
    return this.#getJson(`${await this.#entityUrl(entityRef)}/load`);
  }

  async listWorkspaces(): Promise<KaitoWorkspaceList> {
    const base = await this.#discoveryApi.getBaseUrl('kaito');
    return this.#getJson(`${base}/workspaces`);
  }

  async streamWorkspace(
    entityRef: string,
    onSnapshot: (snapshot: WorkspaceSnapshot) => void,
    signal: AbortSignal,
    options: KaitoStreamOptions = {},
  ): Promise<void> {
    const url = `${await this.#entityUrl(entityRef)}/workspace/events`;
    return followSnapshotStream(this.#stream, url, onSnapshot, signal, options);
  }

  // ---- RAGEngine entities (KaitoRagApi) ----

  async getRagEngine(entityRef: string): Promise<RagEngineSnapshot> {
    return this.#getJson(`${await this.#entityUrl(entityRef)}/ragengine`);
  }

  async streamRagEngine(
    entityRef: string,
    onSnapshot: (snapshot: RagEngineSnapshot) => void,
    signal: AbortSignal,
    options: KaitoStreamOptions = {},
  ): Promise<void> {
    const url = `${await this.#entityUrl(entityRef)}/ragengine/events`;
    return followSnapshotStream(this.#stream, url, onSnapshot, signal, options);
  }

  async listRagIndexes(entityRef: string): Promise<RagIndexesAnswer> {
    return this.#getJson(`${await this.#entityUrl(entityRef)}/rag/indexes`);
  }

  async listRagDocuments(
    entityRef: string,
    page: { limit?: number; offset?: number } = {},
  ): Promise<RagDocumentsAnswer> {
    const query = new URLSearchParams();
    if (page.limit !== undefined) query.set('limit', String(page.limit));
    if (page.offset !== undefined) query.set('offset', String(page.offset));
    const qs = query.toString();
    return this.#getJson(
      `${await this.#entityUrl(entityRef)}/rag/documents${qs ? `?${qs}` : ''}`,
    );
  }

  async addRagDocuments(
    entityRef: string,
    files: File[],
  ): Promise<RagAddDocumentsAnswer> {
    const form = new FormData();
    for (const file of files) form.append('files', file, file.name);
    // No Content-Type: fetch sets multipart/form-data with its boundary.
    return this.#sendJson(`${await this.#entityUrl(entityRef)}/rag/documents`, {
      method: 'POST',
      body: form,
    });
  }

  async addRagText(
    entityRef: string,
    text: string,
    title?: string,
  ): Promise<RagAddDocumentsAnswer> {
    return this.#sendJson(
      `${await this.#entityUrl(entityRef)}/rag/documents`,
      jsonPost({ documents: [title ? { text, title } : { text }] }),
    );
  }

  async deleteRagDocuments(
    entityRef: string,
    docIds: string[],
  ): Promise<RagDeleteDocumentsAnswer> {
    return this.#sendJson(
      `${await this.#entityUrl(entityRef)}/rag/documents/delete`,
      jsonPost({ doc_ids: docIds }),
    );
  }

  async indexTechDocs(entityRef: string): Promise<RagTechDocsAnswer> {
    return this.#sendJson(
      `${await this.#entityUrl(entityRef)}/rag/techdocs`,
      jsonPost({}),
    );
  }

  async #entityUrl(entityRef: string): Promise<string> {
    const { kind, namespace, name } = parseEntityRef(entityRef);
    const base = await this.#discoveryApi.getBaseUrl('kaito');
    return `${base}/entity/${[kind, namespace, name]
      .map(p => encodeURIComponent(p.toLocaleLowerCase('en-US')))
      .join('/')}`;
  }

  async #getJson<T>(url: string): Promise<T> {
    return this.#sendJson(url);
  }

  async #sendJson<T>(url: string, init?: RequestInit): Promise<T> {
    const response = await this.#fetchApi.fetch(url, init);
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return (await response.json()) as T;
  }
}

function jsonPost(body: unknown): RequestInit {
  return {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  };
}
