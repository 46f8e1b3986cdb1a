/**
 * Deterministic stand-in for a language model: the same request always
 * yields the same text, which says plainly that it is simulated.
 */
import { contentText } from '@kaito-backstage/plugin-kaito-common';

export interface GenerateInput {
  model: string;
  messages: Array<{ role?: unknown; content?: unknown }>;
  /** Upper bound on completion tokens (`max_tokens` / `max_completion_tokens`). */
  maxTokens?: number;
  /** vLLM's `min_tokens`: keep generating at least this many. */
  minTokens?: number;
  /** Stop sequences; the output ends before the first one found. */
  stop?: string[];
  /** Varies the text deterministically (OpenAI `seed`). */
  seed?: number;
}

export interface Generation {
  /** Token strings (each carries its leading whitespace); concatenated they are the text. */
  tokens: string[];
  finishReason: 'stop' | 'length';
  promptTokens: number;
}

const TOKEN_RE = /\s*\S+/g;

const FILLER = [
  'The simulator streams tokens at a configurable rate so the portal can be exercised end to end.',
  'Nothing here comes from real model weights; the words are chosen from a fixed list.',
  'Deploy a real KAITO workspace on AKS to get genuine answers from the model.',
  'Requests, streaming, stop sequences and token limits behave the way vLLM handles them.',
  'This text is deterministic: the same request always produces the same reply.',
  'Use it to test readiness cards, chat streaming and error handling without a GPU.',
  'Every chunk arrives as an OpenAI-compatible server-sent event.',
  'Token counts in the usage block are computed from the words in this reply.',
];

export function countTokens(text: string): number {
  return (text.match(TOKEN_RE) ?? []).length;
}

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Words in a prompt that ask for a long answer. */
export const LONG_ANSWER_RE = /\b(long|essay|in detail|detailed)\b/i;

export function promptTokenCount(messages: GenerateInput['messages']): number {
  // Chat templates add a few tokens of framing per message.
  return messages.reduce(
    (n, m) => n + 4 + countTokens(contentText(m.content)),
    2,
  );
}

export function generate(input: GenerateInput): Generation {
  const key = JSON.stringify([input.model, input.messages, input.seed ?? null]);
  const rand = mulberry32(fnv1a(key));
  const lastUser = [...input.messages].reverse().find(m => m.role === 'user');
  const said = contentText(lastUser?.content).replace(/\s+/g, ' ').trim();
  const excerpt = said.length > 60 ? `${said.slice(0, 57)}...` : said;

  let text = `This is a simulated response from ${input.model}, served by the KAITO simulator; no real model ran.`;
  if (excerpt) text += ` You wrote: "${excerpt}".`;
  // Asked for something long, a model writes ten times more (a demo of Stop,
  // and e2e tests that need an answer still streaming when they press it).
  const asksForLong = LONG_ANSWER_RE.test(said);
  const natural = (40 + Math.floor(rand() * 40)) * (asksForLong ? 10 : 1);
  const want = Math.max(natural, input.minTokens ?? 0);
  // Whole sentences until the answer is long enough: it ends where a model
  // would stop by itself, so only max_tokens cuts it mid-sentence.
  let tokens: string[] = [...(text.match(TOKEN_RE) ?? [])];
  while (tokens.length < want) {
    const more: string[] = [
      ...(` ${FILLER[Math.floor(rand() * FILLER.length)]}`.match(TOKEN_RE) ??
        []),
    ];
    tokens = tokens.concat(more);
  }

  let finishReason: Generation['finishReason'] = 'stop';
  if (input.maxTokens !== undefined && tokens.length > input.maxTokens) {
    tokens = tokens.slice(0, input.maxTokens);
    finishReason = 'length';
  }

  const stops = (input.stop ?? []).filter(s => s.length > 0);
  if (stops.length) {
    const full = tokens.join('');
    let cut = -1;
    for (const s of stops) {
      const i = full.indexOf(s);
      if (i >= 0 && (cut < 0 || i < cut)) cut = i;
    }
    if (cut >= 0) {
      const kept: string[] = [];
      let pos = 0;
      for (const t of tokens) {
        if (pos + t.length <= cut) kept.push(t);
        else {
          if (cut > pos) kept.push(t.slice(0, cut - pos));
          break;
        }
        pos += t.length;
      }
      tokens = kept;
      finishReason = 'stop';
    }
  }
  return {
    tokens,
    finishReason,
    promptTokens: promptTokenCount(input.messages),
  };
}
