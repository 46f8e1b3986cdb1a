import { createHash } from 'node:crypto';

/**
 * Splits a document into nodes the way the engine's sentence splitter does
 * in spirit: whole sentences, grouped up to about `maxChars` characters.
 * Node ids are deterministic (derived from the doc id and position) so
 * tests can name them.
 */

export interface TextNode {
  node_id: string;
  doc_id: string;
  text: string;
}

/** About what LlamaIndex's SentenceSplitter keeps in one node (1024 tokens is more; plain text rarely gets there). */
export const NODE_MAX_CHARS = 1000;

const SENTENCE_RE = /[^.!?\n]+(?:[.!?]+|\n+|$)/g;

export function sentences(text: string): string[] {
  return (text.match(SENTENCE_RE) ?? [])
    .map(s => s.replace(/\s+/g, ' ').trim())
    .filter(s => s.length > 0);
}

function nodeId(docId: string, index: number): string {
  const h = createHash('sha256').update(`${docId}:${index}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(
    16,
    20,
  )}-${h.slice(20, 32)}`;
}

export function chunkDocument(
  docId: string,
  text: string,
  maxChars = NODE_MAX_CHARS,
): TextNode[] {
  const parts: string[] = [];
  let current = '';
  for (const s of sentences(text)) {
    // A single sentence longer than a node is cut at maxChars.
    for (let i = 0; i < s.length; i += maxChars) {
      const piece = s.slice(i, i + maxChars);
      if (current && current.length + 1 + piece.length > maxChars) {
        parts.push(current);
        current = '';
      }
      current = current ? `${current} ${piece}` : piece;
    }
  }
  if (current) parts.push(current);
  if (parts.length === 0) parts.push(text);
  return parts.map((t, i) => ({
    node_id: nodeId(docId, i),
    doc_id: docId,
    text: t,
  }));
}
