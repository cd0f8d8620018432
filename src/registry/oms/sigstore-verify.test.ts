import { X509Certificate } from 'node:crypto';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isBulwarkError } from '../../core/errors.js';
import type { ErrorCode } from '../../core/errors.js';
import { parseBundle } from './bundle.js';
import type { ParsedBundle } from './bundle.js';
import { OMS_DATA, SAMPLE_MODELS, TEST_VECTORS, omsFixtures, prng } from './bundle.test-support.js';
import { extractCertificatePems } from './oms-keys.js';
import { TSA_NOT_USED_NOTES, loadSigstoreTrustedRoot, verifySigstoreBundle } from './sigstore-verify.js';
import type { SigstoreTrust, SigstoreTrustedRoot } from './sigstore-verify.js';

const { readBytes, readKey, sampleModels } = omsFixtures(fs);

const IDENTITY = 'stefanb@us.ibm.com';
const ISSUER = 'https://sigstore.verify.ibm.com/oauth2';
const CONFIG_TEXT = new TextDecoder().decode(
  readBytes(join(OMS_DATA, 'model-transparency/tests/_signing/testdata/custom_trust_config.json')),
);

interface LogJson {
  [field: string]: unknown;
  publicKey: { [field: string]: unknown; rawBytes: string; validFor?: { start?: string; end?: string } };
  logId: { keyId: string };
}
interface AuthorityJson {
  [field: string]: unknown;
  certChain: { certificates: { rawBytes: string }[] };
  validFor?: { start?: string; end?: string };
}
interface RootJson {
  mediaType: string;
  tlogs: LogJson[];
  certificateAuthorities: AuthorityJson[];
  ctlogs: LogJson[];
  timestampAuthorities: AuthorityJson[];
}
interface TlogJson {
  [field: string]: unknown;
  integratedTime: string;
  canonicalizedBody: string;
  inclusionPromise?: { signedEntryTimestamp: string };
  inclusionProof: { [field: string]: unknown; hashes: string[] };
}
interface EditableBundle {
  dsseEnvelope: { payload: string; payloadType: string; signatures: { sig: string; keyid?: string }[] };
  verificationMaterial: {
    certificate: { rawBytes: string };
    tlogEntries: TlogJson[];
    timestampVerificationData?: { rfc3161Timestamps?: { signedTimestamp: string }[] };
  };
}

/**
 * The public-good timestamp authority (timestamp.sigstore.dev, CN sigstore-tsa under
 * sigstore-tsa-selfsigned, root SHA-256 2aca8fea…d633), copied from sigstore/sigstore-python
 * `sigstore/_store/https%3A%2F%2Ftuf-repo-cdn.sigstore.dev/trusted_root.json` at commit
 * ee6c64d35d8e4aef9c07373f54351ccc4b8a5732 (Apache-2.0). It issued the v1.1.0 sample's RFC 3161 token.
 */
const PUBLIC_GOOD_TSA: AuthorityJson = {
  subject: { organization: 'sigstore.dev', commonName: 'sigstore-tsa-selfsigned' },
  uri: 'https://timestamp.sigstore.dev/api/v1/timestamp',
  certChain: {
    certificates: [
      {
        rawBytes:
          'MIICEDCCAZagAwIBAgIUOhNULwyQYe68wUMvy4qOiyojiwwwCgYIKoZIzj0EAwMwOTEVMBMGA1UEChMMc2lnc3RvcmUuZGV2MSAwHgYDVQQDExdzaWdzdG9yZS10c2Etc2VsZnNpZ25lZDAeFw0yNTA0MDgwNjU5NDNaFw0zNTA0MDYwNjU5NDNaMC4xFTATBgNVBAoTDHNpZ3N0b3JlLmRldjEVMBMGA1UEAxMMc2lnc3RvcmUtdHNhMHYwEAYHKoZIzj0CAQYFK4EEACIDYgAE4ra2Z8hKNig2T9kFjCAToGG30jky+WQv3BzL+mKvh1SKNR/UwuwsfNCg4sryoYAd8E6isovVA3M4aoNdm9QDi50Z8nTEyvqgfDPtTIwXItfiW/AFf1V7uwkbkAoj0xxco2owaDAOBgNVHQ8BAf8EBAMCB4AwHQYDVR0OBBYEFIn9eUOHz9BlRsMCRscsc1t9tOsDMB8GA1UdIwQYMBaAFJjsAe9/u1H/1JUeb4qImFMHic6/MBYGA1UdJQEB/wQMMAoGCCsGAQUFBwMIMAoGCCqGSM49BAMDA2gAMGUCMDtpsV/6KaO0qyF/UMsX2aSUXKQFdoGTptQGc0ftq1csulHPGG6dsmyMNd3JB+G3EQIxAOajvBcjpJmKb4Nv+2Taoj8Uc5+b6ih6FXCCKraSqupe07zqswMcXJTe1cExvHvvlw==',
      },
      {
        rawBytes:
          'MIIB9zCCAXygAwIBAgIUV7f0GLDOoEzIh8LXSW80OJiUp14wCgYIKoZIzj0EAwMwOTEVMBMGA1UEChMMc2lnc3RvcmUuZGV2MSAwHgYDVQQDExdzaWdzdG9yZS10c2Etc2VsZnNpZ25lZDAeFw0yNTA0MDgwNjU5NDNaFw0zNTA0MDYwNjU5NDNaMDkxFTATBgNVBAoTDHNpZ3N0b3JlLmRldjEgMB4GA1UEAxMXc2lnc3RvcmUtdHNhLXNlbGZzaWduZWQwdjAQBgcqhkjOPQIBBgUrgQQAIgNiAAQUQNtfRT/ou3YATa6wB/kKTe70cfJwyRIBovMnt8RcJph/COE82uyS6FmppLLL1VBPGcPfpQPYJNXzWwi8icwhKQ6W/Qe2h3oebBb2FHpwNJDqo+TMaC/tdfkv/ElJB72jRTBDMA4GA1UdDwEB/wQEAwIBBjASBgNVHRMBAf8ECDAGAQH/AgEAMB0GA1UdDgQWBBSY7AHvf7tR/9SVHm+KiJhTB4nOvzAKBggqhkjOPQQDAwNpADBmAjEAwGEGrfGZR1cen1R8/DTVMI943LssZmJRtDp/i7SfGHmGRP6gRbuj9vOK3b67Z0QQAjEAuT2H673LQEaHTcyQSZrkp4mX7WwkmF+sVbkYY5mXN+RMH13KUEHHOqASaemYWK/E',
      },
    ],
  },
  validFor: { start: '2025-07-04T00:00:00Z' },
};

function rootJson(edit: (root: RootJson) => void = () => undefined): string {
  const config = JSON.parse(CONFIG_TEXT) as { trustedRoot: RootJson };
  edit(config.trustedRoot);
  return JSON.stringify(config.trustedRoot);
}

const defaultRoot = loadSigstoreTrustedRoot(CONFIG_TEXT);

function trust(overrides: Partial<Omit<SigstoreTrust, 'method'>> = {}): SigstoreTrust {
  return { method: 'sigstore', trustedRoot: defaultRoot, identity: IDENTITY, issuer: ISSUER, ...overrides };
}

function withRoot(edit: (root: RootJson) => void): SigstoreTrust {
  return trust({ trustedRoot: loadSigstoreTrustedRoot(rootJson(edit)) });
}

function parse(bytes: Uint8Array): ParsedBundle {
  const result = parseBundle(bytes);
  if (!result.ok) throw new Error(`unexpected parse failure: ${result.problems.join('; ')}`);
  return result;
}

function sample(model: string, edit?: (bundle: EditableBundle) => void): ParsedBundle {
  const bytes = readBytes(join(SAMPLE_MODELS, model, 'model.sig'));
  if (edit === undefined) return parse(bytes);
  const bundle = JSON.parse(new TextDecoder().decode(bytes)) as EditableBundle;
  edit(bundle);
  return parse(new TextEncoder().encode(JSON.stringify(bundle)));
}

/** Flips one bit of the byte at `index` (negative counts from the end) of base64 text. */
function flipBase64(text: string, index: number): string {
  const bytes = Buffer.from(text, 'base64');
  const at = index < 0 ? bytes.length + index : index;
  bytes[at] = (bytes[at] ?? 0) ^ 0x01;
  return bytes.toString('base64');
}

function tlog(bundle: EditableBundle): TlogJson {
  const entry = bundle.verificationMaterial.tlogEntries[0];
  if (entry === undefined) throw new Error('sample without a tlog entry');
  return entry;
}

function reasonOf(verdict: ReturnType<typeof verifySigstoreBundle>): string {
  return verdict.ok ? '(verified)' : verdict.reason;
}

function expectFault(run: () => unknown, code: ErrorCode, message: RegExp): void {
  let thrown: unknown;
  try {
    run();
  } catch (error) {
    thrown = error;
  }
  expect(isBulwarkError(thrown)).toBe(true);
  expect(thrown).toMatchObject({ code });
  expect((thrown as Error).message).toMatch(message);
}

describe('verifySigstoreBundle: reference samples', () => {
  it.each(sampleModels('-sigstore'))('%s verifies offline with the expected identity and issuer', (model) => {
    const verdict = verifySigstoreBundle(sample(model), trust());
    expect(verdict).toMatchObject({ ok: true, method: 'sigstore', signer: IDENTITY, issuer: ISSUER });
    expect(verdict.ok && verdict.keyId).toMatch(/^[0-9a-f]{64}$/);
    // Only v1.1.0 carries an RFC 3161 token, from a TSA that root does not list.
    expect(verdict.ok && verdict.notes).toEqual(
      model === 'v1.1.0-sigstore' ? [TSA_NOT_USED_NOTES.unknown] : undefined,
    );
  });

  it('the spec valid/sigstore vector verifies, dated by its Rekor entry', () => {
    const vector = parse(readBytes(join(TEST_VECTORS, 'valid/sigstore.bundle.json')));
    expect(verifySigstoreBundle(vector, trust())).toEqual({
      ok: true,
      method: 'sigstore',
      keyId: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown,
      signer: IDENTITY,
      issuer: ISSUER,
      notes: [TSA_NOT_USED_NOTES.unknown],
    });
  });

  it('loads the bare TrustedRoot as well as the ClientTrustConfig holding it', () => {
    for (const mediaType of [
      'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
      'application/vnd.dev.sigstore.trustedroot.v0.1+json',
    ]) {
      const root = rootJson((r) => (r.mediaType = mediaType));
      const verdict = verifySigstoreBundle(sample('v1.0.1-sigstore'), trust({ trustedRoot: root }));
      expect(verdict).toMatchObject({ ok: true, signer: IDENTITY });
    }
  });
});

describe('verifySigstoreBundle: the RFC 3161 timestamp rule', () => {
  const withTsa = (root: RootJson) => root.timestampAuthorities.push(PUBLIC_GOOD_TSA);
  const alterTimestamp = (bundle: EditableBundle) => {
    const token = bundle.verificationMaterial.timestampVerificationData?.rfc3161Timestamps?.[0];
    if (token === undefined) throw new Error('sample without an RFC 3161 timestamp');
    // The last bytes are the TSA's ECDSA signature: the token still parses but no longer verifies.
    token.signedTimestamp = flipBase64(token.signedTimestamp, -3);
  };
  const dropSet = (bundle: EditableBundle) => delete tlog(bundle).inclusionPromise;

  it('uses the timestamp, without a note, when its TSA is in the trusted root', () => {
    const verdict = verifySigstoreBundle(sample('v1.1.0-sigstore'), withRoot(withTsa));
    expect(verdict).toMatchObject({ ok: true, signer: IDENTITY });
    expect(verdict.ok && verdict.notes).toBeUndefined();
  });

  it('sets an altered timestamp of a trusted TSA aside, with a note, when Rekor dates the signature', () => {
    const verdict = verifySigstoreBundle(sample('v1.1.0-sigstore', alterTimestamp), withRoot(withTsa));
    expect(verdict).toMatchObject({ ok: true, notes: [TSA_NOT_USED_NOTES.invalid] });
  });

  it('does not set the timestamp aside when no Rekor signed entry timestamp can date the signature', () => {
    const bundle = sample('v1.1.0-sigstore', dropSet);
    expect(reasonOf(verifySigstoreBundle(bundle, trust()))).toBe(
      'the RFC 3161 timestamp does not verify against a timestamp authority of the trusted root',
    );
    // With its TSA trusted, the timestamp alone dates the signature and the inclusion proof checks the log.
    expect(verifySigstoreBundle(bundle, withRoot(withTsa))).toMatchObject({ ok: true });
  });

  it('sets an unparseable timestamp aside only when Rekor dates the signature', () => {
    const garble = (bundle: EditableBundle) => {
      const token = bundle.verificationMaterial.timestampVerificationData?.rfc3161Timestamps?.[0];
      if (token) token.signedTimestamp = Buffer.from('not DER').toString('base64');
    };
    expect(verifySigstoreBundle(sample('v1.1.0-sigstore', garble), trust())).toMatchObject({
      ok: true,
      notes: [TSA_NOT_USED_NOTES.malformed],
    });
    const undated = sample('v1.1.0-sigstore', (b) => {
      garble(b);
      dropSet(b);
    });
    expect(reasonOf(verifySigstoreBundle(undated, trust()))).toBe(
      'the RFC 3161 timestamp is malformed and no Rekor entry dates the signature',
    );
  });

  it('fails without any verifiable signing time', () => {
    const verdict = verifySigstoreBundle(sample('v1.0.1-sigstore', dropSet), trust());
    expect(reasonOf(verdict)).toMatch(/^no verifiable signing time/);
  });
});

describe('verifySigstoreBundle: the identity policy is exact', () => {
  it('names the identity found and the one expected', () => {
    const verdict = verifySigstoreBundle(sample('v1.0.0-sigstore'), trust({ identity: 'alice@example.com' }));
    expect(reasonOf(verdict)).toBe(
      "the certificate's identity is stefanb@us.ibm.com, not the expected alice@example.com",
    );
  });

  it.each(['stefanb@us.ibm.co', '.*', 'stefanb@us\\.ibm\\.com', 'STEFANB@us.ibm.com', `${IDENTITY} `])(
    'refuses the near miss %j: identities are compared, not matched as patterns',
    (identity) => {
      expect(reasonOf(verifySigstoreBundle(sample('v1.1.0-sigstore'), trust({ identity })))).toMatch(
        /^the certificate's identity is stefanb@us\.ibm\.com, not the expected/,
      );
    },
  );

  it.each(['https://accounts.google.com', `${ISSUER}/`, 'https://sigstore.verify.ibm.com'])(
    'refuses the issuer %s',
    (issuer) => {
      expect(reasonOf(verifySigstoreBundle(sample('v1.0.1-sigstore'), trust({ issuer })))).toBe(
        `the certificate's OIDC issuer is ${ISSUER}, not the expected ${issuer}`,
      );
    },
  );

  it('refuses an empty identity or issuer as a usage fault', () => {
    expectFault(
      () => verifySigstoreBundle(sample('v1.0.1-sigstore'), trust({ identity: ' ' })),
      'USAGE',
      /identity/,
    );
    expectFault(
      () => verifySigstoreBundle(sample('v1.0.1-sigstore'), trust({ issuer: '' })),
      'USAGE',
      /issuer/,
    );
  });
});

describe('verifySigstoreBundle: tampering', () => {
  it.each(sampleModels('-sigstore'))('%s fails after one payload byte is flipped', (model) => {
    const parsed = sample(model);
    for (const index of [0, 100, parsed.payload.length - 1]) {
      const payload = Uint8Array.from(parsed.payload);
      payload[index] = (payload[index] ?? 0) ^ 0x01;
      expect(reasonOf(verifySigstoreBundle({ ...parsed, payload }, trust()))).toMatch(
        /^the signature does not verify: the payload was altered/,
      );
    }
  });

  it('fails when the payload is altered inside the bundle file', () => {
    const edited = sample(
      'v1.0.1-sigstore',
      (b) => (b.dsseEnvelope.payload = flipBase64(b.dsseEnvelope.payload, 40)),
    );
    expect(reasonOf(verifySigstoreBundle(edited, trust()))).toMatch(/payload was altered/);
  });

  it('fails after one signature byte is flipped', () => {
    const edited = sample('v1.0.0-sigstore', (b) => {
      const signature = b.dsseEnvelope.signatures[0]!;
      signature.sig = flipBase64(signature.sig, 12);
    });
    expect(reasonOf(verifySigstoreBundle(edited, trust()))).toMatch(
      /^the signature does not verify: it was altered/,
    );
  });

  it('fails when the signature and the log body are altered together', () => {
    const edited = sample('v1.0.0-sigstore', (b) => {
      const signature = b.dsseEnvelope.signatures[0]!;
      signature.sig = flipBase64(signature.sig, 12);
      const entry = tlog(b);
      const body = JSON.parse(Buffer.from(entry.canonicalizedBody, 'base64').toString('utf8')) as {
        spec: { signatures: { signature: string }[] };
      };
      body.spec.signatures[0]!.signature = signature.sig;
      entry.canonicalizedBody = Buffer.from(JSON.stringify(body)).toString('base64');
    });
    expect(reasonOf(verifySigstoreBundle(edited, trust()))).toMatch(
      /^the transparency log entry does not verify: its signed entry timestamp/,
    );
  });

  it('fails when the integrated time is changed by one second', () => {
    const edited = sample('v1.1.0-sigstore', (b) => {
      tlog(b).integratedTime = String(Number(tlog(b).integratedTime) + 1);
    });
    expect(reasonOf(verifySigstoreBundle(edited, trust()))).toMatch(
      /^the transparency log entry does not verify: its signed entry timestamp/,
    );
  });

  it('fails when the integrated time is moved outside the certificate lifetime', () => {
    const edited = sample('v0.3.1-sigstore', (b) => {
      tlog(b).integratedTime = String(Number(tlog(b).integratedTime) + 3600);
    });
    expect(reasonOf(verifySigstoreBundle(edited, trust()))).toMatch(
      /^the signing certificate was not valid at the signing time/,
    );
  });

  it('fails when an inclusion proof hash is altered', () => {
    const edited = sample('v1.0.1-sigstore', (b) => {
      const hashes = tlog(b).inclusionProof.hashes;
      hashes[0] = flipBase64(hashes[0]!, 0);
    });
    expect(reasonOf(verifySigstoreBundle(edited, trust()))).toMatch(
      /^the transparency log entry does not verify: its inclusion proof or checkpoint is invalid/,
    );
  });
});

describe('verifySigstoreBundle: trust and certificate problems', () => {
  const testCa = new X509Certificate(readKey('ca-cert.pem')).raw.toString('base64');

  it('fails when the trusted root has no Fulcio CA for the certificate', () => {
    const foreign = withRoot((root) => {
      root.certificateAuthorities = [{ certChain: { certificates: [{ rawBytes: testCa }] } }];
    });
    const retiredOnly = withRoot((root) => root.certificateAuthorities.splice(1));
    for (const rooted of [foreign, retiredOnly]) {
      expect(reasonOf(verifySigstoreBundle(sample('v1.0.1-sigstore'), rooted))).toMatch(
        /^the signing certificate does not chain to a Fulcio CA of the trusted root/,
      );
    }
  });

  it('fails when the trusted root has no CT log for the SCT', () => {
    const verdict = verifySigstoreBundle(
      sample('v1.0.1-sigstore'),
      withRoot((root) => (root.ctlogs = [])),
    );
    expect(reasonOf(verdict)).toBe(
      "the signing certificate's SCT does not verify against a CT log of the trusted root",
    );
  });

  it("fails when the trusted root's Rekor key is another one", () => {
    const rooted = withRoot((root) => {
      root.tlogs[0]!.publicKey.rawBytes = root.ctlogs[1]!.publicKey.rawBytes;
    });
    expect(reasonOf(verifySigstoreBundle(sample('v1.0.1-sigstore'), rooted))).toMatch(
      /^the transparency log entry does not verify/,
    );
  });

  it('explains that a non-P-256 signing key cannot be checked', () => {
    const p384 = new X509Certificate(extractCertificatePems(readKey('signing-key-cert.pem'))[0]!);
    const edited = sample('v1.0.1-sigstore', (b) => {
      b.verificationMaterial.certificate.rawBytes = p384.raw.toString('base64');
    });
    expect(reasonOf(verifySigstoreBundle(edited, trust()))).toMatch(
      /^the signing certificate holds a ecdsa-p384-sha384 key: keyless verification supports only ECDSA P-256/,
    );
  });

  it('fails on a certificate that is not DER, and on more than one signature', () => {
    const garbled = sample('v1.0.1-sigstore', (b) => (b.verificationMaterial.certificate.rawBytes = 'AAAA'));
    expect(reasonOf(verifySigstoreBundle(garbled, trust()))).toMatch(/not a valid X\.509 DER certificate/);
    const doubled = sample('v1.0.1-sigstore', (b) =>
      b.dsseEnvelope.signatures.push(b.dsseEnvelope.signatures[0]!),
    );
    expect(reasonOf(verifySigstoreBundle(doubled, trust()))).toMatch(
      /exactly one signature, this one holds 2/,
    );
  });

  it('refuses a bundle signed with a key', () => {
    expect(reasonOf(verifySigstoreBundle(sample('v1.1.0-elliptic-key'), trust()))).toMatch(
      /not signed with Sigstore/,
    );
  });
});

describe('loadSigstoreTrustedRoot: refuses what is not a usable trusted root', () => {
  const bundleText = new TextDecoder().decode(readBytes(join(SAMPLE_MODELS, 'v1.0.1-sigstore/model.sig')));
  const config = (edit: (config: Record<string, unknown>) => void) => {
    const value = JSON.parse(CONFIG_TEXT) as Record<string, unknown>;
    edit(value);
    return JSON.stringify(value);
  };

  it.each<[string, () => string, ErrorCode, RegExp]>([
    ['garbage', () => 'garbage{', 'USAGE', /is not JSON: expected a Sigstore trusted root/],
    ['a PEM certificate', () => readKey('ca-cert.pem'), 'USAGE', /is not JSON/],
    ['a JSON array', () => '[]', 'USAGE', /with no media type/],
    [
      'an OMS bundle',
      () => bundleText,
      'USAGE',
      /media type "application\/vnd\.dev\.sigstore\.bundle\.v0\.3\+json"/,
    ],
    [
      'a ClientTrustConfig without its trusted root',
      () => config((c) => delete c.trustedRoot),
      'INPUT_INVALID',
      /holds no valid "trustedRoot"/,
    ],
    [
      'a root without a Fulcio CA',
      () => rootJson((r) => (r.certificateAuthorities = [])),
      'INPUT_INVALID',
      /lists no certificate authority \(Fulcio\)/,
    ],
    [
      'a root without a Rekor log',
      () => rootJson((r) => (r.tlogs = [])),
      'INPUT_INVALID',
      /lists no transparency log \(Rekor\)/,
    ],
    [
      'a CA without certificates',
      () => rootJson((r) => (r.certificateAuthorities[0]!.certChain.certificates = [])),
      'INPUT_INVALID',
      /certificate authority 0 without certificates/,
    ],
    [
      'a corrupt CA certificate',
      () => rootJson((r) => (r.certificateAuthorities[1]!.certChain.certificates[0]!.rawBytes = 'AAAA')),
      'INPUT_INVALID',
      /holds a certificate or key that does not parse/,
    ],
    [
      'a corrupt log key',
      () => rootJson((r) => (r.tlogs[0]!.publicKey.rawBytes = 'AAAA')),
      'INPUT_INVALID',
      /holds a certificate or key that does not parse/,
    ],
    [
      'a validity date that is not a date',
      () => rootJson((r) => (r.certificateAuthorities[1]!.validFor = { start: 'soon' })),
      'INPUT_INVALID',
      /validity date that is not a date/,
    ],
  ])('%s', (_name, text, code, message) => {
    expectFault(() => loadSigstoreTrustedRoot(text()), code, message);
  });

  it('gives the same fault when the root is handed to the verifier as text', () => {
    expectFault(
      () => verifySigstoreBundle(sample('v1.0.1-sigstore'), trust({ trustedRoot: 'garbage{' })),
      'USAGE',
      /not JSON/,
    );
  });

  it('returns a root that can be reused across bundles', () => {
    const root: SigstoreTrustedRoot = loadSigstoreTrustedRoot(rootJson());
    expect(root.kind).toBe('sigstore-trusted-root');
    for (const model of sampleModels('-sigstore'))
      expect(verifySigstoreBundle(sample(model), trust({ trustedRoot: root })).ok).toBe(true);
  });
});

describe('verifySigstoreBundle: property tests', () => {
  it('never throws on bundles whose Sigstore material is mutated (seeded)', () => {
    const random = prng(0x5157);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const mutate = (text: string): string => {
      const bytes = Buffer.from(text, 'base64');
      if (bytes.length === 0) return text;
      // XOR with a non-zero byte, so every mutation really changes the field.
      for (let flip = 0; flip < 1 + Math.floor(random() * 3); flip += 1) {
        const at = Math.floor(random() * bytes.length);
        bytes[at] = (bytes[at] ?? 0) ^ (1 + Math.floor(random() * 255));
      }
      return (random() < 0.2 ? bytes.subarray(0, Math.floor(random() * bytes.length)) : bytes).toString(
        'base64',
      );
    };
    const edits: ((b: EditableBundle) => void)[] = [
      (b) =>
        (b.verificationMaterial.certificate.rawBytes = mutate(b.verificationMaterial.certificate.rawBytes)),
      (b) => (tlog(b).canonicalizedBody = mutate(tlog(b).canonicalizedBody)),
      (b) => {
        const promise = tlog(b).inclusionPromise;
        if (promise) promise.signedEntryTimestamp = mutate(promise.signedEntryTimestamp);
      },
      (b) => {
        const hashes = tlog(b).inclusionProof.hashes;
        if (hashes.length > 0) hashes[0] = mutate(hashes[0]!);
      },
      (b) => (tlog(b).integratedTime = String(Math.floor(random() * 2e9))),
      (b) => (tlog(b).inclusionProof.checkpoint = { envelope: pick(['', 'x\n\n— y', 'rekor\n1\nAAAA\n']) }),
      (b) => (b.dsseEnvelope.signatures[0]!.sig = mutate(b.dsseEnvelope.signatures[0]!.sig)),
    ];
    // Only v1.1.0 carries an RFC 3161 token; an unusable one is set aside, so this edit may verify.
    const alterToken = (b: EditableBundle) => {
      const token = b.verificationMaterial.timestampVerificationData?.rfc3161Timestamps?.[0];
      if (token) token.signedTimestamp = mutate(token.signedTimestamp);
    };
    const models = sampleModels('-sigstore');
    let checked = 0;
    for (let iteration = 0; iteration < 300; iteration += 1) {
      const edit = random() < 0.1 ? alterToken : pick(edits);
      const model = edit === alterToken ? 'v1.1.0-sigstore' : pick(models);
      let parsed: ParsedBundle;
      try {
        parsed = sample(model, edit);
      } catch {
        continue; // rejected by parseBundle, as it should be for some edits
      }
      checked += 1;
      const verdict = verifySigstoreBundle(parsed, trust());
      if (edit === alterToken) {
        expect(verdict.ok).toBe(true);
        expect(verdict.ok && verdict.notes?.length).toBe(1);
        expect([TSA_NOT_USED_NOTES.unknown, TSA_NOT_USED_NOTES.malformed]).toContain(
          verdict.ok && verdict.notes?.[0],
        );
      } else expect(reasonOf(verdict)).not.toBe('(verified)');
    }
    expect(checked).toBeGreaterThan(200);
  });
});
