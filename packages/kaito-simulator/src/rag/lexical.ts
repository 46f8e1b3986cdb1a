import MiniSearch from 'minisearch';
import type { TextNode } from './chunk';

/**
 * Deterministic lexical ranking (BM25 through MiniSearch) over the nodes of
 * one index: the simulator's stand-in for the engine's dense + BM25 hybrid
 * retriever. Scores are squashed into 0..1 so they read like similarity.
 */

const STOP_WORDS = new Set(
  (
    'a an and are as at be but by can could did do does for from had has have how i if in into is it its ' +
    'me my of on or our so than that the their them then there these they this to too us was we were ' +
    'what when where which who whom why will with would you your about please tell explain give'
  ).split(' '),
);

/** Lower case, stop words out, a light plural strip (policies/policy, documents/document). */
export function normalizeTerm(term: string): string | null {
  const t = term.toLowerCase();
  if (t.length < 2 || STOP_WORDS.has(t)) return null;
  if (t.length > 4 && t.endsWith('ies')) return `${t.slice(0, -3)}y`;
  if (t.length > 3 && t.endsWith('s') && !t.endsWith('ss'))
    return t.slice(0, -1);
  return t;
}

/** The saturation point: a raw BM25 score of this much maps to 0.5. */
const HALF_SCORE = 4;

export function squash(raw: number): number {
  return Math.round((raw / (raw + HALF_SCORE)) * 10000) / 10000;
}

export interface Ranked {
  node_id: string;
  score: number;
  raw: number;
}

export class LexicalIndex {
  private readonly search = new MiniSearch<TextNode>({
    idField: 'node_id',
    fields: ['text'],
    storeFields: [],
    processTerm: normalizeTerm,
    searchOptions: { processTerm: normalizeTerm, combineWith: 'OR' },
  });

  add(nodes: TextNode[]): void {
    this.search.addAll(nodes);
  }

  remove(nodeIds: string[]): void {
    for (const id of nodeIds) {
      if (this.search.has(id)) this.search.discard(id);
    }
  }

  /** Best first; ties broken by node id so the order never varies. */
  rank(query: string, filter?: (nodeId: string) => boolean): Ranked[] {
    return this.search
      .search(query, filter ? { filter: r => filter(String(r.id)) } : {})
      .map(r => ({
        node_id: String(r.id),
        raw: r.score,
        score: squash(r.score),
      }))
      .sort((a, b) => b.raw - a.raw || a.node_id.localeCompare(b.node_id));
  }
}
