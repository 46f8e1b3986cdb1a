import { CompoundEntityRef } from '@backstage/catalog-model';
import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  ChatCompletionChunk,
  ChatCompletionRequest,
  Conversation,
  ConversationInput,
  ConversationList,
  ConversationSummary,
} from '@kaito-backstage/plugin-kaito-common';
import {
  KaitoChatApi,
  KaitoChatModel,
  KaitoChatRequestOptions,
} from './KaitoChatApi';
import { completionAsChunk, readChatCompletionStream } from './chatSse';

/**
 * {@link KaitoChatApi} over `kaito-backend` (`/api/kaito`), with the app's
 * fetchApi (Backstage credentials) and discoveryApi.
 *
 * @public
 */
export class KaitoChatClient implements KaitoChatApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  async listModels(
    entity: CompoundEntityRef,
    options?: KaitoChatRequestOptions,
  ): Promise<KaitoChatModel[]> {
    const list = await this.json<{ data?: KaitoChatModel[] }>(
      entity,
      '/models',
      { signal: options?.signal },
    );
    return Array.isArray(list.data) ? list.data : [];
  }

  async *streamChatCompletion(
    entity: CompoundEntityRef,
    request: ChatCompletionRequest,
    options?: KaitoChatRequestOptions,
  ): AsyncGenerator<ChatCompletionChunk> {
    const response = await this.request(entity, '/chat/completions', {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'text/event-stream',
      },
      body: JSON.stringify({ ...request, stream: true }),
      signal: options?.signal,
    });
    // A backend may answer a whole completion as JSON (e.g. a RAG answer with its sources).
    if (response.headers.get('content-type')?.includes('application/json')) {
      yield completionAsChunk(await response.json());
      return;
    }
    if (!response.body) {
      throw new Error('The chat answer has no body to stream');
    }
    yield* readChatCompletionStream(response.body, options?.signal);
  }

  async listConversations(
    entity: CompoundEntityRef,
  ): Promise<ConversationSummary[]> {
    const list = await this.json<ConversationList>(entity, '/conversations');
    return list.items;
  }

  getConversation(
    entity: CompoundEntityRef,
    id: string,
  ): Promise<Conversation> {
    return this.json(entity, `/conversations/${encodeURIComponent(id)}`);
  }

  createConversation(
    entity: CompoundEntityRef,
    input: ConversationInput,
  ): Promise<Conversation> {
    return this.json(entity, '/conversations', jsonBody('POST', input));
  }

  updateConversation(
    entity: CompoundEntityRef,
    id: string,
    input: ConversationInput,
  ): Promise<Conversation> {
    return this.json(
      entity,
      `/conversations/${encodeURIComponent(id)}`,
      jsonBody('PUT', input),
    );
  }

  async deleteConversation(
    entity: CompoundEntityRef,
    id: string,
  ): Promise<void> {
    await this.request(entity, `/conversations/${encodeURIComponent(id)}`, {
      method: 'DELETE',
    });
  }

  private async json<T>(
    entity: CompoundEntityRef,
    path: string,
    init?: RequestInit,
  ): Promise<T> {
    const response = await this.request(entity, path, init);
    return (await response.json()) as T;
  }

  /** Fetches an entity route; a non-2xx answer throws a ResponseError. */
  private async request(
    entity: CompoundEntityRef,
    path: string,
    init?: RequestInit,
  ): Promise<Response> {
    const base = await this.discoveryApi.getBaseUrl('kaito');
    const url = `${base}/entity/${[entity.kind, entity.namespace, entity.name]
      .map(encodeURIComponent)
      .join('/')}${path}`;
    const response = await this.fetchApi.fetch(url, init);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response;
  }
}

function jsonBody(method: string, body: unknown): RequestInit {
  return {
    method,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  };
}
