import {
  RAG_METADATA,
  RagIndexRequest,
} from '@kaito-backstage/plugin-kaito-common';
import { KaitoHttpError } from '../service/errors';
import { RagLimits } from './settings';

/** A document ready to index, before metadata. */
export interface NewDocument {
  text: string;
  title: string;
  origin: 'upload' | 'text' | 'techdocs';
  contentType: string;
  url?: string;
  /** A stable id (TechDocs pages), so the engine skips a page it already holds. */
  docId?: string;
}

/** The engine's documents, each with this project's metadata (see RAG_METADATA). */
export function toEngineDocuments(
  docs: NewDocument[],
  addedBy: string,
  now = new Date(),
): RagIndexRequest['documents'] {
  const addedAt = now.toISOString();
  return docs.map(d => ({
    ...(d.docId ? { doc_id: d.docId } : {}),
    text: d.text,
    metadata: {
      [RAG_METADATA.title]: d.title,
      [RAG_METADATA.origin]: d.origin,
      [RAG_METADATA.addedBy]: addedBy,
      [RAG_METADATA.addedAt]: addedAt,
      [RAG_METADATA.contentType]: d.contentType,
      ...(d.url ? { [RAG_METADATA.url]: d.url } : {}),
    },
  }));
}

function invalid(message: string, param?: string) {
  return new KaitoHttpError(400, 'invalid_request', message, { param });
}

/**
 * `{documents: [{text, title?}]}`: at most `kaito.rag.maxDocuments`
 * documents, each text at most `kaito.rag.maxFileBytes` bytes. The index is
 * never read from the body (an `index_name` is ignored).
 */
export function parseJsonDocuments(
  body: Buffer,
  limits: RagLimits,
): NewDocument[] {
  let json: any;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    throw invalid(
      'The request body is not valid JSON; send {"documents": [{"text": "...", "title": "..."}]}',
    );
  }
  const docs = json?.documents;
  if (!Array.isArray(docs) || docs.length === 0) {
    throw invalid(
      'Send {"documents": [{"text": "...", "title": "..."}]} with at least one document',
      'documents',
    );
  }
  if (docs.length > limits.maxDocuments) {
    throw new KaitoHttpError(
      413,
      'limit_exceeded',
      `The request has ${docs.length} documents; at most ${limits.maxDocuments} are accepted at a time (kaito.rag.maxDocuments)`,
      { limit: 'maxDocuments', param: 'documents' },
    );
  }
  return docs.map((d: unknown, i: number): NewDocument => {
    const doc = d as { text?: unknown; title?: unknown };
    if (typeof doc?.text !== 'string' || !doc.text.trim()) {
      throw invalid(
        `documents[${i}].text must be a non-empty string`,
        `documents.${i}.text`,
      );
    }
    if (Buffer.byteLength(doc.text) > limits.maxFileBytes) {
      throw new KaitoHttpError(
        413,
        'limit_exceeded',
        `documents[${i}].text is larger than ${limits.maxFileBytes} bytes (kaito.rag.maxFileBytes); split it`,
        { limit: 'maxFileBytes', param: `documents.${i}.text` },
      );
    }
    if (doc.title !== undefined && typeof doc.title !== 'string') {
      throw invalid(
        `documents[${i}].title must be a string`,
        `documents.${i}.title`,
      );
    }
    const title =
      (doc.title as string | undefined)?.trim().slice(0, 200) ||
      `${doc.text.trim().slice(0, 60)}${
        doc.text.trim().length > 60 ? '…' : ''
      }`;
    return {
      text: doc.text,
      title,
      origin: 'text',
      contentType: 'text/plain',
    };
  });
}

/** `{doc_ids: [...]}`: 1 to `kaito.rag.maxDocuments` non-empty strings. */
export function parseDocIds(body: Buffer, limits: RagLimits): string[] {
  let json: any;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    throw invalid(
      'The request body is not valid JSON; send {"doc_ids": ["..."]}',
    );
  }
  const ids = json?.doc_ids;
  if (
    !Array.isArray(ids) ||
    ids.length === 0 ||
    ids.some(id => typeof id !== 'string' || !id || id.length > 256)
  ) {
    throw invalid(
      'Send {"doc_ids": ["..."]}: a non-empty list of document ids (strings up to 256 characters)',
      'doc_ids',
    );
  }
  if (ids.length > limits.maxDocuments) {
    throw new KaitoHttpError(
      413,
      'limit_exceeded',
      `The request names ${ids.length} documents; at most ${limits.maxDocuments} can be deleted at a time (kaito.rag.maxDocuments)`,
      { limit: 'maxDocuments', param: 'doc_ids' },
    );
  }
  return ids;
}
