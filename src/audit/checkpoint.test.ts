import { generateKeyPairSync, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../core/digest.js';
import { isBulwarkError } from '../core/errors.js';
import type { ErrorCode } from '../core/errors.js';
import type { KeyAlgorithm, Signer } from '../core/signer.js';
import {
  formatCheckpoint,
  formatVerifierKey,
  noteSignerOf,
  noteVerifierOf,
  parseCheckpoint,
  parseVerifierKey,
  signNote,
  verifyNote,
} from './checkpoint.js';
import { EMPTY_ROOT, hashLeaf, rootOf } from './merkle.js';

function signerFrom(algorithm: KeyAlgorithm, privateKey: KeyObject, publicKey: KeyObject): Signer {
  return {
    keyId: sha256Hex(publicKey.export({ type: 'spki', format: 'der' })),
    algorithm,
    publicKey,
    sign: (data) => new Uint8Array(sign(algorithm === 'ed25519' ? null : 'sha256', data, privateKey)),
  };
}

function makeSigner(algorithm: KeyAlgorithm): Signer {
  const { privateKey, publicKey } =
    algorithm === 'ed25519'
      ? generateKeyPairSync('ed25519')
      : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return signerFrom(algorithm, privateKey, publicKey);
}

function expectCode(code: ErrorCode, fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(isBulwarkError(error) ? error.code : error).toBe(code);
    return (error as Error).message;
  }
  return expect.fail(`expected a BulwarkError ${code}`);
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Sets the lowest (padding) bit of a base64 digit: same bytes when decoded leniently, not canonical. */
function withPadBit(digit: string): string {
  return B64[B64.indexOf(digit) | 1] ?? 'B';
}

function vkeyWithType(vkey: string, type: number): string {
  const at = vkey.lastIndexOf('+', vkey.length - 45);
  const bytes = Buffer.from(vkey.slice(at + 1), 'base64');
  bytes[0] = type;
  return `${vkey.slice(0, at + 1)}${bytes.toString('base64')}`;
}

const ORIGIN = 'bulwark.example/audit';
const ROOT = rootOf([hashLeaf(new Uint8Array([1])), hashLeaf(new Uint8Array([2]))]);
const BODY = formatCheckpoint({ origin: ORIGIN, treeSize: 2, rootHash: ROOT });

const ed = makeSigner('ed25519');
const ec = makeSigner('ecdsa-p256');
const edSigner = noteSignerOf(ORIGIN, ed);
const edVerifier = noteVerifierOf(ORIGIN, ed);

describe('checkpoint text', () => {
  it('formats and parses the three mandatory lines and extensions', () => {
    expect(BODY).toBe(`${ORIGIN}\n2\n${Buffer.from(ROOT).toString('base64')}\n`);
    const withExt = formatCheckpoint({
      origin: ORIGIN,
      treeSize: 0,
      rootHash: EMPTY_ROOT,
      extensions: ['x y', 'z'],
    });
    expect(withExt).toBe(`${ORIGIN}\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\nx y\nz\n`);
    const parsed = parseCheckpoint(withExt);
    expect(parsed).toMatchObject({ origin: ORIGIN, treeSize: 0, extensions: ['x y', 'z'] });
    expect(Buffer.from(parsed.rootHash).equals(Buffer.from(EMPTY_ROOT))).toBe(true);
    expect(
      parseCheckpoint(`o\n${Number.MAX_SAFE_INTEGER}\n${Buffer.from(ROOT).toString('base64')}\n`).treeSize,
    ).toBe(Number.MAX_SAFE_INTEGER);
  });

  it.each([
    ['no trailing newline', BODY.slice(0, -1)],
    ['two lines', `${ORIGIN}\n2\n`],
    ['empty origin', `\n2\n${Buffer.from(ROOT).toString('base64')}\n`],
    ['leading zero', BODY.replace('\n2\n', '\n02\n')],
    ['negative size', BODY.replace('\n2\n', '\n-2\n')],
    ['plus sign', BODY.replace('\n2\n', '\n+2\n')],
    ['fraction', BODY.replace('\n2\n', '\n2.0\n')],
    ['spaces', BODY.replace('\n2\n', '\n 2\n')],
    ['size above 2^53', BODY.replace('\n2\n', '\n9007199254740993\n')],
    ['unpadded root', BODY.replace('=\n', '\n')],
    ['non-canonical root bits', BODY.replace(/.=\n$/, (m) => `${withPadBit(m[0] ?? 'A')}=\n`)],
    ['short root', `${ORIGIN}\n2\n${Buffer.alloc(31).toString('base64')}\n`],
    ['url-safe root', `${ORIGIN}\n2\n${Buffer.alloc(32, 0xff).toString('base64url')}=\n`],
    ['empty extension line', `${BODY}\nextra\n`],
    ['carriage return', BODY.replace('\n2\n', '\r\n2\n')],
    ['tab', BODY.replace(ORIGIN, `${ORIGIN}\t`)],
  ])('rejects %s with INPUT_INVALID', (_what, text) => {
    expectCode('INPUT_INVALID', () => parseCheckpoint(text));
  });

  it('refuses fields the grammar cannot carry', () => {
    const ok = { origin: ORIGIN, treeSize: 1, rootHash: ROOT };
    expectCode('INPUT_INVALID', () => formatCheckpoint({ ...ok, origin: '' }));
    expectCode('INPUT_INVALID', () => formatCheckpoint({ ...ok, origin: 'a\nb' }));
    expectCode('INPUT_INVALID', () => formatCheckpoint({ ...ok, treeSize: -1 }));
    expectCode('INPUT_INVALID', () => formatCheckpoint({ ...ok, treeSize: 1.5 }));
    expectCode('INPUT_INVALID', () => formatCheckpoint({ ...ok, rootHash: ROOT.subarray(1) }));
    expectCode('INPUT_INVALID', () => formatCheckpoint({ ...ok, extensions: [''] }));
    expectCode('INPUT_INVALID', () => formatCheckpoint({ ...ok, extensions: ['a\nb'] }));
  });
});

describe('signed checkpoints', () => {
  it.each([
    ['Ed25519', ed],
    ['ECDSA P-256', ec],
  ])('signs and verifies with %s', (_alg, signer) => {
    const note = signNote(BODY, noteSignerOf(ORIGIN, signer));
    expect(note.startsWith(`${BODY}\n\u2014 ${ORIGIN} `)).toBe(true);
    expect(note.endsWith('\n')).toBe(true);
    const verdict = verifyNote(note, [noteVerifierOf(ORIGIN, signer)]);
    expect(verdict).toMatchObject({ ok: true, body: BODY, verifiedBy: [ORIGIN] });
    if (verdict.ok) {
      expect(verdict.checkpoint.treeSize).toBe(2);
      expect(Buffer.from(verdict.checkpoint.rootHash).equals(Buffer.from(ROOT))).toBe(true);
    }
    // The vkey text round-trips into an equivalent verifier.
    const vkey = formatVerifierKey(ORIGIN, signer);
    expect(formatVerifierKey(ORIGIN, parseVerifierKey(vkey).key)).toBe(vkey);
    expect(verifyNote(note, [parseVerifierKey(vkey)]).ok).toBe(true);
  });

  it('rejects a tampered root or tree size as a bad signature', () => {
    const note = signNote(BODY, edSigner);
    const otherRoot = Buffer.from(EMPTY_ROOT).toString('base64');
    const tamperedRoot = note.replace(Buffer.from(ROOT).toString('base64'), otherRoot);
    const tamperedSize = note.replace('\n2\n', '\n3\n');
    for (const bad of [tamperedRoot, tamperedSize]) {
      expect(bad).not.toBe(note);
      expect(verifyNote(bad, [edVerifier])).toMatchObject({ ok: false, reason: 'bad-signature' });
    }
  });

  it('rejects a corrupted signature from a trusted key', () => {
    const note = signNote(BODY, edSigner);
    const line = note.slice(BODY.length + 1);
    const blob = Buffer.from(line.slice(line.lastIndexOf(' ') + 1, -1), 'base64');
    blob[10] = (blob[10] ?? 0) ^ 1;
    const bad = `${BODY}\n\u2014 ${ORIGIN} ${blob.toString('base64')}\n`;
    expect(verifyNote(bad, [edVerifier])).toMatchObject({ ok: false, reason: 'bad-signature' });
    const ecNote = signNote(BODY, noteSignerOf(ORIGIN, ec));
    const truncated = ecNote.replace(/ ([A-Za-z0-9+/]{8})[A-Za-z0-9+/=]+\n$/, ' $1AAAA\n');
    expect(verifyNote(truncated, [noteVerifierOf(ORIGIN, ec)])).toMatchObject({
      ok: false,
      reason: 'bad-signature',
    });
  });

  it('reports notes from unknown keys, including a right key ID under the wrong name', () => {
    const note = signNote(BODY, edSigner);
    const stranger = noteVerifierOf(ORIGIN, makeSigner('ed25519'));
    expect(verifyNote(note, [stranger])).toMatchObject({ ok: false, reason: 'unknown-key' });
    expect(verifyNote(note, [])).toMatchObject({ ok: false, reason: 'unknown-key' });
    const renamed = note.replace(`\u2014 ${ORIGIN} `, '\u2014 other.example/log ');
    expect(verifyNote(renamed, [edVerifier])).toMatchObject({ ok: false, reason: 'unknown-key' });
    // Same key under another name has another Ed25519 key ID, so the line stays unknown to it too.
    expect(verifyNote(renamed, [noteVerifierOf('other.example/log', ed)])).toMatchObject({
      ok: false,
      reason: 'unknown-key',
    });
  });

  it('accepts a note with one trusted and one unknown signature, and rejects one bad trusted signature', () => {
    const witness = makeSigner('ecdsa-p256');
    const note = signNote(BODY, [edSigner, noteSignerOf('witness.example', witness)]);
    expect(note.split('\n\u2014 ')).toHaveLength(3);
    expect(verifyNote(note, [edVerifier])).toMatchObject({ ok: true, verifiedBy: [ORIGIN] });
    const both = [edVerifier, noteVerifierOf('witness.example', witness)];
    expect(verifyNote(note, both)).toMatchObject({ ok: true, verifiedBy: [ORIGIN, 'witness.example'] });
    const broken = note.replace(/witness\.example ([A-Za-z0-9+/]{10})/, 'witness.example $1AAAA');
    expect(verifyNote(broken, [edVerifier])).toMatchObject({ ok: true });
    expect(verifyNote(broken, both)).toMatchObject({ ok: false, reason: 'bad-signature' });
  });

  it('calls a validly signed note that is not a checkpoint malformed', () => {
    const note = signNote('hello\n', edSigner);
    expect(verifyNote(note, [edVerifier])).toMatchObject({ ok: false, reason: 'malformed' });
  });

  it.each([
    ['no blank line', (n: string) => n.replace(`\n\n\u2014`, '\n\u2014')],
    ['missing final newline', (n: string) => n.slice(0, -1)],
    ['ASCII hyphen', (n: string) => n.replace('\u2014 ', '- ')],
    ['no space after the name', (n: string) => n.replace(`${ORIGIN} `, ORIGIN)],
    ['space in the name', (n: string) => n.replace(`${ORIGIN} `, 'bulwark example ')],
    ['plus in the name', (n: string) => n.replace(`${ORIGIN} `, 'bulwark+example ')],
    ['bad base64', (n: string) => n.replace(/ (\S+)\n$/, ' $1!\n')],
    ['signature shorter than five bytes', (n: string) => n.replace(/ (\S+)\n$/, ' AAAAAA==\n')],
    ['trailing text', (n: string) => `${n}Unexpected line.\n`],
    ['control character', (n: string) => `\u0001${n}`],
    ['unpaired surrogate', (n: string) => `\ud800${n}`],
    ['101 signatures', (n: string) => n + n.slice(BODY.length + 1).repeat(100)],
    ['more than 1 MiB', (n: string) => `${'a'.repeat(1 << 20)}\n${n}`],
  ])('calls a note with %s malformed', (_what, mangle) => {
    const note = signNote(BODY, edSigner);
    expect(verifyNote(mangle(note), [edVerifier])).toMatchObject({ ok: false, reason: 'malformed' });
  });

  it('accepts exactly 100 signatures', () => {
    const note = signNote(BODY, edSigner);
    const hundred = note + note.slice(BODY.length + 1).repeat(99);
    expect(verifyNote(hundred, [edVerifier])).toMatchObject({ ok: true, verifiedBy: [ORIGIN] });
  });

  it('refuses to sign text a note cannot carry', () => {
    expectCode('INPUT_INVALID', () => signNote(BODY.slice(0, -1), edSigner));
    expectCode('INPUT_INVALID', () => signNote(`a\u0000\n`, edSigner));
    expectCode('INPUT_INVALID', () => signNote(BODY, []));
    expectCode('LIMIT_EXCEEDED', () => signNote(`${'a'.repeat(1 << 20)}\n`, edSigner));
  });
});

describe('note keys', () => {
  it('rejects invalid key names and keys that do not match their id or algorithm', () => {
    for (const name of ['', 'a b', 'a+b', 'a\u00a0b', 'a\u0085b', 'a\nb']) {
      expectCode('KEY_INVALID', () => noteSignerOf(name, ed));
    }
    expectCode('KEY_INVALID', () => noteSignerOf(ORIGIN, { ...ed, keyId: ec.keyId }));
    expectCode('KEY_INVALID', () => noteVerifierOf(ORIGIN, { ...ed, algorithm: 'ecdsa-p256' }));
    expectCode('KEY_INVALID', () => noteVerifierOf(ORIGIN, { ...ec, algorithm: 'ed25519' }));
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    expectCode('KEY_INVALID', () =>
      noteSignerOf(ORIGIN, signerFrom('ecdsa-p256', p384.privateKey, p384.publicKey)),
    );
  });

  it('refuses to publish a signature the signer key does not verify', () => {
    const other = generateKeyPairSync('ed25519');
    const faulty = noteSignerOf(ORIGIN, { ...signerFrom('ed25519', other.privateKey, ed.publicKey) });
    expectCode('SIGNATURE_INVALID', () => signNote(BODY, faulty));
  });

  it('refuses a trust list where two different keys share a name and key ID', () => {
    const note = signNote(BODY, edSigner);
    const impostor = { ...noteVerifierOf(ORIGIN, makeSigner('ed25519')), keyHash: edVerifier.keyHash };
    expectCode('CONFIG_INVALID', () => verifyNote(note, [edVerifier, impostor]));
    expect(verifyNote(note, [edVerifier, edVerifier]).ok).toBe(true);
  });

  it('rejects malformed verifier keys with KEY_INVALID', () => {
    const vkey = formatVerifierKey(ORIGIN, ed);
    expect(vkey).toMatch(/^bulwark\.example\/audit\+[0-9a-f]{8}\+[A-Za-z0-9+/]{44}$/);
    expect(Buffer.from(vkey.slice(-44), 'base64')[0]).toBe(1);
    expect(parseVerifierKey(vkey).keyHash).toBe(edVerifier.keyHash);
    for (const bad of [
      '',
      ORIGIN,
      `${ORIGIN}+1234`,
      vkey.replace(/\+[0-9a-f]{8}\+/, '+00000000+'),
      // Upper-case hex (a hash of digits only has no case to change: make it non-hex instead).
      vkey.replace(/\+([0-9a-f]{8})\+/, (_m, h: string) =>
        /[a-f]/.test(h) ? `+${h.toUpperCase()}+` : `+${h.slice(0, 7)}G+`,
      ),
      vkeyWithType(vkey, 3),
      vkeyWithType(vkey, 2),
      `${vkey}=`,
      `${vkey}AAAA`,
      vkey.replace(ORIGIN, 'bad name'),
      `x+00000000+${Buffer.from([2, 1, 2, 3]).toString('base64')}`,
      'x'.repeat(5000),
    ]) {
      expectCode('KEY_INVALID', () => parseVerifierKey(bad));
    }
  });
});
