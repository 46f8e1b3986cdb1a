import { CompoundEntityRef } from '@backstage/catalog-model';
import { createApiRef } from '@backstage/core-plugin-api';
import {
  ChatCompletionChunk,
  ChatCompletionRequest,
  Conversation,
  ConversationInput,
  ConversationSummary,
} from '@kaito-backstage/plugin-kaito-common';

/**
 * One model an entity's inference endpoint serves (an entry of the OpenAI
 * `GET /v1/models` list).
 *
 * @public
 */
export interface KaitoChatModel {
  id: string;
  owned_by?: string;
  /** vLLM: the longest context the model accepts. */
  max_model_len?: number;
}

/**
 * Options of a request the caller can cancel.
 *
 * @public
 */
export interface KaitoChatRequestOptions {
  /** Aborts the request; a streaming answer stops and the backend aborts the model. */
  signal?: AbortSignal;
}

/**
 * Chat with an entity's model through `kaito-backend`, and the caller's saved
 * conversations for that entity.
 *
 * Errors: an HTTP error is a `ResponseError` (from `@backstage/errors`; the
 * backend's `error.code`, `phase`, `reason` and `Retry-After` are on it); an
 * error the backend reports after the answer started is a
 * {@link KaitoChatStreamError}; an aborted request rejects with the signal's
 * `AbortError`. {@link describeChatError} turns any of them into what a UI shows.
 *
 * @public
 */
export interface KaitoChatApi {
  /** The models the entity's endpoint serves (`GET .../models`). */
  listModels(
    entity: CompoundEntityRef,
    options?: KaitoChatRequestOptions,
  ): Promise<KaitoChatModel[]>;

  /**
   * Streams a chat completion (`POST .../chat/completions`, `stream: true`):
   * yields the OpenAI chunks as they arrive and returns when the answer is
   * complete.
   */
  streamChatCompletion(
    entity: CompoundEntityRef,
    request: ChatCompletionRequest,
    options?: KaitoChatRequestOptions,
  ): AsyncIterable<ChatCompletionChunk>;

  /** The caller's conversations with this entity, newest first. */
  listConversations(entity: CompoundEntityRef): Promise<ConversationSummary[]>;
  getConversation(entity: CompoundEntityRef, id: string): Promise<Conversation>;
  createConversation(
    entity: CompoundEntityRef,
    input: ConversationInput,
  ): Promise<Conversation>;
  /** Replaces the given fields of a conversation. */
  updateConversation(
    entity: CompoundEntityRef,
    id: string,
    input: ConversationInput,
  ): Promise<Conversation>;
  deleteConversation(entity: CompoundEntityRef, id: string): Promise<void>;
}

/**
 * Reference to the {@link KaitoChatApi}.
 *
 * @public
 */
export const kaitoChatApiRef = createApiRef<KaitoChatApi>({
  id: 'plugin.kaito.chat',
});
