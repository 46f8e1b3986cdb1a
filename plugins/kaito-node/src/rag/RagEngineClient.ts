import {
  RagDeleteDocumentsResponse,
  RagDocument,
  RagIndexRequest,
  RagListDocumentsResponse,
  RagRetrieveRequest,
  RagRetrieveResponse,
} from '@kaito-backstage/plugin-kaito-common';
import { IncomingMessage } from 'node:http';
import { readBody } from '../kubernetes/KubernetesClient';
import { UpstreamError } from '../inference/UpstreamError';
import { RagEngineTarget } from './ragEngineTarget';
import { ragNetworkError, ragStatusError } from './ragEngineErrors';

export interface RagEngineClientOptions {
  /** Deadline for reads and deletes (default 30 s). */
  timeoutMs?: number;
  /** Deadline for `POST /index` (default 120 s: the engine embeds every chunk). */
  indexTimeoutMs?: number;
  /** Largest answer read (default 8 MiB). */
  maxResponseBytes?: number;
}

interface CallOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
}

const JSON_HEADERS = {
  'content-type': 'application/json',
  accept: 'application/json',
};

/**
 * The HTTP API of one RAGEngine (KAITO `presets/ragengine`). Every call has
 * a deadline and a cap on the answer it reads; every failure is an
 * {@link UpstreamError} whose message carries the engine's `detail` with
 * cluster-internal addresses redacted, never a URL or a token.
 */
export class RagEngineClient {
  readonly #timeout: number;
  readonly #indexTimeout: number;
  readonly #maxBytes: number;

  constructor(
    readonly target: RagEngineTarget,
    options: RagEngineClientOptions = {},
  ) {
    this.#timeout = options.timeoutMs ?? 30_000;
    this.#indexTimeout = options.indexTimeoutMs ?? 120_000;
    this.#maxBytes = options.maxResponseBytes ?? 8 * 1024 * 1024;
  }

  get label() {
    return this.target.label;
  }

  /** `GET /health`. */
  health(o?: CallOptions): Promise<{ status: string; detail?: unknown }> {
    return this.#json('GET', '/health', undefined, o);
  }

  /** `GET /indexes`: every index the engine holds. */
  async listIndexes(o?: CallOptions): Promise<string[]> {
    const answer = await this.#json<unknown>('GET', '/indexes', undefined, o);
    if (!Array.isArray(answer) || answer.some(n => typeof n !== 'string')) {
      throw this.#invalid('/indexes');
    }
    return answer as string[];
  }

  /**
   * `GET /indexes/{index}/documents`. An index the engine does not hold yet
   * (it is created by the first document added) lists as empty.
   */
  async listDocuments(
    index: string,
    page: { limit: number; offset: number; maxTextLength?: number },
    o?: CallOptions,
  ): Promise<RagListDocumentsResponse> {
    const query = new URLSearchParams({
      limit: String(page.limit),
      offset: String(page.offset),
      max_text_length: String(page.maxTextLength ?? 1000),
    });
    try {
      const answer = await this.#json<RagListDocumentsResponse>(
        'GET',
        `/indexes/${encodeURIComponent(index)}/documents?${query}`,
        undefined,
        o,
      );
      if (!Array.isArray(answer?.documents)) throw this.#invalid('documents');
      return answer;
    } catch (error) {
      if (isNoSuchIndex(error)) {
        return { documents: [], count: 0, total_items: 0 };
      }
      throw error;
    }
  }

  /** `POST /index`: adds documents (creating the index when new); answers them with their `doc_id`s. */
  async index(
    request: RagIndexRequest,
    o?: CallOptions,
  ): Promise<RagDocument[]> {
    const answer = await this.#json<unknown>('POST', '/index', request, {
      timeoutMs: this.#indexTimeout,
      ...o,
    });
    if (!Array.isArray(answer)) throw this.#invalid('/index');
    return answer as RagDocument[];
  }

  /** `POST /indexes/{index}/documents/delete`. */
  deleteDocuments(
    index: string,
    docIds: string[],
    o?: CallOptions,
  ): Promise<RagDeleteDocumentsResponse> {
    return this.#json(
      'POST',
      `/indexes/${encodeURIComponent(index)}/documents/delete`,
      { doc_ids: docIds },
      o,
    );
  }

  /** `POST /retrieve`. */
  retrieve(
    request: RagRetrieveRequest,
    o?: CallOptions,
  ): Promise<RagRetrieveResponse> {
    return this.#json('POST', '/retrieve', request, o);
  }

  /**
   * `POST /v1/chat/completions` with the body as given; resolves with the
   * 2xx response unread (for the chat relay), throws on anything else.
   */
  async chat(body: unknown, signal: AbortSignal): Promise<IncomingMessage> {
    const res = await this.#send('POST', '/v1/chat/completions', body, signal);
    if (res.statusCode! < 200 || res.statusCode! >= 300) {
      const text = await this.#read(res, signal);
      throw ragStatusError(
        this.label,
        res.statusCode!,
        text,
        header(res, 'retry-after'),
      );
    }
    return res;
  }

  async #json<T>(
    method: string,
    path: string,
    body: unknown,
    o: CallOptions = {},
  ): Promise<T> {
    const signal = AbortSignal.any(
      [o.signal, AbortSignal.timeout(o.timeoutMs ?? this.#timeout)].filter(
        (s): s is AbortSignal => !!s,
      ),
    );
    const res = await this.#send(method, path, body, signal);
    const text = await this.#read(res, signal);
    if (res.statusCode! < 200 || res.statusCode! >= 300) {
      throw ragStatusError(
        this.label,
        res.statusCode!,
        text,
        header(res, 'retry-after'),
      );
    }
    try {
      return JSON.parse(text) as T;
    } catch {
      throw this.#invalid(path.split('?')[0]);
    }
  }

  async #send(
    method: string,
    path: string,
    body: unknown,
    signal: AbortSignal,
  ): Promise<IncomingMessage> {
    try {
      return await this.target.send(path, {
        method,
        headers: JSON_HEADERS,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
      });
    } catch (error) {
      throw ragNetworkError(this.label, error, signal);
    }
  }

  async #read(res: IncomingMessage, signal: AbortSignal): Promise<string> {
    try {
      return await readBody(res, this.#maxBytes);
    } catch (error) {
      if (String((error as Error)?.message).startsWith('response larger')) {
        throw new UpstreamError(
          'invalid_response',
          `${this.label} answered with more than ${
            this.#maxBytes
          } bytes (kaito.rag.maxResponseBytes)`,
          502,
        );
      }
      throw ragNetworkError(this.label, error, signal);
    }
  }

  #invalid(what: string) {
    return new UpstreamError(
      'invalid_response',
      `${this.label} answered ${what} with something that is not the RAGEngine API's answer`,
      502,
    );
  }
}

/** The engine's 404 for an index it does not hold: `No such index: '<name>' exists.` */
export function isNoSuchIndex(error: unknown): boolean {
  return (
    error instanceof UpstreamError &&
    error.details.upstreamStatus === 404 &&
    /no such index/i.test(error.message)
  );
}

function header(res: IncomingMessage, name: string): string | undefined {
  const v = res.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
