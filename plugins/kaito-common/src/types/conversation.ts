/**
 * Saved chat conversations: what kaito-backend stores per user and per entity,
 * and what the chat card lists, resumes, renames and deletes.
 *
 * Routes (all under `/api/kaito/entity/:kind/:namespace/:name`, chat permission
 * on the entity; a user only ever sees their own conversations):
 *
 * - `GET    /conversations`        -> {@link ConversationList} (newest first)
 * - `POST   /conversations`        body {@link ConversationInput} -> 201 {@link Conversation}
 * - `GET    /conversations/:id`    -> {@link Conversation}
 * - `PUT    /conversations/:id`    body {@link ConversationInput} (replaces the given fields) -> {@link Conversation}
 * - `DELETE /conversations/:id`    -> 204
 */

/** At most this many sources are saved per message (`ConversationMessage.sources`). */
export const CONVERSATION_SOURCES_MAX = 10;
/** Longest `ConversationSource.snippet` saved, in characters. */
export const CONVERSATION_SOURCE_SNIPPET_MAX_CHARS = 500;
/** Longest `ConversationSource.doc_id` and `title` saved, in characters. */
export const CONVERSATION_SOURCE_NAME_MAX_CHARS = 255;
/** Longest `ConversationSource.url` saved, in characters. */
export const CONVERSATION_SOURCE_URL_MAX_CHARS = 2048;

/**
 * A document a RAGEngine retrieved for an assistant answer, as saved with the
 * conversation: a trimmed `RagSourceNode` (the start of its text, not
 * the whole node). Build one with `toConversationSource`.
 */
export interface ConversationSource {
  /** The engine's document id (shown when there is no title). */
  doc_id: string;
  /** The document's title (its `title` metadata), when it has one. */
  title?: string;
  /** A link to the document (its `url` metadata, e.g. a TechDocs page), when it has one. */
  url?: string;
  /** The retrieval score. */
  score: number;
  /** The start of the retrieved text, whitespace collapsed, at most {@link CONVERSATION_SOURCE_SNIPPET_MAX_CHARS}. */
  snippet: string;
}

/** One message of a saved conversation. */
export interface ConversationMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
  /** ISO 8601, set by the client when the message was written. */
  createdAt?: string;
  /** Set on an assistant message that ended in an error or was stopped. */
  error?: string;
  /** True when the user stopped this (assistant) answer. */
  stopped?: boolean;
  /**
   * The documents a RAGEngine retrieved for this (assistant) answer, trimmed;
   * at most {@link CONVERSATION_SOURCES_MAX}.
   */
  sources?: ConversationSource[];
}

/** Chat settings saved with a conversation. */
export interface ConversationSettings {
  systemPrompt?: string;
  /** The model the conversation was held with (as listed by `/models`). */
  model?: string;
  temperature?: number;
  top_p?: number;
  max_tokens?: number;
}

/** A conversation as listed (no messages). */
export interface ConversationSummary {
  id: string;
  title: string;
  /** `kind:namespace/name` of the entity the conversation belongs to. */
  entityRef: string;
  createdAt: string;
  updatedAt: string;
  messageCount: number;
}

/** A full conversation. */
export interface Conversation extends ConversationSummary {
  messages: ConversationMessage[];
  settings?: ConversationSettings;
}

/** `GET /conversations`. */
export interface ConversationList {
  items: ConversationSummary[];
}

/** Body of `POST /conversations` and `PUT /conversations/:id`. */
export interface ConversationInput {
  title?: string;
  messages?: ConversationMessage[];
  settings?: ConversationSettings;
}
