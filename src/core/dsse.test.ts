import { createPublicKey, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { expectFault } from '../../test/support/expect-fault.js';
import { decodeBase64, parseEnvelope, preAuthEncoding, signEnvelope, verifyEnvelope } from './dsse.js';
import type { DsseEnvelope, EnvelopeVerdict } from './dsse.js';
import { isBulwarkError } from './errors.js';
import { generateKeyPair, loadSigner, loadTrustedKey } from './keys.js';
import type { Signer } from './signer.js';
import { seededRandom } from './seeded-random.js';

const text = (value: string): Uint8Array => new TextEncoder().encode(value);
const ascii = (bytes: Uint8Array): string => Buffer.from(bytes).toString('latin1');
const TYPE = 'application/vnd.in-toto+json';

function expectFailure(verdict: EnvelopeVerdict, reason: string): void {
  expect(verdict.ok).toBe(false);
  if (!verdict.ok) expect(verdict.reason).toBe(reason);
}

function pem(label: string, derHex: string): string {
  const body = Buffer.from(derHex, 'hex').toString('base64');
  return `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;
}

/** RFC 8032 §7.1 TEST 1 and TEST 2 keys, the keys of the DSSE repository's test vectors. */
const VECTOR_KEYS = {
  A: {
    seed: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
    pub: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
  },
  B: {
    seed: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
    pub: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
  },
};
const vectorSigner = (name: 'A' | 'B'): Signer =>
  loadSigner(pem('PRIVATE KEY', `302e020100300506032b657004220420${VECTOR_KEYS[name].seed}`));
const vectorKey = (name: 'A' | 'B') =>
  loadTrustedKey(pem('PUBLIC KEY', `302a300506032b6570032100${VECTOR_KEYS[name].pub}`));
const STATEMENT_B64 = 'eyJfdHlwZSI6Imh0dHBzOi8vaW4tdG90by5pby9TdGF0ZW1lbnQvdjEifQ==';
const SIG_A = '2WAfaHm5jluo0w+0rk8uVkluELJYWjSmU9x7EUzx+AyteDGJ4/nqyJXfmAUVFIAoQafWm7AxBZNw5M9ixNHiCA==';
const SIG_B = 'c1+67/aT0yqEpwx8PsVY3MLHsj9D0CZ014/Fv/QlG59P+9CobUZ7xECJ/V3USG0Ob9CiE5LjReEZUzNF2l7eBw==';

describe('preAuthEncoding', () => {
  it('matches the DSSE protocol.md example byte for byte', () => {
    const pae = preAuthEncoding('http://example.com/HelloWorld', text('hello world'));
    expect(ascii(pae)).toBe('DSSEv1 29 http://example.com/HelloWorld 11 hello world');
  });

  it('is what the protocol.md ECDSA P-256 example signature covers', () => {
    // The spec's key (decimal coordinates) and its raw r||s signature over the example PAE.
    const coordinate = (decimal: string) =>
      Buffer.from(BigInt(decimal).toString(16).padStart(64, '0'), 'hex').toString('base64url');
    const key = createPublicKey({
      key: {
        kty: 'EC',
        crv: 'P-256',
        x: coordinate('46950820868899156662930047687818585632848591499744589407958293238635476079160'),
        y: coordinate('5640078356564379163099075877009565129882514886557779369047442380624545832820'),
      },
      format: 'jwk',
    });
    const sig = Buffer.from(
      'A3JqsQGtVsJ2O2xqrI5IcnXip5GToJ3F+FnZ+O88SjtR6rDAajabZKciJTfUiHqJPcIAriEGAHTVeCUjW2JIZA==',
      'base64',
    );
    const pae = preAuthEncoding('http://example.com/HelloWorld', text('hello world'));
    expect(verify('sha256', pae, { key, dsaEncoding: 'ieee-p1363' }, sig)).toBe(true);
    expect(verify('sha256', text('hello world'), { key, dsaEncoding: 'ieee-p1363' }, sig)).toBe(false);
  });

  it('counts bytes, not characters, for multi-byte UTF-8', () => {
    expect(ascii(preAuthEncoding('application/vnd.exämple+json', text('{}')))).toBe(
      'DSSEv1 29 application/vnd.ex\u00c3\u00a4mple+json 2 {}',
    );
    const body = text('h€llo 😀');
    expect(body).toHaveLength(12);
    const pae = preAuthEncoding('t', body);
    expect(ascii(pae.subarray(0, 14))).toBe('DSSEv1 1 t 12 ');
    expect(Buffer.from(pae.subarray(14)).equals(Buffer.from(body))).toBe(true);
  });

  it('encodes an empty body and type with their spaces, and keeps binary bodies intact', () => {
    expect(ascii(preAuthEncoding(TYPE, new Uint8Array(0)))).toBe(`DSSEv1 28 ${TYPE} 0 `);
    expect(ascii(preAuthEncoding('', text('x')))).toBe('DSSEv1 0  1 x');
    const binary = Uint8Array.from([0, 255, 32, 10]);
    expect([...preAuthEncoding('b', binary).subarray(-4)]).toEqual([0, 255, 32, 10]);
  });

  it('refuses a payload type with a lone surrogate', () => {
    expectFault(() => preAuthEncoding('a\ud800', text('x')), 'INPUT_INVALID', /lone UTF-16 surrogate/);
  });
});

describe('DSSE test vectors (RFC 8032 keys)', () => {
  const A = vectorKey('A');
  const B = vectorKey('B');

  it('signs deterministically to the vector signatures', () => {
    const payload = decodeBase64(STATEMENT_B64) ?? expect.fail('vector payload');
    const envelope = signEnvelope(TYPE, payload, [vectorSigner('A'), vectorSigner('B')]);
    expect(envelope.payload).toBe(STATEMENT_B64);
    expect(envelope.signatures.map((s) => s.sig)).toEqual([SIG_A, SIG_B]);
  });

  it('accepts the vector envelopes, with foreign keyids, URL-safe base64, non-ASCII types and empty bodies', () => {
    const accept = (envelope: DsseEnvelope, threshold = 1) =>
      expect(verifyEnvelope(envelope, [A, B], { threshold }).ok).toBe(true);
    accept({ payloadType: TYPE, payload: STATEMENT_B64, signatures: [{ keyid: 'A', sig: SIG_A }] });
    accept({
      payloadType: TYPE,
      payload: '-_-_Pj8=',
      signatures: [
        {
          keyid: 'A',
          sig: 'P-_KHICeR7tI6S_YyejJTRtrXhcQyQ2LYPaL8h90KjC9qN8HU_svOQ6TuDOT1HIrsGW886DbWNWcCmX5twLrAw==',
        },
      ],
    });
    accept({
      payloadType: 'application/vnd.exämple+json',
      payload: STATEMENT_B64,
      signatures: [
        { sig: 'xmSk/ug66ysT7ayhkCIjhAq42zgZXSsEWuzUaNL7w2eGAdF/NU6/fRXPtmfN+5DNSAs5/i2lUnHjbbjPsu0tAw==' },
      ],
    });
    accept({
      payloadType: TYPE,
      payload: '',
      signatures: [
        { sig: 'gSggCAaTLTYyRH6FIDBem6meyIynsYy8RTHVzwx9tnTb7Bg/1jMWnuVgI/gffqmbsC2VX5/jHfkkDqsj7CDbDg==' },
      ],
    });
    accept({ payloadType: TYPE, payload: STATEMENT_B64, signatures: [{ sig: SIG_A }, { sig: SIG_B }] }, 2);
  });

  it('rejects a swapped payload type and one key signing twice towards a threshold of two', () => {
    const swapped = {
      payloadType: 'application/vnd.example.other+json',
      payload: STATEMENT_B64,
      signatures: [{ keyid: 'A', sig: SIG_A }],
    };
    expectFailure(verifyEnvelope(swapped, [A, B]), 'unknown-key');
    const twice = { payloadType: TYPE, payload: STATEMENT_B64, signatures: [{ sig: SIG_A }, { sig: SIG_A }] };
    expectFailure(verifyEnvelope(twice, [A, B], { threshold: 2 }), 'threshold');
  });
});

describe('signEnvelope and verifyEnvelope', () => {
  const ed = loadSigner(generateKeyPair('ed25519').privateKeyPem);
  const ec = loadSigner(generateKeyPair('ecdsa-p256').privateKeyPem);
  const stranger = loadSigner(generateKeyPair('ed25519').privateKeyPem);
  const body = text('{"hello":"wörld"}');

  for (const signer of [ed, ec]) {
    it(`round-trips through JSON with ${signer.algorithm}`, () => {
      const envelope = signEnvelope(TYPE, body, [signer]);
      expect(envelope.payloadType).toBe(TYPE);
      expect(Buffer.from(envelope.payload, 'base64').equals(Buffer.from(body))).toBe(true);
      expect(envelope.signatures).toEqual([{ keyid: signer.keyId, sig: expect.any(String) as string }]);
      const verdict = verifyEnvelope(parseEnvelope(JSON.stringify(envelope)), [stranger, signer]);
      expect(verdict).toEqual({ ok: true, verifiedKeyIds: [signer.keyId], payload: body, payloadType: TYPE });
    });
  }

  it('fails a payload changed by one byte, a changed signature and a changed type', () => {
    const envelope = signEnvelope(TYPE, body, [ed]);
    const payload = Buffer.from(body);
    payload[3] = (payload[3] ?? 0) ^ 1;
    expectFailure(
      verifyEnvelope({ ...envelope, payload: payload.toString('base64') }, [ed]),
      'bad-signature',
    );
    const sig = Buffer.from(envelope.signatures[0]?.sig ?? '', 'base64');
    sig[10] = (sig[10] ?? 0) ^ 0x40;
    const forged = { ...envelope, signatures: [{ keyid: ed.keyId, sig: sig.toString('base64') }] };
    expectFailure(verifyEnvelope(forged, [ed]), 'bad-signature');
    expectFailure(verifyEnvelope({ ...envelope, payloadType: 'application/json' }, [ed]), 'bad-signature');
  });

  it('reports an unknown key, with its id in the message', () => {
    const verdict = verifyEnvelope(signEnvelope(TYPE, body, [stranger]), [ed, ec]);
    expectFailure(verdict, 'unknown-key');
    if (!verdict.ok) expect(verdict.message).toContain(stranger.keyId.slice(0, 16));
  });

  it('tries every trusted key for an empty or absent keyid', () => {
    const envelope = signEnvelope(TYPE, body, [ec]);
    const sig = envelope.signatures[0]?.sig ?? '';
    for (const signatures of [[{ keyid: '', sig }], [{ sig }]]) {
      const verdict = verifyEnvelope({ ...envelope, signatures }, [ed, stranger, ec]);
      expect(verdict.ok && verdict.verifiedKeyIds).toEqual([ec.keyId]);
    }
    expectFailure(verifyEnvelope({ ...envelope, signatures: [{ sig }] }, [ed, stranger]), 'bad-signature');
  });

  it('meets a threshold of two only with two distinct trusted signers', () => {
    const both = signEnvelope(TYPE, body, [ed, ec]);
    const verdict = verifyEnvelope(both, [ed, ec], { threshold: 2 });
    expect(verdict.ok && verdict.verifiedKeyIds).toEqual([ed.keyId, ec.keyId]);
    const one = signEnvelope(TYPE, body, [ed]);
    const short = verifyEnvelope(one, [ed, ec], { threshold: 2 });
    expectFailure(short, 'threshold');
    if (!short.ok) expect(short.message).toMatch(/^1 of the 2 required trusted keys signed/);
    expectFailure(
      verifyEnvelope(signEnvelope(TYPE, body, [ed, ed]), [ed, ec], { threshold: 2 }),
      'threshold',
    );
    // The same trusted key listed twice still counts once.
    expectFault(() => verifyEnvelope(both, [ed, ed], { threshold: 2 }), 'USAGE', /cannot be met by 1/);
  });

  it('reports an envelope without signatures', () => {
    expectFailure(verifyEnvelope({ payloadType: TYPE, payload: '', signatures: [] }, [ed]), 'no-signatures');
  });

  it('treats undecodable signatures as bad, and refuses bad options and payloads as faults', () => {
    const envelope = signEnvelope(TYPE, body, [ed]);
    expectFailure(verifyEnvelope({ ...envelope, signatures: [{ sig: '!!' }] }, [ed]), 'bad-signature');
    expectFault(() => verifyEnvelope(envelope, []), 'USAGE', /no trusted keys/);
    expectFault(() => verifyEnvelope(envelope, [ed], { threshold: 0 }), 'USAGE', /positive integer/);
    expectFault(() => verifyEnvelope(envelope, [ed], { threshold: 1.5 }), 'USAGE', /positive integer/);
    expectFault(
      () => verifyEnvelope({ ...envelope, payload: '***' }, [ed]),
      'INPUT_INVALID',
      /not valid base64/,
    );
    expectFault(() => signEnvelope(TYPE, body, []), 'USAGE', /no signer/);
  });
});

describe('decodeBase64', () => {
  it('accepts standard and URL-safe alphabets, padded or not', () => {
    for (const encoded of ['+/+/Pj8=', '-_-_Pj8=', '-_-_Pj8', '+/+/Pj8']) {
      expect([...(decodeBase64(encoded) ?? [])]).toEqual([0xfb, 0xff, 0xbf, 0x3e, 0x3f]);
    }
    expect(decodeBase64('')).toEqual(new Uint8Array(0));
    expect(Buffer.from(decodeBase64('aGVsbG8=') ?? []).toString()).toBe('hello');
  });

  it('refuses non-canonical, mixed, mis-padded and foreign text', () => {
    for (const bad of [
      'aGVsbG9=',
      '+/-_',
      'aGVsbG8==',
      'aGVsbG8===',
      'aGVs=bG8',
      'a',
      'aGVsb',
      'aGV sbG8=',
      'é',
    ]) {
      expect(decodeBase64(bad), bad).toBeUndefined();
    }
  });
});

describe('parseEnvelope', () => {
  const good = { payloadType: TYPE, payload: 'aGVsbG8=', signatures: [{ keyid: 'k', sig: 'c2ln' }] };
  const parse = (value: unknown) => () => parseEnvelope(JSON.stringify(value));

  it('keeps the known fields and drops the rest', () => {
    const extra = { ...good, extra: 1, signatures: [{ sig: 'c2ln', extension: { kind: 'x' } }] };
    expect(parseEnvelope(JSON.stringify(extra))).toEqual({
      payloadType: TYPE,
      payload: 'aGVsbG8=',
      signatures: [{ sig: 'c2ln' }],
    });
    expect(parseEnvelope(JSON.stringify(good))).toEqual(good);
  });

  it('refuses every malformed shape with INPUT_INVALID and one line', () => {
    const cases: [unknown, RegExp][] = [
      [[good], /must be a JSON object/],
      [null, /must be a JSON object/],
      [{ ...good, payloadType: 3 }, /"payloadType" must be a string/],
      [{ ...good, payloadType: undefined }, /"payloadType" must be a string/],
      [{ ...good, payload: null }, /"payload" must be a base64 string/],
      [{ ...good, payload: 'aGVsbG9=' }, /"payload" is not valid base64/],
      [{ ...good, signatures: {} }, /"signatures" must be an array/],
      [{ ...good, signatures: ['x'] }, /signatures\[0\] must be an object/],
      [{ ...good, signatures: [{ keyid: 'k' }] }, /signatures\[0\]\.sig must be a non-empty string/],
      [{ ...good, signatures: [{ sig: '' }] }, /signatures\[0\]\.sig must be a non-empty string/],
      [{ ...good, signatures: [{ sig: 'c2ln', keyid: null }] }, /signatures\[0\]\.keyid must be a string/],
      [{ ...good, signatures: [{ sig: 'c2l' }] }, /signatures\[0\]\.sig is not valid base64/],
    ];
    for (const [value, message] of cases) expectFault(parse(value), 'INPUT_INVALID', message);
    expectFault(() => parseEnvelope('{"payload":'), 'INPUT_INVALID', /^the DSSE envelope is not valid JSON$/);
    expectFault(() => parseEnvelope('{"payloadType":"\\ud800"}'), 'INPUT_INVALID', /lone UTF-16 surrogate/);
    const many = { ...good, signatures: Array.from({ length: 65 }, () => ({ sig: 'c2ln' })) };
    expectFault(parse(many), 'LIMIT_EXCEEDED', /65 signatures/);
  });
});

/** The shared seeded PRNG, so the fuzz run is reproducible. */
const prng = seededRandom;

describe('envelope fuzz', () => {
  it('never throws anything but BulwarkError and never accepts altered signed content (500 mutations)', () => {
    const random = prng(0xb01f);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    const signers = [
      loadSigner(generateKeyPair('ed25519').privateKeyPem),
      loadSigner(generateKeyPair('ecdsa-p256').privateKeyPem),
    ];
    const body = text('{"_type":"https://in-toto.io/Statement/v1","subject":[]}');
    const originals = signers.map((signer) => signEnvelope(TYPE, body, [signer]));
    const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_=';
    const JUNK = [
      '',
      '"',
      '\\',
      '{',
      '}',
      '[',
      ']',
      ',',
      ':',
      'null',
      '0',
      '-1e999',
      '\\u0000',
      'é',
      '\u2028',
      '=',
    ];
    const mutateOnce = (value: string): string => {
      const at = Math.floor(random() * (value.length + 1));
      switch (Math.floor(random() * 4)) {
        case 0:
          return value.slice(0, at) + pick([...B64]) + value.slice(at + 1);
        case 1:
          return value.slice(0, at) + value.slice(at + 1);
        case 2:
          return value.slice(0, at) + pick([...B64]) + value.slice(at);
        default:
          return value.slice(0, at) + pick(JUNK) + value.slice(at);
      }
    };
    const STANDARD = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    // Mostly a same-length substitution inside the base64 body, so the text still decodes and the
    // mutation reaches signature verification; otherwise any edit.
    const mutateString = (value: string, targeted = false): string => {
      let mutated = value;
      while (mutated === value) {
        if (targeted && random() < 0.7) {
          const at = Math.floor(random() * value.replace(/=+$/, '').length);
          mutated = value.slice(0, at) + pick([...STANDARD]) + value.slice(at + 1);
        } else {
          mutated = mutateOnce(value);
        }
      }
      return mutated;
    };
    let reachedVerification = 0;
    for (let i = 0; i < 500; i++) {
      const original = originals[i % originals.length] as DsseEnvelope;
      const originalSig = original.signatures[0]?.sig ?? '';
      let json: string;
      const strategy = i % 3;
      if (strategy === 0) {
        json = JSON.stringify({ ...original, payload: mutateString(original.payload, true) });
      } else if (strategy === 1) {
        json = JSON.stringify({
          ...original,
          signatures: [{ keyid: '', sig: mutateString(originalSig, true) }],
        });
      } else {
        json = JSON.stringify(original);
        for (let n = 1 + Math.floor(random() * 3); n > 0; n--) json = mutateString(json);
      }
      try {
        const envelope = parseEnvelope(json);
        const verdict = verifyEnvelope(envelope, signers);
        reachedVerification++;
        if (verdict.ok) {
          // Only unsigned parts (keyid, padding, alphabet, JSON layout) may differ: the bytes may not.
          expect(Buffer.from(verdict.payload).equals(Buffer.from(body))).toBe(true);
          expect(verdict.payloadType).toBe(TYPE);
          const sigs = envelope.signatures.map((s) => Buffer.from(decodeBase64(s.sig) ?? []).toString('hex'));
          expect(sigs).toContain(Buffer.from(originalSig, 'base64').toString('hex'));
        }
      } catch (error) {
        if (!isBulwarkError(error)) throw error;
      }
    }
    expect(reachedVerification).toBeGreaterThan(250);
  });
});
