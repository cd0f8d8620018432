import { describe, expect, it } from 'vitest';
import { expectFault } from '../../test/support/expect-fault.js';
import {
  BULWARK_PREDICATES,
  IN_TOTO_PAYLOAD_TYPE,
  STATEMENT_TYPE,
  buildStatement,
  hasSubject,
  parseStatement,
  signStatement,
  verifyAttestation,
  verifyAttestationEnvelope,
} from './attestation.js';
import type { AttestationVerdict, Statement } from './attestation.js';
import { canonicalJson } from './canonical-json.js';
import { sha256Digest } from './digest.js';
import { signEnvelope } from './dsse.js';
import { generateKeyPair, loadSigner, loadTrustedKey } from './keys.js';

const MODEL = sha256Digest('model weights');
const DATASET = sha256Digest('dataset rows');
const OTHER = sha256Digest('something else');

function expectFailure(verdict: AttestationVerdict, reason: string, message?: RegExp): void {
  expect(verdict.ok).toBe(false);
  if (!verdict.ok) {
    expect(verdict.reason).toBe(reason);
    if (message) expect(verdict.message).toMatch(message);
  }
}

const ed = loadSigner(generateKeyPair('ed25519').privateKeyPem);
const ec = loadSigner(generateKeyPair('ecdsa-p256').privateKeyPem);
const stranger = loadSigner(generateKeyPair('ed25519').privateKeyPem);

function scanStatement(): Statement {
  return buildStatement({
    subjects: [
      { name: 'model.safetensors', digest: MODEL },
      { name: 'train.jsonl', digest: DATASET },
    ],
    predicateType: BULWARK_PREDICATES.scan,
    predicate: {
      verdict: 'pass',
      findings: [],
      counts: { critical: 0 },
      scannedAt: new Date(Date.UTC(2025, 5, 1)),
    },
  });
}

/** Signs arbitrary payload bytes as if they were a statement, to test what verification accepts. */
function signRaw(payload: string, payloadType = IN_TOTO_PAYLOAD_TYPE): string {
  return JSON.stringify(signEnvelope(payloadType, new TextEncoder().encode(payload), [ed]));
}

describe('buildStatement', () => {
  it('builds an in-toto Statement v1 with sha256 subjects and a JSON-normalized predicate', () => {
    const statement = scanStatement();
    expect(statement).toEqual({
      _type: 'https://in-toto.io/Statement/v1',
      subject: [
        { name: 'model.safetensors', digest: { sha256: MODEL.slice(7) } },
        { name: 'train.jsonl', digest: { sha256: DATASET.slice(7) } },
      ],
      predicateType: 'https://bulwark.dev/attestation/scan/v1',
      predicate: {
        verdict: 'pass',
        findings: [],
        counts: { critical: 0 },
        scannedAt: '2025-06-01T00:00:00.000Z',
      },
    });
    expect(BULWARK_PREDICATES.decision).toBe('https://bulwark.dev/attestation/decision/v1');
    expect(hasSubject(statement, DATASET)).toBe(true);
    expect(hasSubject(statement, OTHER)).toBe(false);
  });

  it('refuses missing subjects, bad digests, bad names, non-URI types and non-JSON predicates', () => {
    const base = {
      subjects: [{ name: 'm', digest: MODEL }],
      predicateType: BULWARK_PREDICATES.scan,
      predicate: {},
    };
    const cases: [unknown, RegExp][] = [
      [{ ...base, subjects: [] }, /at least one subject/],
      [
        { ...base, subjects: [{ name: 'm', digest: MODEL.toUpperCase() }] },
        /subject\[0\]\.digest must be sha256/,
      ],
      [
        { ...base, subjects: [{ name: 'm', digest: MODEL.slice(0, 40) }] },
        /subject\[0\]\.digest must be sha256/,
      ],
      [{ ...base, subjects: [{ name: 'm', digest: MODEL.slice(7) }] }, /subject\[0\]\.digest must be sha256/],
      [{ ...base, subjects: [{ name: '', digest: MODEL }] }, /subject\[0\]\.name must be a non-empty string/],
      [{ ...base, subjects: [...base.subjects, { name: 'm', digest: OTHER }] }, /"m" is listed twice/],
      [{ ...base, predicateType: 'scan v1' }, /"predicateType" must be a URI/],
      [{ ...base, predicateType: '' }, /"predicateType" must be a URI/],
      [{ ...base, predicate: [] }, /predicate must be a JSON object/],
      [{ ...base, predicate: null }, /predicate must be a JSON object/],
      [{ ...base, predicate: { n: 1n } }, /BigInt/],
      [{ ...base, predicate: { x: Number.NaN } }, /NaN is not a JSON number/],
    ];
    for (const [options, message] of cases) {
      expectFault(() => buildStatement(options as never), 'INPUT_INVALID', message);
    }
  });
});

describe('parseStatement', () => {
  const hex = MODEL.slice(7);
  const valid = {
    _type: STATEMENT_TYPE,
    subject: [{ name: 'm', digest: { sha256: hex } }],
    predicateType: 'urn:x',
  };

  it('ignores unrecognized fields, reads a missing predicate as {}, keeps extra digests', () => {
    const statement = parseStatement({
      ...valid,
      extension: true,
      subject: [
        { name: 'm', uri: 'https://x', digest: { sha256: hex, gitCommit: 'a'.repeat(40), custom: 'Z!' } },
      ],
    });
    expect(statement).toEqual({
      _type: STATEMENT_TYPE,
      subject: [{ name: 'm', digest: { sha256: hex, gitCommit: 'a'.repeat(40), custom: 'Z!' } }],
      predicateType: 'urn:x',
      predicate: {},
    });
  });

  it('handles digest algorithm names that collide with Object.prototype', () => {
    const parsed = parseStatement(
      JSON.parse(
        `{"_type":"${STATEMENT_TYPE}","predicateType":"urn:x","subject":[{"name":"m","digest":{"__proto__":"p","constructor":"c","sha256":"${hex}"}}]}`,
      ),
    );
    expect(Object.keys(parsed.subject[0]?.digest ?? {}).sort()).toEqual([
      '__proto__',
      'constructor',
      'sha256',
    ]);
  });

  it('refuses statements that are not strictly Statement v1', () => {
    const cases: [unknown, RegExp][] = [
      ['text', /must be a JSON object/],
      [{ ...valid, _type: 'https://in-toto.io/Statement/v0.1' }, /"_type" must be/],
      [{ ...valid, subject: [] }, /"subject" must be a non-empty array/],
      [{ ...valid, subject: undefined }, /"subject" must be a non-empty array/],
      [{ ...valid, subject: [{ name: 'm' }] }, /subject\[0\]\.digest must be an object/],
      [{ ...valid, subject: [{ digest: { sha256: hex } }] }, /subject\[0\]\.name must be a string/],
      [
        { ...valid, subject: [{ name: 'm', digest: { sha512: 'a'.repeat(128) } }] },
        /digest must include sha256/,
      ],
      [
        { ...valid, subject: [{ name: 'm', digest: { sha256: hex.toUpperCase() } }] },
        /sha256 must be 64 lowercase/,
      ],
      [
        { ...valid, subject: [{ name: 'm', digest: { sha256: hex.slice(2) } }] },
        /sha256 must be 64 lowercase/,
      ],
      [
        { ...valid, subject: [{ name: 'm', digest: { sha256: hex, sha512: 'a'.repeat(64) } }] },
        /sha512 must be 128 lowercase/,
      ],
      [
        { ...valid, subject: [{ name: 'm', digest: { sha256: hex, blake2b: 'xyz' } }] },
        /blake2b must be lowercase/,
      ],
      [{ ...valid, subject: [{ name: 'm', digest: { sha256: hex, 'a\nb': 1 } }] }, /digest\."a\\nb" must be/],
      [{ ...valid, predicateType: 3 }, /"predicateType" must be a URI/],
      [{ ...valid, predicate: [1] }, /"predicate" must be a JSON object/],
    ];
    for (const [value, message] of cases) expectFault(() => parseStatement(value), 'INPUT_INVALID', message);
  });
});

describe('signStatement and verifyAttestation', () => {
  for (const signer of [ed, ec]) {
    it(`round-trips with ${signer.algorithm}, signing the canonical JSON bytes`, () => {
      const statement = scanStatement();
      const { envelope, payloadDigest } = signStatement(statement, [signer]);
      expect(envelope.payloadType).toBe('application/vnd.in-toto+json');
      const payload = Buffer.from(envelope.payload, 'base64');
      expect(payload.toString('utf8')).toBe(canonicalJson(statement));
      expect(payloadDigest).toBe(sha256Digest(payload));
      const verdict = verifyAttestation(JSON.stringify(envelope), [stranger, signer], {
        subjectDigest: MODEL,
      });
      expect(verdict).toEqual({ ok: true, statement, verifiedKeyIds: [signer.keyId], payloadDigest });
    });
  }

  it('reports a subject mismatch and a predicate type mismatch', () => {
    const json = JSON.stringify(signStatement(scanStatement(), [ed]).envelope);
    expectFailure(
      verifyAttestation(json, [ed], { subjectDigest: OTHER }),
      'subject-mismatch',
      /not about sha256:/,
    );
    const wanted = { predicateType: BULWARK_PREDICATES.decision };
    expectFailure(verifyAttestation(json, [ed], wanted), 'predicate-type', /scan\/v1/);
    expect(verifyAttestation(json, [ed], { predicateType: BULWARK_PREDICATES.scan }).ok).toBe(true);
  });

  it('passes on envelope failures: tampered payload, unknown key, threshold', () => {
    const { envelope } = signStatement(scanStatement(), [ed]);
    const payload = Buffer.from(envelope.payload, 'base64');
    payload[payload.length - 2] = (payload[payload.length - 2] ?? 0) ^ 1;
    const tampered = JSON.stringify({ ...envelope, payload: payload.toString('base64') });
    expectFailure(verifyAttestation(tampered, [ed]), 'bad-signature');
    expectFailure(verifyAttestation(JSON.stringify(envelope), [ec]), 'unknown-key');
    expectFailure(verifyAttestation(JSON.stringify(envelope), [ed, ec], { threshold: 2 }), 'threshold');
    const both = JSON.stringify(signStatement(scanStatement(), [ed, ec]).envelope);
    expect(verifyAttestation(both, [ed, ec], { threshold: 2 }).ok).toBe(true);
  });

  it('refuses a validly signed payload of another type', () => {
    const json = signRaw(canonicalJson(scanStatement()), 'application/json');
    expectFailure(
      verifyAttestation(json, [ed]),
      'payload-type',
      /"application\/json", not application\/vnd.in-toto\+json/,
    );
  });

  it('refuses validly signed payloads that are not Statement v1', () => {
    const statement = scanStatement();
    const badDigest = { ...statement, subject: [{ name: 'm', digest: { sha256: 'ABC' } }] };
    expectFailure(
      verifyAttestation(signRaw(JSON.stringify(badDigest)), [ed]),
      'statement-invalid',
      /sha256 must be/,
    );
    const noSubject = { ...statement, subject: [] };
    expectFailure(
      verifyAttestation(signRaw(JSON.stringify(noSubject)), [ed]),
      'statement-invalid',
      /"subject"/,
    );
    expectFailure(verifyAttestation(signRaw('not json'), [ed]), 'statement-invalid', /not UTF-8 JSON/);
    expectFailure(verifyAttestation(signRaw(`\ufeff${canonicalJson(statement)}`), [ed]), 'statement-invalid');
    const latin1 = JSON.stringify(
      signEnvelope(IN_TOTO_PAYLOAD_TYPE, Uint8Array.from([0x7b, 0xe9, 0x7d]), [ed]),
    );
    expectFailure(verifyAttestation(latin1, [ed]), 'statement-invalid', /not UTF-8 JSON/);
  });

  it('verifies the payload bytes as carried, never a re-serialization', () => {
    const pretty = JSON.stringify(scanStatement(), null, 2);
    const verdict = verifyAttestation(signRaw(pretty), [ed]);
    expect(verdict.ok && verdict.payloadDigest).toBe(sha256Digest(pretty));
    expect(sha256Digest(pretty)).not.toBe(sha256Digest(canonicalJson(scanStatement())));
  });

  it('throws for a malformed envelope and for bad options, never for a bad attestation', () => {
    const json = JSON.stringify(signStatement(scanStatement(), [ed]).envelope);
    expectFault(() => verifyAttestation('{', [ed]), 'INPUT_INVALID', /not valid JSON/);
    expectFault(() => verifyAttestation('{"payload":"x"}', [ed]), 'INPUT_INVALID', /invalid DSSE envelope/);
    expectFault(
      () => verifyAttestation(json, [ed], { subjectDigest: 'sha256:abc' }),
      'USAGE',
      /subject digest must be/,
    );
    expectFault(() => verifyAttestation(json, []), 'USAGE', /no trusted keys/);
  });

  it('accepts an already-parsed envelope and refuses to sign an invalid statement', () => {
    const { envelope } = signStatement(scanStatement(), [ec]);
    expect(verifyAttestationEnvelope(envelope, [loadTrustedKey(exportPem(ec))]).ok).toBe(true);
    const broken = { ...scanStatement(), subject: [] } as Statement;
    expectFault(() => signStatement(broken, [ed]), 'INPUT_INVALID', /"subject" must be a non-empty array/);
    expectFault(() => signStatement(scanStatement(), []), 'USAGE', /no signer/);
  });
});

function exportPem(signer: typeof ec): string {
  return signer.publicKey.export({ type: 'spki', format: 'pem' }) as string;
}
