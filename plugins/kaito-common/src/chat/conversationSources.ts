import {
  CONVERSATION_SOURCE_NAME_MAX_CHARS,
  CONVERSATION_SOURCE_SNIPPET_MAX_CHARS,
  CONVERSATION_SOURCE_URL_MAX_CHARS,
  CONVERSATION_SOURCES_MAX,
  type ConversationSource,
} from '../types/conversation';
import { RAG_METADATA, type RagSourceNode } from '../types/rag';

function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function metaText(node: RagSourceNode, key: string): string | undefined {
  const v = node.metadata?.[key];
  return typeof v === 'string' && v.trim() ? v : undefined;
}

/**
 * True for a link a source may carry: `http(s)://…` or a path on the portal (`/docs/…`, as
 * TechDocs pages are indexed). Anything else (`javascript:`, `//host`) is never linked or saved.
 */
export function isConversationSourceUrl(url: string): boolean {
  return /^https?:\/\/[^\s]+$/i.test(url) || /^\/(?![/\\])\S*$/.test(url);
}

/**
 * A retrieved RAG node as a conversation saves it: doc id, title and link
 * (from its metadata), score, and the start of its text with whitespace
 * collapsed, each within the conversation store's limits.
 */
export function toConversationSource(node: RagSourceNode): ConversationSource {
  const title = metaText(node, RAG_METADATA.title);
  const url = metaText(node, RAG_METADATA.url);
  const text = typeof node.text === 'string' ? node.text : '';
  return {
    doc_id: shorten(
      String(node.doc_id ?? ''),
      CONVERSATION_SOURCE_NAME_MAX_CHARS,
    ),
    ...(title && {
      title: shorten(title.trim(), CONVERSATION_SOURCE_NAME_MAX_CHARS),
    }),
    // A link cut short would be a wrong link: too long (or not a web link), it is left out.
    ...(url &&
      url.length <= CONVERSATION_SOURCE_URL_MAX_CHARS &&
      isConversationSourceUrl(url) && { url }),
    score: Number.isFinite(node.score) ? node.score : 0,
    snippet: shorten(
      text.replace(/\s+/g, ' ').trim(),
      CONVERSATION_SOURCE_SNIPPET_MAX_CHARS,
    ),
  };
}

/**
 * The sources saved with an answer: the first {@link CONVERSATION_SOURCES_MAX}
 * (the engine ranks them), each trimmed by {@link toConversationSource}.
 */
export function toConversationSources(
  nodes: RagSourceNode[],
): ConversationSource[] {
  return nodes.slice(0, CONVERSATION_SOURCES_MAX).map(toConversationSource);
}
