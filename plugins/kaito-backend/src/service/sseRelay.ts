import { SseParser, UpstreamError } from '@kaito-backstage/plugin-kaito-node';
import { Response } from 'express';
import { IncomingMessage } from 'node:http';
import { ChatUsage } from './chatExchange';
import { startSse } from './sseResponse';

/** What the SSE relay reports to the exchange it serves. */
export interface SseRelayHooks {
  /** Words for messages about the upstream. */
  label: string;
  /** Headers went to the caller. */
  headersStarted(): void;
  /** Bytes arrived from the upstream. */
  touch(): void;
  /** The caller stopped reading (true) or drained (false): the upstream waits on it, not the reverse. */
  callerSlow(slow: boolean): void;
  /** An event carried content. */
  contentToken(): void;
  setUsage(usage: ChatUsage): void;
  /** The stream ended with [DONE] and went out in full. */
  complete(): void;
  fail(error: unknown): void;
}

/**
 * Relays an upstream event stream to the caller event by event, as it
 * arrives (only an unfinished event is held back), with back-pressure from
 * a slow caller. Fails on events that break the protocol, a stream without
 * [DONE], or a dropped connection.
 */
export function relaySse(
  upstreamRes: IncomingMessage,
  res: Response,
  h: SseRelayHooks,
) {
  const parser = new SseParser();
  let sawDone = false;
  let headers = false;
  let ended = false;
  const invalid = (why: string) =>
    new UpstreamError(
      'invalid_response',
      `${h.label} sent an invalid event stream (${why})`,
      502,
    );
  const stop = (error: unknown) => {
    if (ended) return;
    ended = true;
    upstreamRes.removeAllListeners('data');
    upstreamRes.destroy();
    h.fail(error);
  };
  // Returns an error when the events break the protocol. Every event must
  // be a JSON object or [DONE]. The first event, and any carrying usage or
  // an error, is parsed in full; the rest get a structural check, which
  // catches HTML pages and truncated JSON at a fraction of the cost.
  let checked = 0;
  const inspect = (events: { data: string }[]): UpstreamError | undefined => {
    for (const ev of events) {
      const data = ev.data;
      if (data === '[DONE]') {
        sawDone = true;
        continue;
      }
      if (
        data.charCodeAt(0) !== 123 /* { */ ||
        data.charCodeAt(data.length - 1) !== 125 /* } */
      ) {
        return invalid('an event is not a JSON object');
      }
      if (
        checked++ === 0 ||
        data.includes('"usage":{') ||
        data.includes('"error"')
      ) {
        let obj: any;
        try {
          obj = JSON.parse(data);
        } catch {
          return invalid('an event is not JSON');
        }
        if (obj.usage && typeof obj.usage === 'object') h.setUsage(obj.usage);
      }
      if (hasContent(data)) h.contentToken();
    }
    return undefined;
  };
  const write = (raw: string) => {
    if (!headers) {
      headers = true;
      startSse(res);
      h.headersStarted();
    }
    if (!res.write(raw)) {
      // Slow caller: stop reading upstream until its socket drains.
      upstreamRes.pause();
      h.callerSlow(true);
      res.once('drain', () => {
        h.callerSlow(false);
        upstreamRes.resume();
      });
    }
  };
  upstreamRes.on('data', (chunk: Buffer) => {
    h.touch();
    let parsed;
    try {
      parsed = parser.push(chunk);
    } catch (error) {
      stop(invalid((error as Error).message));
      return;
    }
    if (!parsed.raw) return;
    const problem = inspect(parsed.events);
    if (problem) {
      stop(problem);
      return;
    }
    write(parsed.raw);
  });
  upstreamRes.on('end', () => {
    if (ended) return;
    let tail;
    try {
      tail = parser.flush();
    } catch (error) {
      stop(invalid((error as Error).message));
      return;
    }
    if (tail.raw) {
      const problem = inspect(tail.events);
      if (problem) {
        stop(problem);
        return;
      }
      write(tail.raw);
    }
    if (!sawDone) {
      stop(
        new UpstreamError(
          'unreachable',
          `${h.label} closed the stream before the answer was complete`,
          502,
        ),
      );
      return;
    }
    ended = true;
    if (!headers) {
      startSse(res);
      h.headersStarted();
    }
    res.end();
    h.complete();
  });
  const broken = (error?: unknown) =>
    stop(error ?? new Error('connection reset'));
  upstreamRes.on('error', broken);
  upstreamRes.on('aborted', () => broken());
}

/** True when a chunk's delta carries non-empty content (or reasoning). */
function hasContent(data: string): boolean {
  for (const key of ['"content":"', '"reasoning_content":"']) {
    const i = data.indexOf(key);
    if (i >= 0 && data.charCodeAt(i + key.length) !== 34 /* " */) return true;
  }
  return false;
}
