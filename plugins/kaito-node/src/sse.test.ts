import { SseParser, formatSseComment, formatSseEvent } from './sse';

function feedAll(parser: SseParser, parts: (string | Buffer)[]) {
  const raw: string[] = [];
  const events = [];
  for (const p of parts) {
    const r = parser.push(p);
    raw.push(r.raw);
    events.push(...r.events);
  }
  const tail = parser.flush();
  raw.push(tail.raw);
  events.push(...tail.events);
  return { raw: raw.join(''), events };
}

const STREAM =
  'data: {"a":1}\n\n' +
  ': keep-alive\n\n' +
  'event: error\nid: 7\ndata: line one\ndata: line two\n\n' +
  'data: {"text":"héllo 🌍"}\n\n' +
  'data: [DONE]\n\n';

describe('SseParser', () => {
  it('parses events, comments, multi-line data, names and ids', () => {
    const { events, raw } = feedAll(new SseParser(), [STREAM]);
    expect(raw).toBe(STREAM);
    expect(events).toEqual([
      { data: '{"a":1}' },
      { event: 'error', id: '7', data: 'line one\nline two' },
      { data: '{"text":"héllo 🌍"}' },
      { data: '[DONE]' },
    ]);
  });

  it('gives the same result however the bytes are split, including inside UTF-8 characters', () => {
    const bytes = Buffer.from(STREAM);
    const expected = feedAll(new SseParser(), [STREAM]).events;
    for (let size = 1; size <= 17; size++) {
      const parts: Buffer[] = [];
      for (let i = 0; i < bytes.length; i += size)
        parts.push(bytes.subarray(i, i + size));
      const { events, raw } = feedAll(new SseParser(), parts);
      expect(events).toEqual(expected);
      expect(raw).toBe(STREAM);
    }
  });

  it('holds back only the unfinished event', () => {
    const p = new SseParser();
    expect(p.push('data: {"a":1}\n\ndata: {"b"').raw).toBe('data: {"a":1}\n\n');
    expect(p.pendingLength).toBe('data: {"b"'.length);
    expect(p.push(':2}\n\n').events).toEqual([{ data: '{"b":2}' }]);
  });

  it('accepts CRLF line endings', () => {
    const { events } = feedAll(new SseParser(), [
      'data: x\r\n\r\ndata: y\r\n\r\n',
    ]);
    expect(events).toEqual([{ data: 'x' }, { data: 'y' }]);
  });

  it('delivers a final event that lacks its blank line on flush', () => {
    const { events } = feedAll(new SseParser(), ['data: last']);
    expect(events).toEqual([{ data: 'last' }]);
  });

  it('refuses an event that never ends', () => {
    const p = new SseParser({ maxEventBytes: 100 });
    expect(() => p.push(`data: ${'x'.repeat(200)}`)).toThrow(
      'exceeded 100 bytes',
    );
  });
});

describe('formatSseEvent', () => {
  it('round-trips through the parser and cannot be broken by newlines', () => {
    const text =
      formatSseEvent({ event: 'snap\nshot', id: '1\r2', data: 'a\nb\r\nc' }) +
      formatSseComment('hi\nthere');
    const { events } = feedAll(new SseParser(), [text]);
    expect(events).toEqual([{ event: 'snapshot', id: '12', data: 'a\nb\nc' }]);
  });
});
