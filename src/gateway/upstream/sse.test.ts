import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../core/seeded-random.js';
import {
  SSE_DONE,
  SseParser,
  formatSseComment,
  formatSseData,
  formatSseError,
  readSseEvents,
  type SseEvent,
} from './sse.js';

const parseAll = (text: string | Uint8Array): SseEvent[] => {
  const parser = new SseParser();
  const events = parser.push(text);
  parser.end();
  return events;
};

const message = (data: string, id = '', type = 'message'): SseEvent => ({ type, data, id });

describe('SseParser', () => {
  it('splits events on LF, CRLF and CR alike', () => {
    const expected = [message('a'), message('b')];
    expect(parseAll('data: a\n\ndata: b\n\n')).toEqual(expected);
    expect(parseAll('data: a\r\n\r\ndata: b\r\n\r\n')).toEqual(expected);
    expect(parseAll('data: a\r\rdata: b\r\r')).toEqual(expected);
    expect(parseAll('data: a\r\n\ndata: b\r\r\n')).toEqual(expected);
  });

  it('joins multi-line data with LF and strips only one leading space', () => {
    expect(parseAll('data: one\ndata:two\ndata:  three\n\n')).toEqual([message('one\ntwo\n three')]);
  });

  it('ignores comments and unknown fields, and reads fields without a colon', () => {
    expect(parseAll(': keep-alive\nfoo: bar\ndata\n\n')).toEqual([message('')]);
    expect(parseAll(': only a comment\n\n')).toEqual([]);
  });

  it('names events, keeps the last event id across events and ignores ids with NUL', () => {
    const events = parseAll('event: error\nid: 7\ndata: x\n\ndata: y\n\nid: a\0b\ndata: z\n\n');
    expect(events).toEqual([message('x', '7', 'error'), message('y', '7'), message('z', '7')]);
  });

  it('drops an event type without data and resets it after dispatch', () => {
    expect(parseAll('event: ping\n\ndata: d\n\n')).toEqual([message('d')]);
  });

  it('sets the reconnection time only from all-digit retry values', () => {
    const parser = new SseParser();
    parser.push('retry: 1500\n\nretry: 12a\n\n');
    expect(parser.reconnectionTime).toBe(1500);
  });

  it('strips one leading BOM from bytes and from text', () => {
    const bom = new Uint8Array([0xef, 0xbb, 0xbf]);
    const rest = new TextEncoder().encode('data: x\n\n');
    expect(parseAll(new Uint8Array([...bom, ...rest]))).toEqual([message('x')]);
    expect(parseAll('\uFEFFdata: x\n\n')).toEqual([message('x')]);
    // A second BOM is data, not a signature.
    expect(parseAll('\uFEFF\uFEFFdata: x\n\n')).toEqual([]);
  });

  it('discards an event cut off before its blank line and reports it as pending', () => {
    const parser = new SseParser();
    expect(parser.push('data: complete\n\ndata: partial\n')).toEqual([message('complete')]);
    expect(parser.hasPendingEvent).toBe(true);
    expect(parser.end()).toEqual([]);
  });

  it('keeps a CRLF split across chunks as one line break', () => {
    const parser = new SseParser();
    expect(parser.push('data: a\r')).toEqual([]);
    expect(parser.push('\n\r')).toEqual([message('a')]);
    expect(parser.push('\ndata: b\n\n')).toEqual([message('b')]);
  });

  it('refuses a line or an event over its bound with LIMIT_EXCEEDED', () => {
    const lines = new SseParser({ maxLineLength: 16 });
    expect(() => lines.push('data: ' + 'x'.repeat(20))).toThrow(
      expect.objectContaining({ code: 'LIMIT_EXCEEDED' }),
    );
    const chunked = new SseParser({ maxLineLength: 16 });
    chunked.push('data: 0123456789');
    expect(() => chunked.push('abcdef')).toThrow(/line longer than 16/);
    const events = new SseParser({ maxEventLength: 10 });
    expect(() => events.push('data: 123456\ndata: 123456\n')).toThrow(/event larger than 10/);
  });

  it('gives identical events however the bytes are chunked (seeded fuzz)', () => {
    const random = seededRandom(0x55e);
    const alphabet = [
      'data: ',
      'data:',
      'event: x',
      'id: 4',
      'retry: 9',
      ': c',
      '\n',
      '\r',
      '\r\n',
      'é',
      '😀',
      'ab',
      ' ',
      ':',
      '{"k":1}',
    ];
    for (let round = 0; round < 300; round += 1) {
      let text = round % 3 === 0 ? '\uFEFF' : '';
      const parts = 1 + Math.floor(random() * 40);
      for (let i = 0; i < parts; i += 1) text += alphabet[Math.floor(random() * alphabet.length)];
      text += '\n\n';
      const bytes = new TextEncoder().encode(text);
      const whole = parseAll(bytes);
      const parser = new SseParser();
      const pieces: SseEvent[] = [];
      let at = 0;
      while (at < bytes.length) {
        const size = 1 + Math.floor(random() * 5);
        pieces.push(...parser.push(bytes.subarray(at, at + size)));
        at += size;
      }
      parser.end();
      expect(pieces).toEqual(whole);
    }
  });

  it('reads an async stream lazily', async () => {
    async function* source(): AsyncGenerator<string> {
      await Promise.resolve();
      yield 'data: 1\n';
      yield '\ndata: 2\n\n';
      yield 'data: cut';
    }
    const events: SseEvent[] = [];
    for await (const event of readSseEvents(source())) events.push(event);
    expect(events).toEqual([message('1'), message('2')]);
  });
});

describe('SSE writer', () => {
  it('writes one-line data events that the parser reads back', () => {
    const value = { text: 'line one\nline two\r\nend', n: 1 };
    const written = formatSseData(value);
    expect(written.split('\n').filter((l) => l !== '')).toHaveLength(1);
    const [event] = parseAll(written);
    expect(JSON.parse(event!.data)).toEqual(value);
  });

  it('ends with an unnamed error event followed by [DONE]', () => {
    const body = {
      error: { message: 'Blocked.', type: 'invalid_request_error', param: null, code: 'content_blocked' },
    };
    const events = parseAll(formatSseError(body));
    expect(events.map((e) => e.type)).toEqual(['message', 'message']);
    expect(JSON.parse(events[0]!.data)).toEqual(body);
    expect(events[1]!.data).toBe('[DONE]');
    expect(formatSseError(body).endsWith(SSE_DONE)).toBe(true);
  });

  it('writes comments that no client sees as events', () => {
    expect(formatSseComment('ping\nx')).toBe(': ping x\n\n');
    expect(parseAll(formatSseComment('ping'))).toEqual([]);
  });
});
