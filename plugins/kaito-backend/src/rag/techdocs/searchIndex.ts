import { Entity } from '@backstage/catalog-model';

/** One TechDocs page as the mkdocs search index tells it. */
export interface TechDocsPage {
  /** Page path within the site, e.g. `runbooks/restart/`. */
  location: string;
  title: string;
  text: string;
}

/** mkdocs' `search/search_index.json`: `{config, docs: [{location, title, text}]}`. */
interface SearchIndex {
  docs?: Array<{ location?: unknown; title?: unknown; text?: unknown }>;
}

const ENTITIES: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
  '&#x27;': "'",
  '&nbsp;': ' ',
};

/** The index's text is mostly plain; mkdocs-material keeps a few tags. */
function plain(text: string): string {
  return text
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(amp|lt|gt|quot|nbsp|#39|#x27);/g, m => ENTITIES[m] ?? m)
    .replace(/[ \t]+/g, ' ')
    .replace(/\s*\n\s*/g, '\n')
    .trim();
}

/**
 * Pages from a search index. mkdocs writes one entry per page (location
 * `page/`) and one per section (`page/#anchor`); a page is its own entry's
 * text, or, when that is empty (mkdocs-material), its sections' titles and
 * texts joined in order.
 */
export function pagesOf(index: SearchIndex): TechDocsPage[] {
  const pages = new Map<
    string,
    { title?: string; text?: string; sections: string[] }
  >();
  for (const d of Array.isArray(index?.docs) ? index.docs : []) {
    if (typeof d?.location !== 'string') continue;
    const [page, anchor] = d.location.split('#');
    const entry = pages.get(page) ?? { sections: [] };
    pages.set(page, entry);
    const title = typeof d.title === 'string' ? plain(d.title) : '';
    const text = typeof d.text === 'string' ? plain(d.text) : '';
    if (anchor === undefined) {
      entry.title = title;
      entry.text = text;
    } else if (text || title) {
      entry.sections.push(title ? `${title}\n${text}` : text);
    }
  }
  return [...pages].map(([location, p]) => ({
    location,
    title: p.title || p.sections[0]?.split('\n')[0] || location || 'index',
    text: p.text || p.sections.join('\n\n'),
  }));
}

/** `<ns>/<kind>/<name>`, lower-cased as TechDocs stores sites. */
export function techDocsPath(entity: Entity): string {
  return [
    entity.metadata.namespace ?? 'default',
    entity.kind,
    entity.metadata.name,
  ]
    .map(s => encodeURIComponent(s.toLocaleLowerCase('en-US')))
    .join('/');
}
