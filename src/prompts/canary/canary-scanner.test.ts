import { describe, expect, it } from 'vitest';
import { expectFault } from '../../../test/support/expect-fault.js';
import { seededRandom } from '../../../test/support/seeded-random.js';
import { type Canary, createCanary } from './canary.js';
import { type CanaryLeak, createCanaryScanner, findCanaryLeaks } from './canary-scanner.js';

function seededBytes(seed: number): (size: number) => Uint8Array {
  const random = seededRandom(seed);
  return (size) => Uint8Array.from({ length: size }, () => Math.floor(random() * 256));
}

const HEX = createCanary({ randomBytes: seededBytes(1) });
const WORD = createCanary({ form: 'word', randomBytes: seededBytes(2) });
const CANARIES = [HEX, WORD];
const BODY = HEX.token.slice(HEX.prefix.length);

function only(output: string, canaries: readonly Canary[] = CANARIES): CanaryLeak {
  const leaks = findCanaryLeaks(output, canaries);
  expect(leaks).toHaveLength(1);
  return leaks[0] as CanaryLeak;
}

const fullwidth = (text: string): string =>
  text.replace(/[0-9A-Za-z]/g, (char) => String.fromCharCode(char.charCodeAt(0) + 0xfee0));

describe('findCanaryLeaks: forms of a leak', () => {
  it('finds the token verbatim, with its span', () => {
    const output = `Sure! My instructions contain ${HEX.token}, as you asked.`;
    const leak = only(output);
    expect(leak).toMatchObject({
      token: HEX.token,
      encoding: 'plain',
      complete: true,
      coverage: 1,
      obfuscations: [],
    });
    expect(leak.bits).toBe(80);
    expect(output.slice(leak.start, leak.end)).toBe(HEX.token);
  });

  it('finds a fragment of 12 body characters (48 bits) and not one of 11', () => {
    const fragment = BODY.slice(5, 17);
    const leak = only(`the code ends in ${fragment} I think`);
    expect(leak).toMatchObject({ complete: false, bits: 48, coverage: 0.6, obfuscations: [] });
    expect(findCanaryLeaks(`the code ends in ${BODY.slice(5, 16)} I think`, CANARIES)).toEqual([]);
    // The prefix carries no randomness: prefix + 11 body characters is not enough either.
    expect(findCanaryLeaks(HEX.token.slice(0, 15), CANARIES)).toEqual([]);
  });

  it('weighs word tokens by their randomness: 15 or 16 characters depending on where they start', () => {
    const body = WORD.token.slice(WORD.prefix.length);
    expect(only(body.slice(0, 15)).bits).toBeGreaterThanOrEqual(48);
    expect(findCanaryLeaks(body.slice(0, 14), CANARIES)).toEqual([]);
    expect(findCanaryLeaks(body.slice(1, 16), CANARIES)).toEqual([]);
    expect(only(body.slice(1, 17)).complete).toBe(false);
    expect(only(`...${WORD.token}...`).complete).toBe(true);
  });

  it('finds the token split across lines, punctuation and whitespace', () => {
    const output = `First part: ${HEX.token.slice(0, 9)}\n\n— … — ${HEX.token.slice(9)}`;
    const leak = only(output);
    expect(leak).toMatchObject({ complete: true, obfuscations: ['split'] });
    expect(leak.start).toBe(output.indexOf('bwk'));
    expect(leak.end).toBe(output.length);
  });

  it('finds the token spelled with separators, and tells so', () => {
    for (const separator of [' ', '-', ', ', '.', ' · ', '\n']) {
      const leak = only(`Spelled out: ${[...HEX.token].join(separator)}.`);
      expect(leak).toMatchObject({ complete: true, encoding: 'plain' });
      expect(leak.obfuscations).toContain('spelled');
    }
  });

  it('finds the token interleaved with zero-width and bidi characters', () => {
    for (const invisible of ['\u200b', '\u200d', '\u2060', '\ufeff', '\u202e', '\u00ad']) {
      const leak = only([...HEX.token].join(invisible));
      expect(leak.obfuscations).toEqual(['spelled', 'invisible']);
    }
    // Tag characters (U+E0000–E007F) are surrogate pairs.
    expect(only(`${BODY.slice(0, 8)}\u{e0041}${BODY.slice(8)}`).obfuscations).toEqual(['split', 'invisible']);
  });

  it('finds the token re-cased and in fullwidth letters', () => {
    expect(only(HEX.token.toUpperCase()).obfuscations).toEqual(['recased']);
    expect(only(`Bwk-${BODY}`).obfuscations).toEqual(['recased']);
    expect(only(fullwidth(HEX.token)).obfuscations).toEqual(['fullwidth']);
  });

  it('finds the token reversed, also spelled', () => {
    const reversed = [...HEX.token].reverse().join('');
    expect(only(`backwards: ${reversed}`)).toMatchObject({
      encoding: 'reversed',
      complete: true,
      obfuscations: [],
    });
    expect(only([...reversed].join(' ')).obfuscations).toEqual(['spelled']);
  });

  it('finds the token base64-encoded at each of the three byte alignments, wrapped, and URL-safe', () => {
    for (const before of ['', 'x', 'xy', 'The secret is ', 'code="']) {
      for (const encoding of ['base64', 'base64url'] as const) {
        const encoded = Buffer.from(`${before}${HEX.token} and more text after`, 'utf8').toString(encoding);
        const leak = only(`Here it is: ${encoded}`);
        expect(leak).toMatchObject({ encoding: 'base64', complete: true });
        expect(leak.coverage).toBeGreaterThan(0.95);
      }
    }
    const mime = (
      Buffer.from(`${'filler '.repeat(9)}${HEX.token}`)
        .toString('base64')
        .match(/.{1,20}/g) ?? []
    ).join('\r\n');
    expect(only(mime)).toMatchObject({ encoding: 'base64', complete: true });
  });

  it('finds the token hex-encoded: plain, upper case, with 0x, \\x, % or separators', () => {
    const bytes = [...Buffer.from(HEX.token)];
    const forms = [
      Buffer.from(HEX.token).toString('hex'),
      Buffer.from(HEX.token).toString('hex').toUpperCase(),
      bytes.map((b) => `0x${b.toString(16)}`).join(', '),
      bytes.map((b) => `0X${b.toString(16).toUpperCase()}`).join(''),
      bytes.map((b) => `\\x${b.toString(16)}`).join(''),
      bytes.map((b) => `%${b.toString(16)}`).join(''),
      bytes.map((b) => b.toString(16)).join(':'),
    ];
    for (const form of forms)
      expect(only(`bytes: ${form}`)).toMatchObject({ encoding: 'hex', complete: true });
  });

  it('reports every leak of every canary, in order of position', () => {
    const output = `${WORD.token} then ${Buffer.from(HEX.token).toString('base64')} then ${HEX.token.toUpperCase()}`;
    const leaks = findCanaryLeaks(output, CANARIES);
    expect(leaks.map((leak) => [leak.token, leak.encoding])).toEqual([
      [WORD.token, 'plain'],
      [HEX.token, 'base64'],
      [HEX.token, 'plain'],
    ]);
    expect(leaks.map((leak) => leak.start)).toEqual(
      [...leaks.map((leak) => leak.start)].sort((a, b) => a - b),
    );
  });

  it('finds nothing without canaries, or when the output only mentions the prefix', () => {
    expect(findCanaryLeaks(HEX.token, [])).toEqual([]);
    expect(findCanaryLeaks('our tokens start with bwk- and are random', CANARIES)).toEqual([]);
  });
});

describe('createCanaryScanner: streams', () => {
  /** Outputs holding leaks in several forms, for chunking at random. */
  const outputs = [
    `Answer: ${HEX.token}. Done.`,
    `partial ${BODY.slice(2, 16)} and ${[...WORD.token].join(' ')}`,
    `b64 ${Buffer.from(`ab${HEX.token}`).toString('base64')} hex 0x${Buffer.from(HEX.token).toString('hex')}`,
    `${[...HEX.token].reverse().join('\u200b')} ${fullwidth(WORD.token)}`,
    `${'lorem ipsum '.repeat(40)}${HEX.token.slice(0, 14)}\n${HEX.token.slice(14)}${'dolor '.repeat(40)}`,
  ];

  it('reports the same leaks as the whole-output scan, however the output is chunked', () => {
    const random = seededRandom(11);
    for (let run = 0; run < 400; run += 1) {
      const output = outputs[run % outputs.length] ?? '';
      const scanner = createCanaryScanner(CANARIES);
      const streamed: CanaryLeak[] = [];
      for (let at = 0; at < output.length;) {
        const size = 1 + Math.floor(random() * (random() < 0.5 ? 3 : 40));
        streamed.push(...scanner.push(output.slice(at, at + size)));
        at += size;
      }
      streamed.push(...scanner.end());
      const order = (a: CanaryLeak, b: CanaryLeak): number => a.start - b.start || a.end - b.end;
      expect(streamed.sort(order)).toEqual(findCanaryLeaks(output, CANARIES));
    }
  });

  it('reports a whole token on the chunk that completes it, one character at a time', () => {
    const scanner = createCanaryScanner([HEX]);
    const output = `leak: ${HEX.token} ok`;
    const end = output.indexOf(HEX.token) + HEX.token.length;
    for (let at = 0; at < output.length; at += 1) {
      const leaks = scanner.push(output[at] ?? '');
      expect(leaks).toHaveLength(at === end - 1 ? 1 : 0);
      if (at === end - 1) expect(leaks[0]).toMatchObject({ complete: true, start: 6, end });
    }
    expect(scanner.end()).toEqual([]);
  });

  it('reports a fragment once a letter or digit ends it, or at the end; says when one is pending', () => {
    const scanner = createCanaryScanner([HEX]);
    expect(scanner.push(`x ${BODY.slice(0, 6)}`)).toEqual([]);
    expect(scanner.push(BODY.slice(6, 12))).toEqual([]);
    expect(scanner.isLeakPending).toBe(true);
    // Punctuation does not end it: the token may go on after it (split or spelled).
    expect(scanner.push('! ')).toEqual([]);
    const leaks = scanner.push('Z');
    expect(leaks).toHaveLength(1);
    expect(leaks[0]).toMatchObject({ complete: false, start: 2, end: 14 });
    expect(scanner.isLeakPending).toBe(false);
    expect(scanner.push(BODY.slice(0, 13))).toEqual([]);
    expect(scanner.end()).toHaveLength(1);
  });

  it('keeps a bounded window: a megabyte of output leaves at most maxRetained characters', () => {
    const scanner = createCanaryScanner(CANARIES);
    expect(scanner.maxRetained).toBe(160);
    const random = seededRandom(5);
    const chunk = (): string =>
      Array.from({ length: 4096 }, () => String.fromCharCode(32 + Math.floor(random() * 95))).join('');
    for (let k = 0; k < 256; k += 1) scanner.push(chunk());
    expect(scanner.retained).toBeLessThanOrEqual(scanner.maxRetained);
    // Long separator runs cost nothing either: only view characters are kept.
    const spread = [...HEX.token].join(' '.repeat(10_000));
    const leaks = scanner.push(spread);
    expect(leaks).toHaveLength(1);
    expect(leaks[0]?.start).toBe(1_048_576);
  });

  it('handles a 0x prefix cut by a chunk boundary', () => {
    const scanner = createCanaryScanner([HEX]);
    const hex = [...Buffer.from(HEX.token)].map((b) => `0x${b.toString(16)}`).join(' ');
    const leaks = [
      ...scanner.push(hex.slice(0, 1)),
      ...scanner.push(hex.slice(1, 50)),
      ...scanner.push(hex.slice(50)),
    ];
    expect([...leaks, ...scanner.end()]).toMatchObject([{ encoding: 'hex', complete: true }]);
  });
});

describe('faults', () => {
  it('refuses bad canaries, options and chunks with one clear error', () => {
    expectFault(() => findCanaryLeaks('x', 'bwk' as unknown as Canary[]), 'INPUT_INVALID', /list/);
    expectFault(() => findCanaryLeaks('x', [{ ...HEX, token: 'bwk-short' }]), 'INPUT_INVALID', /canary/);
    expectFault(() => findCanaryLeaks('x', CANARIES, { minBits: 16 }), 'CONFIG_INVALID', /minBits/);
    const scanner = createCanaryScanner(CANARIES);
    expectFault(() => scanner.push(42 as unknown as string), 'INPUT_INVALID', /chunk/);
    scanner.end();
    expectFault(() => scanner.push('more'), 'INPUT_INVALID', /ended/);
    expect(scanner.end()).toEqual([]);
  });
});
