import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BulwarkError } from '../../core/errors.js';
import { OTHER_KEYS, redactBytes, rescan, unredactBytes } from './redact.test-support.js';

const EMAIL = 'jane.doe@acme-corp.io';
const PHONE = '+1 415-555-2671';
const CARD = '4111 1111 1111 1111';
const IBAN = 'DE89 3704 0044 0532 0130 00';

const LOG = [
  `2024-05-01 INFO login by ${EMAIL}\r\n`,
  `2024-05-01 INFO callback ${PHONE}\r`,
  'nothing to see here\n',
  '\n',
  `payment with card ${CARD} and IBAN ${IBAN}\n`,
  `last line without a break, mail ${EMAIL}`,
].join('');

const utf8 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');

describe('redacting text', () => {
  it('changes only the sensitive spans and keeps every line break', async () => {
    const { text, result } = await redactBytes(LOG, { operator: 'replace' }, { format: 'text' });
    expect(text).toBe(
      LOG.replaceAll(EMAIL, '<EMAIL_ADDRESS>')
        .replace(PHONE, '<PHONE_NUMBER>')
        .replace(CARD, '<CREDIT_CARD>')
        .replace(IBAN, '<IBAN_CODE>'),
    );
    expect(result.unit).toBe('line');
    expect(result.counts).toMatchObject({
      units: 5,
      changedUnits: 4,
      replacements: 5,
      byEntity: { CREDIT_CARD: 1, EMAIL_ADDRESS: 2, IBAN_CODE: 1, PHONE_NUMBER: 1 },
    });
  });

  it.each(['mask', 'replace', 'hash'] as const)('leaves nothing a re-scan finds (%s)', async (operator) => {
    expect(await rescan(new TextEncoder().encode(LOG), 'text')).not.toEqual([]);
    const { bytes, text } = await redactBytes(LOG, { operator }, { format: 'text' });
    expect(await rescan(bytes, 'text')).toEqual([]);
    for (const value of [EMAIL, PHONE, CARD, IBAN]) expect(text).not.toContain(value);
  });

  it('hashes equal values to equal tokens', async () => {
    const { text } = await redactBytes(LOG, { operator: 'hash' }, { format: 'text' });
    const tokens = text.match(/<EMAIL_ADDRESS#hmac:[a-z2-7]{24}>/g) ?? [];
    expect(tokens).toHaveLength(2);
    expect(tokens[0]).toBe(tokens[1]);
  });

  it('restores the exact input from encrypted tokens', async () => {
    const { bytes, text } = await redactBytes(LOG, {}, { format: 'text' });
    expect(text).not.toContain(EMAIL);
    const back = await unredactBytes(bytes, undefined, { format: 'text' });
    expect(utf8(back.bytes)).toBe(LOG);
    expect(back.result.counts).toEqual({
      tokens: 5,
      byEntity: { CREDIT_CARD: 1, EMAIL_ADDRESS: 2, IBAN_CODE: 1, PHONE_NUMBER: 1 },
    });
  });

  it('keeps a byte-order mark and bytes that are not UTF-8, byte for byte', async () => {
    const input = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(`mail ${EMAIL} `),
      Buffer.from([0xff, 0xfe, 0xc3]),
      Buffer.from(' done\n'),
    ]);
    const { bytes } = await redactBytes(input, { operator: 'replace' }, { format: 'text' });
    const expected = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from('mail <EMAIL_ADDRESS> '),
      Buffer.from([0xff, 0xfe, 0xc3]),
      Buffer.from(' done\n'),
    ]);
    expect(Buffer.from(bytes).equals(expected)).toBe(true);
    const sealed = await redactBytes(input, {}, { format: 'text' });
    const back = await unredactBytes(sealed.bytes, undefined, { format: 'text' });
    expect(Buffer.from(back.bytes).equals(input)).toBe(true);
  });

  it('writes UTF-16 files back in UTF-16', async () => {
    const input = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from(`call ${PHONE}\r\nbye\r\n`, 'utf16le'),
    ]);
    const { bytes } = await redactBytes(input, { operator: 'replace' }, { format: 'text' });
    expect(Array.from(bytes.subarray(0, 2))).toEqual([0xff, 0xfe]);
    expect(Buffer.from(bytes.subarray(2)).toString('utf16le')).toBe('call <PHONE_NUMBER>\r\nbye\r\n');
    const sealed = await redactBytes(input, {}, { format: 'text' });
    const back = await unredactBytes(sealed.bytes, undefined, { format: 'text' });
    expect(Buffer.from(back.bytes).equals(input)).toBe(true);
  });

  it('gives the same output whatever the read size', async () => {
    const input = `é ${EMAIL}\r\n😀 ${PHONE}\r\r\n`.repeat(20);
    const whole = await redactBytes(input, { operator: 'hash' }, { format: 'text' });
    for (const chunkSize of [1, 2, 3, 7, 64]) {
      const pieces = await redactBytes(input, { operator: 'hash' }, { format: 'text', chunkSize });
      expect(pieces.text).toBe(whole.text);
      const sealed = await redactBytes(input, {}, { format: 'text', chunkSize });
      const back = await unredactBytes(sealed.bytes, undefined, { format: 'text', chunkSize });
      expect(utf8(back.bytes)).toBe(input);
    }
  });

  it('redacts a PEM private key whole, body lines included', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const input = `config:\n${pem}after\n`;
    const { text, result } = await redactBytes(input, { operator: 'replace' }, { format: 'text' });
    expect(text).toBe('config:\n<PRIVATE_KEY>\nafter\n');
    expect(result.counts.byEntity).toEqual({ PRIVATE_KEY: 1 });
    const sealed = await redactBytes(input, {}, { format: 'text' });
    expect(utf8((await unredactBytes(sealed.bytes, undefined, { format: 'text' })).bytes)).toBe(input);
  });

  it('finds values anywhere in a line longer than the analysis window', async () => {
    const filler = (n: number): string => 'lorem ipsum '.repeat(Math.ceil(n / 12)).slice(0, n);
    const positions = [10, 61_400, 65_530, 130_000, 200_000];
    let line = '';
    for (const at of positions) line += `${filler(at - line.length)} ${EMAIL} `;
    const input = `${line}\nshort ${EMAIL}\n`;
    const { text, result } = await redactBytes(
      input,
      { operator: 'replace' },
      { format: 'text', chunkSize: 4096 },
    );
    expect(result.counts.replacements).toBe(positions.length + 1);
    expect(text).toBe(input.replaceAll(EMAIL, '<EMAIL_ADDRESS>'));
    const sealed = await redactBytes(input, {}, { format: 'text', chunkSize: 4096 });
    expect(
      utf8((await unredactBytes(sealed.bytes, undefined, { format: 'text', chunkSize: 999 })).bytes),
    ).toBe(input);
  });

  it('honours the entity filter, the confidence floor and per-entity operators', async () => {
    const only = await redactBytes(
      LOG,
      { operator: 'replace', entities: new Set(['PHONE_NUMBER']) },
      { format: 'text' },
    );
    expect(only.text).toBe(LOG.replace(PHONE, '<PHONE_NUMBER>'));
    const mixed = await redactBytes(
      LOG,
      { operator: 'replace', entityOperators: { EMAIL_ADDRESS: 'hash' } },
      { format: 'text' },
    );
    expect(mixed.text).toMatch(/login by <EMAIL_ADDRESS#hmac:[a-z2-7]{24}>/);
    expect(mixed.text).toContain('<CREDIT_CARD>');
    expect(mixed.result.counts.byOperator).toEqual({ hash: 2, replace: 3 });
    // example.com is a documentation domain: a low-confidence match, kept unless the floor is low.
    const example = 'write to someone@example.com\n';
    expect((await redactBytes(example, { operator: 'replace' }, { format: 'text' })).text).toBe(example);
    expect(
      (await redactBytes(example, { operator: 'replace', minConfidence: 'low' }, { format: 'text' })).text,
    ).toBe('write to <EMAIL_ADDRESS>\n');
  });

  it('refuses to encrypt input that already holds encrypted tokens', async () => {
    const sealed = await redactBytes(LOG, {}, { format: 'text' });
    await expect(redactBytes(sealed.bytes, {}, { format: 'text' })).rejects.toThrow(BulwarkError);
    await expect(redactBytes(sealed.bytes, {}, { format: 'text' })).rejects.toThrow(
      /already holds an encrypted/,
    );
    const masked = await redactBytes(sealed.bytes, { operator: 'mask' }, { format: 'text' });
    expect(masked.text).toBe(sealed.text);
  });

  it('fails on a wrong key or a changed token', async () => {
    const { bytes, text } = await redactBytes(LOG, {}, { format: 'text' });
    await expect(unredactBytes(bytes, OTHER_KEYS, { format: 'text' })).rejects.toMatchObject({
      code: 'SIGNATURE_INVALID',
      message: expect.stringMatching(/EMAIL_ADDRESS token at line 1 .*wrong key/) as unknown,
    });
    const tampered = text.replace(
      /(<PHONE_NUMBER#enc1:)([a-z2-7])/,
      (_all, head: string, c: string) => head + (c === 'a' ? 'b' : 'a'),
    );
    await expect(
      unredactBytes(new TextEncoder().encode(tampered), undefined, { format: 'text' }),
    ).rejects.toThrow(/PHONE_NUMBER token at line 2 .*was changed/);
  });
});
