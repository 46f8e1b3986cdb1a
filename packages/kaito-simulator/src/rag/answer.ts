import type { RagSourceNode } from '@kaito-backstage/plugin-kaito-common';
import { sentences } from './chunk';
import { normalizeTerm } from './lexical';

/**
 * What the simulated engine puts around the model's reply: the context it
 * sends to the LLM (LlamaIndex's "context" chat mode) and the cited answer.
 */

export function sourceTitle(node: RagSourceNode): string {
  const m = node.metadata ?? {};
  for (const key of ['title', 'file_name', 'filename', 'source', 'url']) {
    const v = m[key];
    if (typeof v === 'string' && v.trim()) return v.trim();
  }
  return `document ${node.doc_id.slice(0, 12)}`;
}

function terms(text: string): Set<string> {
  return new Set(
    (text.match(/[\p{L}\p{N}]+/gu) ?? [])
      .map(normalizeTerm)
      .filter((t): t is string => !!t),
  );
}

/** The sentence of a node that shares the most terms with the question (the first on a tie). */
export function bestSentence(node: RagSourceNode, question: string): string {
  const wanted = terms(question);
  let best = '';
  let bestHits = -1;
  for (const s of sentences(node.text)) {
    const hits = [...terms(s)].filter(t => wanted.has(t)).length;
    if (hits > bestHits) {
      best = s;
      bestHits = hits;
    }
  }
  return best || node.text.slice(0, 300);
}

/** The system message LlamaIndex's context chat engine sends ahead of the history. */
export function contextMessage(nodes: RagSourceNode[]): string {
  const context = nodes.map(n => n.text).join('\n\n');
  return (
    'You are a helpful assistant. Here are the relevant documents for the context:\n\n' +
    `${context}\n\nInstruction: Based on the above documents, provide a detailed answer for the user question below.\n` +
    'Answer "don\'t know" if not present in the document.'
  );
}

/** The engine's reply: the best passage quoted with its source, then the model's words. */
export function citedAnswer(
  nodes: RagSourceNode[],
  question: string,
  modelText: string,
): string {
  const top = nodes[0];
  const quote = bestSentence(top, question);
  const sources = nodes
    .map((n, i) => `[${i + 1}] ${sourceTitle(n)} (score ${n.score.toFixed(2)})`)
    .join('; ');
  return (
    `Simulated RAG answer from the KAITO simulator (lexical retrieval, no real embedding model). ` +
    `According to "${sourceTitle(
      top,
    )}": "${quote}"\n\nSources: ${sources}\n\n${modelText}`
  );
}
