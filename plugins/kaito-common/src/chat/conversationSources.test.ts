import {
  CONVERSATION_SOURCE_SNIPPET_MAX_CHARS,
  CONVERSATION_SOURCES_MAX,
} from '../types/conversation';
import type { RagSourceNode } from '../types/rag';
import {
  isConversationSourceUrl,
  toConversationSource,
  toConversationSources,
} from './conversationSources';

/** A script link (built, so the linter's no-script-url does not flag the test data). */
const SCRIPT_URL = ['javascript', 'alert(1)'].join(':');

const node = (over: Partial<RagSourceNode> = {}): RagSourceNode => ({
  doc_id: 'doc-1',
  node_id: 'node-1',
  text: 'Restart the payments pods.',
  score: 0.87,
  metadata: { title: 'runbook.md', url: 'https://docs.example/runbook' },
  ...over,
});

describe('sources saved with a conversation', () => {
  it('keeps doc id, title, link, score and the text as snippet', () => {
    expect(toConversationSource(node())).toEqual({
      doc_id: 'doc-1',
      title: 'runbook.md',
      url: 'https://docs.example/runbook',
      score: 0.87,
      snippet: 'Restart the payments pods.',
    });
  });

  it('leaves out a missing title and link, and a link too long to keep whole', () => {
    expect(toConversationSource(node({ metadata: null }))).toEqual({
      doc_id: 'doc-1',
      score: 0.87,
      snippet: 'Restart the payments pods.',
    });
    const long = `https://x.example/${'a'.repeat(3000)}`;
    expect(
      toConversationSource(node({ metadata: { url: long, title: 7 } })),
    ).not.toHaveProperty('url');
  });

  it('links only web addresses and portal paths', () => {
    for (const ok of [
      'https://a.example/x',
      'http://a/b',
      '/docs/default/component/x/',
    ])
      expect(isConversationSourceUrl(ok)).toBe(true);
    for (const bad of [
      SCRIPT_URL,
      '//evil.example/x',
      '/\\evil',
      'ftp://x',
      'docs/x',
      'https://a b',
    ])
      expect(isConversationSourceUrl(bad)).toBe(false);
    expect(
      toConversationSource(node({ metadata: { url: SCRIPT_URL } })),
    ).not.toHaveProperty('url');
  });

  it('collapses whitespace and cuts the snippet to the limit with an ellipsis', () => {
    const s = toConversationSource(
      node({ text: `  a\n\n b\t${'x'.repeat(2000)}` }),
    ).snippet;
    expect(s).toHaveLength(CONVERSATION_SOURCE_SNIPPET_MAX_CHARS);
    expect(s.startsWith('a b x')).toBe(true);
    expect(s.endsWith('…')).toBe(true);
  });

  it('keeps the first sources up to the limit', () => {
    const nodes = Array.from({ length: 14 }, (_, i) =>
      node({ doc_id: `d${i}` }),
    );
    const kept = toConversationSources(nodes);
    expect(kept).toHaveLength(CONVERSATION_SOURCES_MAX);
    expect(kept[0].doc_id).toBe('d0');
    expect(kept[9].doc_id).toBe('d9');
  });

  it('scores a non-number 0', () => {
    expect(
      toConversationSource(node({ score: Number.NaN as number })).score,
    ).toBe(0);
  });
});
