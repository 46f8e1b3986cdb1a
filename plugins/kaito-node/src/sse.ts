import { StringDecoder } from 'node:string_decoder';

/** One Server-Sent Event. */
export interface SseEvent {
  event?: string;
  data: string;
  id?: string;
}

/** Formats one event (multi-line data becomes several `data:` lines). */
export function formatSseEvent(e: SseEvent): string {
  let out = '';
  if (e.event) out += `event: ${e.event.replace(/[\r\n]/g, '')}\n`;
  if (e.id) out += `id: ${e.id.replace(/[\r\n]/g, '')}\n`;
  for (const line of e.data.split(/\r\n|\r|\n/)) out += `data: ${line}\n`;
  return `${out}\n`;
}

/** Formats an SSE comment, e.g. a heartbeat that keeps proxies from timing out. */
export function formatSseComment(text: string): string {
  return `: ${text.replace(/[\r\n]/g, ' ')}\n\n`;
}

export interface SseChunk {
  /** The complete events in this chunk, raw, ready to forward byte for byte. */
  raw: string;
  events: SseEvent[];
}

/**
 * Incremental SSE parser for relaying. It returns complete events together
 * with their raw text so a relay can forward exactly what arrived, event by
 * event, holding back only an unfinished tail (never the whole stream).
 */
export class SseParser {
  readonly #decoder = new StringDecoder('utf8');
  readonly #maxPending: number;
  #pending = '';

  constructor(options: { maxEventBytes?: number } = {}) {
    this.#maxPending = options.maxEventBytes ?? 1024 * 1024;
  }

  /** Characters held back waiting for the end of an event. */
  get pendingLength() {
    return this.#pending.length;
  }

  /** Feeds bytes; throws when a single event grows beyond maxEventBytes. */
  push(chunk: Buffer | string): SseChunk {
    const text =
      this.#pending +
      (typeof chunk === 'string' ? chunk : this.#decoder.write(chunk));
    const end = lastEventEnd(text);
    if (end < 0) {
      this.#pending = text;
      this.#checkPending();
      return { raw: '', events: [] };
    }
    const raw = text.slice(0, end);
    this.#pending = text.slice(end);
    this.#checkPending();
    return { raw, events: parseEvents(raw) };
  }

  /** What is left when the stream ends: a final event without its blank line. */
  flush(): SseChunk {
    const text = this.#pending + this.#decoder.end();
    this.#pending = '';
    if (text.trim() === '') return { raw: '', events: [] };
    return { raw: `${text}\n\n`, events: parseEvents(`${text}\n\n`) };
  }

  #checkPending() {
    if (this.#pending.length > this.#maxPending) {
      throw new Error(`an SSE event exceeded ${this.#maxPending} bytes`);
    }
  }
}

/** Index just past the last blank line (event terminator), or -1. */
function lastEventEnd(text: string): number {
  // Fast path for the usual LF-only stream: one search instead of three.
  if (text.indexOf('\r') < 0) {
    const i = text.lastIndexOf('\n\n');
    return i < 0 ? -1 : i + 2;
  }
  let best = -1;
  for (const sep of ['\n\n', '\r\n\r\n', '\r\r']) {
    const i = text.lastIndexOf(sep);
    if (i >= 0 && i + sep.length > best) best = i + sep.length;
  }
  return best;
}

function parseEvents(raw: string): SseEvent[] {
  const events: SseEvent[] = [];
  let data: string[] | undefined;
  let event: string | undefined;
  let id: string | undefined;
  // Splitting on a string is several times cheaper than on a RegExp.
  const lines =
    raw.indexOf('\r') < 0 ? raw.split('\n') : raw.split(/\r\n|\r|\n/);
  for (const line of lines) {
    if (line === '') {
      if (data)
        events.push({
          data: data.join('\n'),
          ...(event ? { event } : {}),
          ...(id ? { id } : {}),
        });
      data = undefined;
      event = undefined;
      id = undefined;
      continue;
    }
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') (data ??= []).push(value);
    else if (field === 'event') event = value;
    else if (field === 'id') id = value;
  }
  return events;
}
