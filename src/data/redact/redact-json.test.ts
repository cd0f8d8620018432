import { describe, expect, it } from 'vitest';
import { redactBytes, rescan, unredactBytes } from './redact.test-support.js';

const LINES = [
  String.raw`{"name":"Jos\u00e9","email":"jane.doe\u0040acme-corp.io","note":"say \"hi\" to bob.stone@acme-corp.io 😀"}`,
  String.raw`{"raw":"caf\u00e9 ✓ \ud83d\ude00 call +1 415-555-2671","card":4111111111111111,"n":[1,2.5e3,true,null]}`,
  '',
  String.raw`  {"nested":{"list":["x","+1 415-555-2671"],"ok":"fine"}}  `,
].join('\r\n');

const utf8 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');
const parsedLines = (text: string): unknown[] =>
  text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as unknown);

describe('redacting JSON Lines', () => {
  it('replaces values inside escaped strings and keeps every other byte', async () => {
    const { text, result } = await redactBytes(LINES, { operator: 'replace' }, { format: 'jsonl' });
    expect(text).toBe(
      LINES.replace(String.raw`Jos\u00e9`, '<PERSON>')
        .replace(String.raw`jane.doe\u0040acme-corp.io`, '<EMAIL_ADDRESS>')
        .replace('bob.stone@acme-corp.io', '<EMAIL_ADDRESS>')
        .replaceAll('+1 415-555-2671', '<PHONE_NUMBER>')
        .replace('4111111111111111', '"<CREDIT_CARD>"'),
    );
    expect(parsedLines(text)[0]).toEqual({
      name: '<PERSON>',
      email: '<EMAIL_ADDRESS>',
      note: 'say "hi" to <EMAIL_ADDRESS> 😀',
    });
    expect(result.counts.byEntity).toEqual({ CREDIT_CARD: 1, EMAIL_ADDRESS: 2, PERSON: 1, PHONE_NUMBER: 2 });
  });

  it('JSON-escapes a replacement, so every line still parses to the expected values', async () => {
    const replacement = String.raw`"{entity}" \ 
 removed`;
    const { text } = await redactBytes(LINES, { operator: 'replace', replacement }, { format: 'jsonl' });
    const filled = (entity: string): string => replacement.replace('{entity}', entity);
    const [first, second, third] = parsedLines(text) as Record<string, unknown>[];
    expect(first?.['note']).toBe(`say "hi" to ${filled('EMAIL_ADDRESS')} 😀`);
    expect(second?.['card']).toBe(filled('CREDIT_CARD'));
    expect(second?.['raw']).toBe(`café ✓ 😀 call ${filled('PHONE_NUMBER')}`);
    expect(third).toEqual({ nested: { list: ['x', filled('PHONE_NUMBER')], ok: 'fine' } });
  });

  it.each(['mask', 'replace', 'hash'] as const)('leaves nothing a re-scan finds (%s)', async (operator) => {
    expect(await rescan(new TextEncoder().encode(LINES), 'jsonl')).not.toEqual([]);
    const { bytes } = await redactBytes(LINES, { operator }, { format: 'jsonl' });
    expect(await rescan(bytes, 'jsonl')).toEqual([]);
  });

  it('restores the exact bytes, escapes and numbers included, at any read size', async () => {
    for (const chunkSize of [undefined, 1, 3, 50]) {
      const options = { format: 'jsonl' as const, ...(chunkSize === undefined ? {} : { chunkSize }) };
      const { bytes, text } = await redactBytes(LINES, {}, options);
      expect(text).toMatch(/"card":"<CREDIT_CARD#enc1:[a-z2-7.]+>"/);
      const back = await unredactBytes(bytes, undefined, options);
      expect(utf8(back.bytes)).toBe(LINES);
    }
  });

  it('redacts a line that is not JSON as plain text', async () => {
    const input = `{"a":"jane.doe@acme-corp.io"}\nnot json: jane.doe@acme-corp.io\n{"b":1}\n`;
    const { text, result } = await redactBytes(input, { operator: 'replace' }, { format: 'jsonl' });
    expect(text).toBe('{"a":"<EMAIL_ADDRESS>"}\nnot json: <EMAIL_ADDRESS>\n{"b":1}\n');
    expect(result.counts).toMatchObject({ malformed: 1, replacements: 2 });
  });
});

describe('redacting a JSON document', () => {
  const DOC = `[
  {"user": {"dob": "1985-03-14", "created": "1985-03-14", "mail": "jane.doe@acme-corp.io"}},
  {"user": {"phones": ["+1 415-555-2671"], "age": 41}}
]
`;

  it('streams a top-level array and uses the JSON path as context', async () => {
    const { text, result } = await redactBytes(
      DOC,
      { operator: 'replace' },
      { format: 'json', chunkSize: 7 },
    );
    expect(text).toBe(
      DOC.replace('"dob": "1985-03-14"', '"dob": "<DATE_OF_BIRTH>"')
        .replace('jane.doe@acme-corp.io', '<EMAIL_ADDRESS>')
        .replace('+1 415-555-2671', '<PHONE_NUMBER>'),
    );
    expect(result.counts.byEntity).toEqual({ DATE_OF_BIRTH: 1, EMAIL_ADDRESS: 1, PHONE_NUMBER: 1 });
    const sealed = await redactBytes(DOC, {}, { format: 'json', chunkSize: 5 });
    expect(utf8((await unredactBytes(sealed.bytes, undefined, { format: 'json', chunkSize: 3 })).bytes)).toBe(
      DOC,
    );
  });

  it('stops on a syntax error and says how to redact the file as text', async () => {
    await expect(redactBytes('[{"a": "x"}, {"b" 1}]', {}, { format: 'json' })).rejects.toMatchObject({
      code: 'INPUT_INVALID',
      message: expect.stringMatching(/line 1, column 19.*--input-format text/) as unknown,
    });
    await expect(redactBytes('{"a": "unterminated', {}, { format: 'json' })).rejects.toThrow(/ends inside/);
  });
});
