// Red-team tests of OMS verification: each test is an attack on `verifyModel` (or one of its stages)
// and asserts the secure outcome. A failing test here is a finding, not a flaky test.
import {
  X509Certificate,
  createHash,
  generateKeyPairSync,
  sign as signData,
  type KeyObject,
} from 'node:crypto';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OMS_DATA, SAMPLE_MODELS, omsFixtures } from './bundle.test-support.js';
import { parseBundle, type ParsedBundle } from './bundle.js';
import { serializeBundle, signStatement, type SignStatementOptions } from './bundle-signer.js';
import { rootDigest } from './manifest.js';
import type { ModelTree, ModelTreeEntry } from './model-tree.js';
import { loadOmsSigner } from './oms-keys.js';
import { serializeModel } from './serialization.js';
import { verifyBundleSignature, type OmsTrust } from './signature.js';
import { buildStatement, encodeStatement } from './statement.js';
import { verifyModel, type ModelVerification } from './verify-model.js';

const fixtures = omsFixtures(fs);

// ---------------------------------------------------------------------------------------------
// Keys, trees and bundles
// ---------------------------------------------------------------------------------------------

interface Party {
  readonly signer: ReturnType<typeof loadOmsSigner>;
  readonly publicPem: string;
  readonly publicKey: KeyObject;
  readonly privateKey: KeyObject;
}

function party(type: 'ed25519' | 'p256' = 'ed25519'): Party {
  const pair =
    type === 'ed25519' ? generateKeyPairSync('ed25519') : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const privatePem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  return {
    signer: loadOmsSigner(privatePem),
    publicPem: pair.publicKey.export({ type: 'spki', format: 'pem' }) as string,
    publicKey: pair.publicKey,
    privateKey: pair.privateKey,
  };
}

const trusted = party();
const attacker = party();
const keyTrust: OmsTrust = { method: 'key', publicKeys: [trusted.publicPem] };

/** A model held in memory: `/`-separated paths to contents; folders are derived. */
function memoryTree(files: Record<string, string | Uint8Array>): ModelTree {
  const contents = new Map(
    Object.entries(files).map(([path, body]) => [
      path,
      typeof body === 'string' ? new TextEncoder().encode(body) : body,
    ]),
  );
  return {
    name: 'model',
    isSingleFile: false,
    list(): Promise<readonly ModelTreeEntry[]> {
      const dirs = new Set<string>();
      const entries: ModelTreeEntry[] = [];
      for (const [path, body] of contents) {
        const parts = path.split('/');
        for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
        entries.push({ path, kind: 'file', size: body.length });
      }
      for (const dir of dirs) entries.push({ path: dir, kind: 'dir', size: 0 });
      return Promise.resolve(entries);
    },
    open(path: string) {
      const body = contents.get(path);
      if (body === undefined) return Promise.reject(new Error(`no file ${path}`));
      return Promise.resolve({
        size: body.length,
        read: (offset: number, length: number) => Promise.resolve(body.subarray(offset, offset + length)),
      });
    },
  };
}

const HONEST = { 'config.json': '{"model":"bert"}\n', 'weights.bin': 'W'.repeat(300) };

function sha256Hex(text: string | Uint8Array): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Signs payload bytes (exactly as given) with a party and returns the bundle file bytes. */
function bundleOf(payload: string | Uint8Array, by: Party = trusted, options: SignStatementOptions = {}) {
  const bytes = typeof payload === 'string' ? new TextEncoder().encode(payload) : payload;
  return serializeBundle(signStatement(bytes, by.signer, options));
}

/** An honest OMS v1.0 statement of a tree, as `bulwark sign` writes it. */
async function honestPayload(tree: ModelTree, ignorePaths: string[] = []): Promise<Uint8Array> {
  const { manifest } = await serializeModel(tree, { ignorePaths });
  return encodeStatement(buildStatement(manifest));
}

/** A v1.0 statement with the given resources; the subject digest is their root unless `root` says. */
function statementText(
  resources: readonly { name: string; digest: string; algorithm?: string }[],
  options: { method?: 'files' | 'shards'; shardSize?: number; root?: string } = {},
): string {
  const method = options.method ?? 'files';
  const algorithm = method === 'shards' ? `sha256-sharded-${options.shardSize ?? 0}` : 'sha256';
  return JSON.stringify({
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: 'model', digest: { sha256: options.root ?? rootDigest(resources) } }],
    predicateType: 'https://model_signing/signature/v1.0',
    predicate: {
      serialization: {
        method,
        hash_type: 'sha256',
        allow_symlinks: false,
        ...(method === 'shards' ? { shard_size: options.shardSize } : {}),
      },
      resources: resources.map((r) => ({
        name: r.name,
        algorithm: r.algorithm ?? algorithm,
        digest: r.digest,
      })),
    },
  });
}

function reasons(result: ModelVerification): string {
  return result.failures.map((f) => `${f.stage}: ${f.path ? `${f.path}: ` : ''}${f.reason}`).join('\n');
}

/** The parts of a bundle the attacks edit. */
interface EditableBundle {
  verificationMaterial: { publicKey?: { hint?: string; rawBytes?: string; keyDetails?: string } };
  dsseEnvelope: { payload: string; signatures: { sig: string; keyid?: string }[] };
}

function editBundle(bytes: Uint8Array, edit: (bundle: EditableBundle) => void): Uint8Array {
  const bundle = JSON.parse(new TextDecoder().decode(bytes)) as EditableBundle;
  edit(bundle);
  return new TextEncoder().encode(JSON.stringify(bundle));
}

// ---------------------------------------------------------------------------------------------
// Signature stage
// ---------------------------------------------------------------------------------------------

describe('red team, signature stage: who signed', () => {
  it('refuses a bundle signed by an attacker that adds a garbage signature claiming the trusted key', async () => {
    const tree = memoryTree(HONEST);
    const forged = editBundle(bundleOf(await honestPayload(tree), attacker), (bundle) => {
      bundle.dsseEnvelope.signatures.push({
        sig: Buffer.alloc(64, 1).toString('base64'),
        keyid: trusted.signer.keyId,
      });
      bundle.verificationMaterial.publicKey = { hint: trusted.signer.hint };
    });
    const result = await verifyModel(tree, forged, keyTrust);
    expect(result.ok).toBe(false);
    expect(result.failures[0]).toMatchObject({ stage: 'signature' });
  });

  it('an extra untrusted signature next to a trusted one leaves the trusted key as the signer', async () => {
    const tree = memoryTree(HONEST);
    const payload = await honestPayload(tree);
    const extra = JSON.parse(new TextDecoder().decode(bundleOf(payload, attacker))) as {
      dsseEnvelope: { signatures: EditableBundle['dsseEnvelope']['signatures'] };
    };
    const both = editBundle(bundleOf(payload), (bundle) => {
      bundle.dsseEnvelope.signatures.unshift(...extra.dsseEnvelope.signatures);
    });
    const result = await verifyModel(tree, both, keyTrust);
    expect(reasons(result)).toBe('');
    expect(result).toMatchObject({ ok: true, keyId: trusted.signer.keyId });
  });

  it('a hint naming the trusted key does not make an attacker signature trusted', async () => {
    const tree = memoryTree(HONEST);
    const lying = editBundle(bundleOf(await honestPayload(tree), attacker), (bundle) => {
      bundle.verificationMaterial.publicKey = { hint: trusted.signer.hint };
    });
    const result = await verifyModel(tree, lying, keyTrust);
    expect(result.ok).toBe(false);
    expect(reasons(result)).toMatch(/^signature: the signature does not verify with the trusted key/);
  });

  it('rawBytes carrying the trusted key does not make an attacker signature trusted', async () => {
    const tree = memoryTree(HONEST);
    const lying = editBundle(bundleOf(await honestPayload(tree), attacker), (bundle) => {
      bundle.verificationMaterial.publicKey = {
        rawBytes: Buffer.from(trusted.publicPem).toString('base64'),
        keyDetails: 'PKIX_ED25519',
      };
    });
    const result = await verifyModel(tree, lying, keyTrust);
    expect(result.ok).toBe(false);
    expect(result.failures[0]?.stage).toBe('signature');
  });

  it('rawBytes naming the attacker key wins over a hint naming the trusted key', async () => {
    const tree = memoryTree(HONEST);
    const lying = editBundle(
      bundleOf(await honestPayload(tree), attacker, { publicKeyForm: 'rawBytes' }),
      (b) => {
        b.verificationMaterial.publicKey = { ...b.verificationMaterial.publicKey, hint: trusted.signer.hint };
      },
    );
    const result = await verifyModel(tree, lying, keyTrust);
    expect(reasons(result)).toMatch(
      /^signature: the bundle was signed by key [0-9a-f]{64}, which is not a trusted key/,
    );
  });

  it("a trusted signature moved onto another payload (another model's statement) is refused", async () => {
    const tree = memoryTree({ ...HONEST, 'evil.py': 'import os\n' });
    const signedHonest = bundleOf(await honestPayload(memoryTree(HONEST)));
    const attackerPayload = await honestPayload(tree);
    const swapped = editBundle(signedHonest, (bundle) => {
      bundle.dsseEnvelope.payload = Buffer.from(attackerPayload).toString('base64');
    });
    const result = await verifyModel(tree, swapped, keyTrust);
    expect(result.ok).toBe(false);
    expect(result.failures[0]?.stage).toBe('signature');
  });
});

// ---------------------------------------------------------------------------------------------
// Statement stage: what the signature says
// ---------------------------------------------------------------------------------------------

describe('red team, statement stage: parser and manifest tricks', () => {
  const honestResources = Object.entries(HONEST).map(([name, body]) => ({ name, digest: sha256Hex(body) }));

  it('duplicate "resources" keys: the manifest compared with the files is the one the root digest covers', async () => {
    const evilResources = [...honestResources, { name: 'evil.py', digest: sha256Hex('import os\n') }];
    const honest = JSON.parse(statementText(honestResources)) as { predicate: { resources: unknown } };
    const evil = JSON.parse(statementText(evilResources)) as {
      subject: unknown;
      predicate: { serialization: unknown; resources: unknown };
    };
    // Hand-written text: `resources` twice, the honest list first (what a first-wins parser would read).
    const text =
      `{"_type":"https://in-toto.io/Statement/v1","subject":${JSON.stringify(evil.subject)},` +
      `"predicateType":"https://model_signing/signature/v1.0","predicate":{"serialization":` +
      `${JSON.stringify(evil.predicate.serialization)},"resources":${JSON.stringify(honest.predicate.resources)},` +
      `"resources":${JSON.stringify(evil.predicate.resources)}}}`;
    // The honest model: evil.py is signed (last wins) but missing, so it must fail.
    const result = await verifyModel(memoryTree(HONEST), bundleOf(text), keyTrust);
    expect(result.ok).toBe(false);
    expect(reasons(result)).toMatch(/evil\.py/);
  });

  it('duplicate "subject" keys: the root digest checked is the one of the resources used', async () => {
    const right = JSON.parse(statementText(honestResources)) as Record<string, unknown>;
    const text = JSON.stringify(right).replace(
      '"predicateType"',
      `"subject":[{"name":"model","digest":{"sha256":"${'0'.repeat(64)}"}}],"predicateType"`,
    );
    expect(text.match(/"subject"/g)).toHaveLength(2);
    const result = await verifyModel(memoryTree(HONEST), bundleOf(text), keyTrust);
    expect(result.ok).toBe(false);
    expect(reasons(result)).toMatch(/^statement: subject\[0\]\.digest\.sha256 is not the root digest/);
  });

  it.each([
    ['../outside.bin', /'\.\.' path component/],
    ['./config.json', /'\.' path component/],
    ['a//b.bin', /empty path component/],
    ['a\\b.bin', /backslash/],
    ['a\0b.bin', /NUL/],
    ['/etc/passwd', /absolute path/],
    ['tokenizer/', /empty path component/],
  ])('refuses the resource name %j at the statement stage', async (name, pattern) => {
    const resources = [...honestResources, { name, digest: sha256Hex('x') }];
    const result = await verifyModel(memoryTree(HONEST), bundleOf(statementText(resources)), keyTrust);
    expect(result.ok).toBe(false);
    expect(result.failures[0]?.stage).toBe('statement');
    expect(reasons(result)).toMatch(pattern);
  });

  it('Unicode normalization and case twins of a signed name never pass for it', async () => {
    const nfc = 'caf\u00e9.bin';
    const nfd = 'cafe\u0301.bin';
    const signed = memoryTree({ ...HONEST, [nfc]: 'good' });
    const bundle = bundleOf(await honestPayload(signed));
    expect((await verifyModel(signed, bundle, keyTrust)).ok).toBe(true);
    const renamed = await verifyModel(memoryTree({ ...HONEST, [nfd]: 'good' }), bundle, keyTrust);
    expect(renamed.ok).toBe(false);
    const twin = await verifyModel(memoryTree({ ...HONEST, [nfc]: 'good', [nfd]: 'evil' }), bundle, keyTrust);
    expect(reasons(twin)).toMatch(/is not covered by the signature/);
    const caseTwin = await verifyModel(
      memoryTree({ ...HONEST, [nfc]: 'good', 'Config.json': '{"evil":1}' }),
      bundle,
      keyTrust,
    );
    expect(reasons(caseTwin)).toMatch(/'Config\.json' is not covered by the signature/);
  });

  describe('shards', () => {
    const body = new Uint8Array(30).map((_, i) => i);
    const tree = memoryTree({ 'w.bin': body });
    const shard = (start: number, end: number) => ({
      name: `w.bin:${start}:${end}`,
      digest: sha256Hex(body.subarray(start, end)),
    });

    it('an honest sharded statement verifies (control)', async () => {
      const text = statementText([shard(0, 10), shard(10, 20), shard(20, 30)], {
        method: 'shards',
        shardSize: 10,
      });
      const result = await verifyModel(tree, bundleOf(text), keyTrust);
      expect(reasons(result)).toBe('');
    });

    it.each([
      [
        'overlapping ranges',
        [shard(0, 10), shard(5, 15), shard(10, 20), shard(20, 30)],
        10,
        /statement: .*range does not fit/,
      ],
      ['a gap', [shard(0, 10), shard(20, 30)], 10, /model: w\.bin: .*does not match its signed digest/],
      [
        'a range past the end',
        [shard(0, 20), { name: 'w.bin:20:40', digest: sha256Hex(body.subarray(20)) }],
        20,
        /model: w\.bin: .*does not match its signed digest/,
      ],
      [
        'a range twice in two lengths',
        [shard(0, 10), shard(0, 5), shard(10, 20), shard(20, 30)],
        10,
        /does not match/,
      ],
      ['a huge shard size', [shard(0, 30)], 2 ** 60, /shard_size must be a positive integer/],
      ['a fractional shard size', [shard(0, 30)], 30.5, /shard_size must be a positive integer/],
    ] as const)('refuses %s', async (_label, resources, shardSize, pattern) => {
      const text = statementText(resources, { method: 'shards', shardSize });
      const result = await verifyModel(tree, bundleOf(text), keyTrust);
      expect(result.ok).toBe(false);
      expect(reasons(result)).toMatch(pattern);
    });

    it('refuses shards whose algorithm names another shard size than serialization.shard_size', async () => {
      const resources = [0, 10, 20].map((s) => ({ ...shard(s, s + 10), algorithm: 'sha256-sharded-30' }));
      const result = await verifyModel(
        tree,
        bundleOf(statementText(resources, { method: 'shards', shardSize: 10 })),
        keyTrust,
      );
      expect(reasons(result)).toMatch(/algorithm 'sha256-sharded-30' does not match hash_type/);
    });
  });

  describe('the deprecated v0.1 predicate', () => {
    function legacyText(subjects: readonly { name: string; digest: string }[], predicate?: unknown): string {
      return JSON.stringify({
        _type: 'https://in-toto.io/Statement/v1',
        subject: subjects.map((s) => ({ name: s.name, digest: { sha256: s.digest } })),
        predicateType: 'https://model_signing/Digests/v0.1',
        ...(predicate === undefined ? {} : { predicate }),
      });
    }

    it('cannot smuggle a file in through a v1.0-shaped predicate it carries', async () => {
      const smuggled = JSON.parse(
        statementText([...honestResources, { name: 'evil.py', digest: sha256Hex('x') }]),
      ) as {
        predicate: unknown;
      };
      const text = legacyText(honestResources, smuggled.predicate);
      const result = await verifyModel(memoryTree({ ...HONEST, 'evil.py': 'x' }), bundleOf(text), keyTrust);
      expect(reasons(result)).toMatch(/'evil\.py' is not covered by the signature/);
    });

    it('refuses a subject listed twice with two digests', async () => {
      const text = legacyText([...honestResources, { name: 'weights.bin', digest: sha256Hex('evil') }]);
      const result = await verifyModel(memoryTree(HONEST), bundleOf(text), keyTrust);
      expect(reasons(result)).toMatch(/listed twice/);
    });

    it('reports the canonical root digest (the registry identity of these files) whatever the subject order', async () => {
      const tree = memoryTree(HONEST);
      const { manifest } = await serializeModel(tree);
      const canonical = `sha256:${rootDigest(manifest.resources)}`;
      const result = await verifyModel(tree, bundleOf(legacyText([...honestResources].reverse())), keyTrust);
      expect(result.ok).toBe(true);
      // Reversed subjects would otherwise name another identity: that of a model whose two files swap contents.
      expect(result.rootDigest).toBe(canonical);
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Certificate chains
// ---------------------------------------------------------------------------------------------

/** Minimal DER writer: just what an X.509 v3 test certificate needs. */
const der = {
  tlv(tag: number, content: Uint8Array): Uint8Array {
    const n = content.length;
    const length =
      n < 0x80
        ? [n]
        : n < 0x100
          ? [0x81, n]
          : n < 0x10000
            ? [0x82, n >> 8, n & 0xff]
            : [0x83, n >> 16, (n >> 8) & 0xff, n & 0xff];
    return new Uint8Array([tag, ...length, ...content]);
  },
  seq: (...items: Uint8Array[]) => der.tlv(0x30, Buffer.concat(items)),
  set: (...items: Uint8Array[]) => der.tlv(0x31, Buffer.concat(items)),
  int(value: number): Uint8Array {
    const bytes: number[] = [];
    let v = value;
    do {
      bytes.unshift(v & 0xff);
      v = Math.floor(v / 256);
    } while (v > 0);
    if ((bytes[0] ?? 0) & 0x80) bytes.unshift(0);
    return der.tlv(0x02, new Uint8Array(bytes));
  },
  bool: (value: boolean) => der.tlv(0x01, new Uint8Array([value ? 0xff : 0])),
  oid(text: string): Uint8Array {
    const [a = 0, b = 0, ...rest] = text.split('.').map(Number);
    const out = [a * 40 + b];
    for (const arc of rest) {
      const chunk = [arc & 0x7f];
      for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift((v & 0x7f) | 0x80);
      out.push(...chunk);
    }
    return der.tlv(0x06, new Uint8Array(out));
  },
  utf8: (text: string) => der.tlv(0x0c, Buffer.from(text, 'utf8')),
  octets: (bytes: Uint8Array) => der.tlv(0x04, bytes),
  bits(bytes: Uint8Array, unused = 0): Uint8Array {
    return der.tlv(0x03, new Uint8Array([unused, ...bytes]));
  },
  time(date: Date): Uint8Array {
    const iso = date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
    return date.getUTCFullYear() < 2050
      ? der.tlv(0x17, Buffer.from(`${iso.slice(2)}Z`))
      : der.tlv(0x18, Buffer.from(`${iso}Z`));
  },
  explicit: (n: number, content: Uint8Array) => der.tlv(0xa0 + n, content),
};

const EKU = { codeSigning: '1.3.6.1.5.5.7.3.3', serverAuth: '1.3.6.1.5.5.7.3.1' } as const;
const KU = { digitalSignature: 0x80, keyCertSign: 0x04, cRLSign: 0x02 } as const;

interface CertOptions {
  readonly subject: string;
  readonly issuer?: { readonly name: string; readonly key: KeyObject };
  readonly key: KeyObject;
  readonly publicKey: KeyObject;
  readonly ca?: boolean;
  readonly pathLen?: number;
  /** Key usage bits (KU); absent: no extension. */
  readonly keyUsage?: number;
  readonly eku?: readonly string[];
  readonly notBefore?: Date;
  readonly notAfter?: Date;
  readonly serial?: number;
}

const name = (cn: string) => der.seq(der.set(der.seq(der.oid('2.5.4.3'), der.utf8(cn))));
const extension = (oid: string, critical: boolean, value: Uint8Array) =>
  der.seq(der.oid(oid), ...(critical ? [der.bool(true)] : []), der.octets(value));

let serialCounter = 1;

/** Issues an X.509 v3 certificate (ECDSA P-256 with SHA-256 when issued by a P-256 key). */
function certificate(options: CertOptions): X509Certificate {
  const issuerName = options.issuer?.name ?? options.subject;
  const signingKey = options.issuer?.key ?? options.key;
  const extensions: Uint8Array[] = [];
  if (options.ca !== undefined) {
    const constraint = options.ca
      ? der.seq(der.bool(true), ...(options.pathLen === undefined ? [] : [der.int(options.pathLen)]))
      : der.seq();
    extensions.push(extension('2.5.29.19', true, constraint));
  }
  if (options.keyUsage !== undefined) {
    const byte = options.keyUsage;
    let unused = 0;
    while (unused < 7 && ((byte >> unused) & 1) === 0) unused += 1;
    extensions.push(extension('2.5.29.15', true, der.bits(new Uint8Array([byte]), unused)));
  }
  if (options.eku !== undefined)
    extensions.push(extension('2.5.29.37', false, der.seq(...options.eku.map((oid) => der.oid(oid)))));
  const algorithm =
    signingKey.asymmetricKeyType === 'ed25519'
      ? der.seq(der.oid('1.3.101.112'))
      : der.seq(der.oid('1.2.840.10045.4.3.2'));
  const tbs = der.seq(
    der.explicit(0, der.int(2)),
    der.int(options.serial ?? serialCounter++),
    algorithm,
    name(issuerName),
    der.seq(
      der.time(options.notBefore ?? new Date('2025-01-01T00:00:00Z')),
      der.time(options.notAfter ?? new Date('2035-01-01T00:00:00Z')),
    ),
    name(options.subject),
    new Uint8Array(options.publicKey.export({ type: 'spki', format: 'der' })),
    ...(extensions.length === 0 ? [] : [der.explicit(3, der.seq(...extensions))]),
  );
  const signature =
    signingKey.asymmetricKeyType === 'ed25519'
      ? signData(null, tbs, signingKey)
      : signData('sha256', tbs, { key: signingKey, dsaEncoding: 'der' });
  return new X509Certificate(Buffer.from(der.seq(tbs, algorithm, der.bits(new Uint8Array(signature)))));
}

describe('red team, certificate method: chains that must not lead to trust', () => {
  const now = new Date('2026-06-01T00:00:00Z');
  const root = party('p256');
  const intermediate = party('p256');
  const subCa = party('p256');
  const leaf = party('p256');
  const rootCert = certificate({
    subject: 'Red Root',
    key: root.privateKey,
    publicKey: root.publicKey,
    ca: true,
    keyUsage: KU.keyCertSign | KU.cRLSign,
  });
  const caTrust: OmsTrust = { method: 'certificate', caCertificates: [rootCert], now };
  const byRoot = { name: 'Red Root', key: root.privateKey };
  const goodIntermediate = certificate({
    subject: 'Red Intermediate',
    issuer: byRoot,
    key: intermediate.privateKey,
    publicKey: intermediate.publicKey,
    ca: true,
    keyUsage: KU.keyCertSign | KU.cRLSign,
  });
  const byIntermediate = { name: 'Red Intermediate', key: intermediate.privateKey };
  const leafCert = (overrides: Partial<CertOptions> = {}) =>
    certificate({
      subject: 'release-signer',
      issuer: byIntermediate,
      key: leaf.privateKey,
      publicKey: leaf.publicKey,
      ca: false,
      keyUsage: KU.digitalSignature,
      eku: [EKU.codeSigning],
      ...overrides,
    });

  async function verifyChain(
    chain: X509Certificate[],
    trust: OmsTrust = caTrust,
  ): Promise<ModelVerification> {
    const tree = memoryTree(HONEST);
    const payload = await honestPayload(tree);
    const bundle = serializeBundle(signStatement(payload, leaf.signer, { certificateChain: chain }));
    return verifyModel(tree, bundle, trust);
  }

  it('an honest leaf → intermediate → root chain verifies (control)', async () => {
    const result = await verifyChain([leafCert(), goodIntermediate]);
    expect(reasons(result)).toBe('');
    expect(result.signer).toBe('CN=release-signer');
  });

  it('refuses an intermediate that is not a CA', async () => {
    const notCa = certificate({
      subject: 'Red Intermediate',
      issuer: byRoot,
      key: intermediate.privateKey,
      publicKey: intermediate.publicKey,
      ca: false,
    });
    expect(reasons(await verifyChain([leafCert(), notCa]))).toMatch(
      /certificate 1 of the chain is not a CA certificate/,
    );
  });

  it('refuses an intermediate whose key usage does not allow signing certificates', async () => {
    const noCertSign = certificate({
      subject: 'Red Intermediate',
      issuer: byRoot,
      key: intermediate.privateKey,
      publicKey: intermediate.publicKey,
      ca: true,
      keyUsage: KU.digitalSignature,
    });
    expect((await verifyChain([leafCert(), noCertSign])).ok).toBe(false);
  });

  it('refuses an expired leaf and a leaf not yet valid', async () => {
    const expired = leafCert({ notAfter: new Date('2026-01-01T00:00:00Z') });
    expect(reasons(await verifyChain([expired, goodIntermediate]))).toMatch(/certificate 0 .*expired/);
    const early = leafCert({ notBefore: new Date('2027-01-01T00:00:00Z') });
    expect(reasons(await verifyChain([early, goodIntermediate]))).toMatch(/not valid before/);
  });

  it('refuses a leaf whose extended key usage does not allow code signing', async () => {
    const server = leafCert({ eku: [EKU.serverAuth] });
    expect(reasons(await verifyChain([server, goodIntermediate]))).toMatch(/does not allow code signing/);
  });

  it('refuses a self-signed leaf that copies the root CA name', async () => {
    const impostor = certificate({
      subject: 'Red Root',
      key: leaf.privateKey,
      publicKey: leaf.publicKey,
      ca: true,
      keyUsage: KU.keyCertSign | KU.digitalSignature,
    });
    expect(reasons(await verifyChain([impostor]))).toMatch(/does not lead to a trusted CA/);
  });

  it('refuses a chain longer than an intermediate path length constraint allows (RFC 5280 §4.2.1.9)', async () => {
    const constrained = certificate({
      subject: 'Red Intermediate',
      issuer: byRoot,
      key: intermediate.privateKey,
      publicKey: intermediate.publicKey,
      ca: true,
      pathLen: 0,
      keyUsage: KU.keyCertSign | KU.cRLSign,
    });
    const rogueCa = certificate({
      subject: 'Rogue CA',
      issuer: byIntermediate,
      key: subCa.privateKey,
      publicKey: subCa.publicKey,
      ca: true,
      keyUsage: KU.keyCertSign | KU.cRLSign,
    });
    const rogueLeaf = leafCert({ issuer: { name: 'Rogue CA', key: subCa.privateKey } });
    const result = await verifyChain([rogueLeaf, rogueCa, constrained]);
    expect(result.ok).toBe(false);
    expect(reasons(result)).toMatch(/path length/);
  });

  it("refuses a chain longer than the trust anchor's own path length constraint", async () => {
    const constrainedRoot = certificate({
      subject: 'Red Root',
      key: root.privateKey,
      publicKey: root.publicKey,
      ca: true,
      pathLen: 0,
      keyUsage: KU.keyCertSign,
    });
    const trust: OmsTrust = { method: 'certificate', caCertificates: [constrainedRoot], now };
    const result = await verifyChain([leafCert(), goodIntermediate], trust);
    expect(result.ok).toBe(false);
    expect(reasons(result)).toMatch(/path length/);
  });
});

// ---------------------------------------------------------------------------------------------
// Sigstore identities
// ---------------------------------------------------------------------------------------------

describe('red team, keyless: identities that only look like the expected one', () => {
  const trustedRoot = new TextDecoder().decode(
    fixtures.readBytes(join(OMS_DATA, 'model-transparency/tests/_signing/testdata/custom_trust_config.json')),
  );
  const sampleName = fixtures.sampleModels('-sigstore')[0] ?? '';
  const parsed = parseBundle(
    fixtures.readBytes(join(SAMPLE_MODELS, sampleName, 'model.sig')),
  ) as ParsedBundle & {
    ok: true;
  };
  const IDENTITY = 'stefanb@us.ibm.com';
  const ISSUER = 'https://sigstore.verify.ibm.com/oauth2';

  it('the exact identity verifies (control)', () => {
    const verdict = verifyBundleSignature(parsed, {
      method: 'sigstore',
      trustedRoot,
      identity: IDENTITY,
      issuer: ISSUER,
    });
    expect(verdict).toMatchObject({ ok: true, signer: IDENTITY });
  });

  it.each([
    ['a case twin', 'Stefanb@us.ibm.com', ISSUER],
    ['an upper-case domain', 'stefanb@US.IBM.COM', ISSUER],
    ['a Cyrillic homoglyph', 'stefanb@us.\u0456bm.com', ISSUER],
    ['a fullwidth @', 'stefanb\uff20us.ibm.com', ISSUER],
    ['a trailing space', `${IDENTITY} `, ISSUER],
    ['an issuer with a trailing slash', IDENTITY, `${ISSUER}/`],
    ['an issuer differing in case', IDENTITY, ISSUER.toUpperCase()],
  ])('refuses %s of the expected signer', (_label, identity, issuer) => {
    const verdict = verifyBundleSignature(parsed, { method: 'sigstore', trustedRoot, identity, issuer });
    expect(verdict.ok).toBe(false);
  });

  it('an identity with decomposed (NFD) characters is not the precomposed one', () => {
    // The sample identity is ASCII; the check must be code-point exact, so any normalization twin fails.
    const twin = 'ste\u0301fanb@us.ibm.com'.normalize('NFD');
    const verdict = verifyBundleSignature(parsed, {
      method: 'sigstore',
      trustedRoot,
      identity: twin,
      issuer: ISSUER,
    });
    expect(verdict.ok).toBe(false);
  });
});
