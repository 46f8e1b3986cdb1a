import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { RagTechDocsAnswer } from '@kaito-backstage/plugin-kaito-common';
import { RagEngineClient } from '@kaito-backstage/plugin-kaito-node';
import { createHash } from 'node:crypto';
import { KaitoHttpError } from '../../service/errors';
import { NewDocument, toEngineDocuments } from '../documents';
import { pagesOf, techDocsPath } from './searchIndex';
import { techDocsSources, TECHDOCS_REF_ANNOTATION } from './sources';

export interface TechDocsDeps {
  catalog: CatalogService;
  discovery: DiscoveryService;
  auth: AuthService;
}

export interface IndexTechDocsRequest {
  entity: Entity;
  entityRef: string;
  credentials: BackstageCredentials;
  actor: string;
  index: string;
  client: RagEngineClient;
  maxPages: number;
}

/** Largest search index read for one entity. */
const MAX_INDEX_BYTES = 20 * 1024 * 1024;
/** Pages sent to the engine per `POST /index`. */
const BATCH = 50;

/**
 * Indexes the TechDocs pages of the entity's system into the entity's
 * index: for each source entity, its generated mkdocs search index
 * (`static/docs/<ns>/<kind>/<name>/search/search_index.json` of the
 * TechDocs backend, read with a token on behalf of the caller) gives every
 * page's text. Page ids hash the entity, page and text, so a re-run adds
 * only pages that changed (the engine skips ids it holds).
 */
export async function indexTechDocs(
  deps: TechDocsDeps,
  r: IndexTechDocsRequest,
): Promise<RagTechDocsAnswer> {
  const { system, entities } = await techDocsSources(
    deps.catalog,
    r.entity,
    r.credentials,
  );
  if (entities.length === 0) {
    throw new KaitoHttpError(
      404,
      'no_techdocs',
      `No entity ${
        system ? `of ${system} ` : ''
      }has TechDocs (annotation ${TECHDOCS_REF_ANNOTATION}); add docs to ${
        system ? `a component of the system` : r.entityRef
      } or set spec.system on ${r.entityRef}`,
    );
  }
  const base = await deps.discovery.getBaseUrl('techdocs');
  const { token } = await deps.auth.getPluginRequestToken({
    onBehalfOf: r.credentials,
    targetPluginId: 'techdocs',
  });
  const skipped: RagTechDocsAnswer['skipped'] = [];
  const docs: NewDocument[] = [];
  for (const source of entities) {
    const ref = stringifyEntityRef(source);
    const path = techDocsPath(source);
    let index: unknown;
    try {
      index = await readSearchIndex(
        `${base}/static/docs/${path}/search/search_index.json`,
        token,
      );
    } catch (error) {
      skipped.push({ page: ref, reason: (error as Error).message });
      continue;
    }
    for (const page of pagesOf(index as any)) {
      const where = `${ref}/${page.location}`;
      if (!page.text.trim()) {
        skipped.push({ page: where, reason: 'the page has no text' });
        continue;
      }
      if (docs.length >= r.maxPages) {
        skipped.push({
          page: where,
          reason: `more than ${r.maxPages} pages (kaito.rag.techdocs.maxPages)`,
        });
        continue;
      }
      docs.push({
        docId: `techdocs-${createHash('sha256')
          .update(`${ref}\u0000${page.location}\u0000${page.text}`)
          .digest('hex')
          .slice(0, 32)}`,
        text: `${page.title}\n\n${page.text}`,
        title: `${source.metadata.title ?? source.metadata.name}: ${
          page.title
        }`.slice(0, 200),
        origin: 'techdocs',
        contentType: 'text/plain',
        url: `/docs/${path}/${page.location}`,
      });
    }
  }
  let added = 0;
  for (let i = 0; i < docs.length; i += BATCH) {
    const indexed = await r.client.index({
      index_name: r.index,
      documents: toEngineDocuments(docs.slice(i, i + BATCH), r.actor),
    });
    added += indexed.length;
  }
  return {
    entityRef: r.entityRef,
    index: r.index,
    sources: entities.map(e => stringifyEntityRef(e)),
    pages: docs.length,
    added,
    skipped,
  };
}

/** The search index JSON, or an error saying why there is none. */
async function readSearchIndex(url: string, token: string): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(url, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(30_000),
    });
  } catch {
    throw new Error('the TechDocs backend could not be reached');
  }
  if (res.status === 404) {
    await res.body?.cancel();
    throw new Error(
      'no generated TechDocs (search/search_index.json not found); build and publish the docs first',
    );
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw new Error(`the TechDocs backend answered HTTP ${res.status}`);
  }
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > MAX_INDEX_BYTES) {
    await res.body?.cancel();
    throw new Error(`the search index is larger than ${MAX_INDEX_BYTES} bytes`);
  }
  const text = await res.text();
  if (text.length > MAX_INDEX_BYTES)
    throw new Error(`the search index is larger than ${MAX_INDEX_BYTES} bytes`);
  try {
    return JSON.parse(text);
  } catch {
    throw new Error('search/search_index.json is not valid JSON');
  }
}
