import { createHash } from 'node:crypto';
import type {
  RagDeleteDocumentsResponse,
  RagDocument,
  RagListDocumentsResponse,
  RagSourceNode,
} from '@kaito-backstage/plugin-kaito-common';
import { chunkDocument, TextNode } from './chunk';
import { LexicalIndex } from './lexical';
import { notFoundIndex } from './errors';

/**
 * The engine's in-process vector store (FAISS mode), by index name: the
 * documents, their nodes and a lexical index over the nodes. Document ids are
 * the SHA-256 of the text, as the engine assigns them; text already in an
 * index is skipped.
 */

type Metadata = Record<string, unknown> | null;

interface StoredDoc {
  doc_id: string;
  text: string;
  metadata: Metadata;
  hash_value: string;
  nodes: TextNode[];
}

interface Index {
  docs: Map<string, StoredDoc>;
  nodes: Map<string, TextNode>;
  lexical: LexicalIndex;
}

export interface IncomingDoc {
  doc_id?: string;
  text: string;
  metadata?: Metadata;
}

function sha256(s: string): string {
  return createHash('sha256').update(s, 'utf8').digest('hex');
}

function docHash(text: string, metadata: Metadata): string {
  return sha256(`${text}\u0000${JSON.stringify(metadata ?? {})}`);
}

function matches(
  metadata: Metadata,
  filter?: Record<string, unknown>,
): boolean {
  if (!filter) return true;
  const m = metadata ?? {};
  return Object.entries(filter).every(
    ([k, v]) => JSON.stringify(m[k]) === JSON.stringify(v),
  );
}

export class RagIndexStore {
  private readonly indexes = new Map<string, Index>();

  names(): string[] {
    return [...this.indexes.keys()];
  }

  has(name: string): boolean {
    return this.indexes.has(name);
  }

  private get(name: string): Index {
    const i = this.indexes.get(name);
    if (!i) throw notFoundIndex(name);
    return i;
  }

  private insert(index: Index, docId: string, d: IncomingDoc): void {
    const metadata = d.metadata === undefined ? {} : d.metadata;
    const nodes = chunkDocument(docId, d.text);
    index.docs.set(docId, {
      doc_id: docId,
      text: d.text,
      metadata,
      hash_value: docHash(d.text, metadata),
      nodes,
    });
    for (const n of nodes) index.nodes.set(n.node_id, n);
    index.lexical.add(nodes);
  }

  private drop(index: Index, docId: string): void {
    const doc = index.docs.get(docId);
    if (!doc) return;
    index.docs.delete(docId);
    for (const n of doc.nodes) index.nodes.delete(n.node_id);
    index.lexical.remove(doc.nodes.map(n => n.node_id));
  }

  /** `POST /index`: answers the doc ids in request order (a new index with no documents is not created). */
  add(name: string, docs: IncomingDoc[]): string[] {
    let index = this.indexes.get(name);
    if (!index) {
      if (docs.length === 0) return [];
      index = {
        docs: new Map(),
        nodes: new Map(),
        lexical: new LexicalIndex(),
      };
      this.indexes.set(name, index);
    }
    return docs.map(d => {
      const docId = sha256(d.text);
      if (!index!.docs.has(docId)) this.insert(index!, docId, d);
      return docId;
    });
  }

  list(
    name: string,
    limit: number,
    offset: number,
    maxTextLength: number | null,
    filter?: Record<string, unknown>,
  ): RagListDocumentsResponse {
    const all = [...this.get(name).docs.values()].filter(d =>
      matches(d.metadata, filter),
    );
    const documents = all.slice(offset, offset + limit).map(d => {
      const cut = !!maxTextLength && d.text.length > maxTextLength;
      return {
        doc_id: d.doc_id,
        text: cut ? d.text.slice(0, maxTextLength!) : d.text,
        hash_value: d.hash_value,
        metadata: d.metadata,
        is_truncated: cut,
      };
    });
    return { documents, count: documents.length, total_items: all.length };
  }

  /** `POST /indexes/{name}/documents`: by doc_id; unchanged when text and metadata are the same. */
  update(name: string, docs: Array<IncomingDoc & { doc_id: string }>) {
    const index = this.get(name);
    const out = {
      updated_documents: [] as RagDocument[],
      unchanged_documents: [] as RagDocument[],
      not_found_documents: [] as RagDocument[],
    };
    for (const d of docs) {
      const shown: RagDocument = {
        doc_id: d.doc_id,
        text: d.text,
        metadata: d.metadata === undefined ? {} : d.metadata,
        hash_value: null,
        is_truncated: false,
      };
      const current = index.docs.get(d.doc_id);
      if (!current) {
        out.not_found_documents.push(shown);
      } else if (
        current.hash_value === docHash(d.text, shown.metadata ?? null)
      ) {
        out.unchanged_documents.push(shown);
      } else {
        this.drop(index, d.doc_id);
        this.insert(index, d.doc_id, d);
        out.updated_documents.push(shown);
      }
    }
    return out;
  }

  deleteDocs(name: string, docIds: string[]): RagDeleteDocumentsResponse {
    const index = this.get(name);
    const deleted: string[] = [];
    const missing: string[] = [];
    for (const id of docIds) {
      if (index.docs.has(id)) {
        this.drop(index, id);
        deleted.push(id);
      } else missing.push(id);
    }
    return { deleted_doc_ids: deleted, not_found_doc_ids: missing };
  }

  /** The documents of an index as `/persist` writes them (ids, text, metadata). */
  snapshot(name: string): Array<IncomingDoc & { doc_id: string }> {
    return [...this.get(name).docs.values()].map(d => ({
      doc_id: d.doc_id,
      text: d.text,
      metadata: structuredClone(d.metadata),
    }));
  }

  /** `/load`: the index rebuilt from a snapshot, replacing any of that name. */
  restore(name: string, docs: Array<IncomingDoc & { doc_id: string }>): void {
    const index: Index = {
      docs: new Map(),
      nodes: new Map(),
      lexical: new LexicalIndex(),
    };
    for (const d of docs) this.insert(index, d.doc_id, d);
    this.indexes.set(name, index);
  }

  deleteIndex(name: string): void {
    this.get(name);
    this.indexes.delete(name);
  }

  /** The best nodes for a query, best first. */
  retrieve(
    name: string,
    query: string,
    max: number,
    filter?: Record<string, unknown> | null,
  ): RagSourceNode[] {
    const index = this.get(name);
    const allowed = filter
      ? (nodeId: string) => {
          const n = index.nodes.get(nodeId);
          return (
            !!n && matches(index.docs.get(n.doc_id)?.metadata ?? null, filter)
          );
        }
      : undefined;
    return index.lexical
      .rank(query, allowed)
      .slice(0, max)
      .map(r => {
        const node = index.nodes.get(r.node_id)!;
        const doc = index.docs.get(node.doc_id)!;
        return {
          doc_id: node.doc_id,
          node_id: node.node_id,
          text: node.text,
          score: r.score,
          dense_score: null,
          sparse_score: r.score,
          source: 'sparse_only',
          metadata:
            doc.metadata && Object.keys(doc.metadata).length
              ? doc.metadata
              : null,
        };
      });
  }
}
