import { createPrivateKey, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isBulwarkError } from '../core/errors.js';
import type { Signer } from '../core/signer.js';
import {
  formatVerifierKey,
  noteSignerOf,
  openNote,
  parseVerifierKey,
  signNote,
  verifyNote,
} from './checkpoint.js';

/*
 * Known answers published by other implementations; only the data is used here.
 *
 * Ed25519: golang.org/x/mod/sumdb/note, file note_test.go (TestNewVerifier, TestSign, TestOpen) —
 * the PeterNeumann and EnochRoot keys, the signed text and its signatures.
 *
 * ECDSA (signature type 0x02): github.com/transparency-dev/formats, file note/note_verifier_test.go
 * (TestNewECDSAVerifier, TestECDSAVerifier) — the Sigstore Rekor and Pixel 6 log keys and a real
 * checkpoint signed by each.
 */
const PETER_VKEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const PETER_SKEY_MATERIAL = 'AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz'; // 0x01 || Ed25519 seed
const ENOCH_VKEY = 'EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop';
const TEXT =
  "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const PETER_SIG =
  '\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n';
const ENOCH_SIG =
  '\u2014 EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n';

const REKOR_VKEY =
  'rekor.sigstore.dev+c0d23d6a+AjBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABNhtmPtrWm3U1eQXBogSMdGvXwBcK5AW5i0hrZLOC96l+smGNM7nwZ4QvFK/4sueRoVj//QP22Ni4Qt9DPfkWLc=';
const REKOR_NOTE =
  'Rekor\n798034\nf+7CoKgXKE/tNys9TTXcr/ad6U/K3xvznmzew9y6SP0=\n\n\u2014 rekor.sigstore.dev wNI9ajBEAiARInWIWyCdyG27CO6LPnPekyw20qO0YJfoaPaowGp/XgIgc+qEHS3+GKVClgqq20uDLet7MCoTURUCRdxwWBHHufk=\n';
const PIXEL_VKEY =
  'pixel6_transparency_log+91c16e30+AjBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABN+4x0Jk1yTwvLFI9A4NDdGZcX0aiWVdWM5XJVy0M4VWD3AvyW5Q6Hs9A0mcDkpUoYgn+KKPNzFC0H3nN3q6JQ8=';
const PIXEL_NOTE =
  'DEFAULT\n10\nbsWRucJU5xJPHb5eBdOm6+DM+VelCZBuvtI3sHERJ9Y=\n\n\u2014 pixel6_transparency_log kcFuMDBFAiEAhqMAP8P6qf6QxtUJhzMhbN+MbZ9dwfUHzGQJmffJHtoCIGD0cNe47dHWBoPwYdgBCepB06/+g5O1FmYjXl06owL4\n';

/** Builds a Bulwark Signer from the published PeterNeumann seed (PKCS#8 wrapping of RFC 8410). */
function peterSigner(): Signer {
  const seed = Buffer.from(PETER_SKEY_MATERIAL, 'base64').subarray(1);
  const pkcs8 = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]);
  const privateKey = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
  const verifier = parseVerifierKey(PETER_VKEY);
  return { ...verifier.key, sign: (data) => new Uint8Array(sign(null, data, privateKey)) };
}

function rejectsKey(vkey: string): boolean {
  try {
    parseVerifierKey(vkey);
    return false;
  } catch (error) {
    if (isBulwarkError(error) && error.code === 'KEY_INVALID') return true;
    throw error;
  }
}

describe('Ed25519 known answers (golang.org/x/mod/sumdb/note)', () => {
  it('parses and re-formats the PeterNeumann verifier key', () => {
    const peter = parseVerifierKey(PETER_VKEY);
    expect(peter.name).toBe('PeterNeumann');
    expect(peter.keyHash).toBe(0xc74f20a3);
    expect(peter.key.algorithm).toBe('ed25519');
    expect(formatVerifierKey('PeterNeumann', peter.key)).toBe(PETER_VKEY);
    expect(parseVerifierKey(ENOCH_VKEY).keyHash).toBe(0xaf0cfe78);
  });

  it('reproduces the published signed note byte for byte', () => {
    const signer = noteSignerOf('PeterNeumann', peterSigner());
    expect(signer.keyHash).toBe(0xc74f20a3);
    expect(signNote(TEXT, signer)).toBe(`${TEXT}\n${PETER_SIG}`);
  });

  it('opens the published notes with the semantics of the reference', () => {
    const peter = parseVerifierKey(PETER_VKEY);
    const enoch = parseVerifierKey(ENOCH_VKEY);
    const both = `${TEXT}\n${PETER_SIG}${ENOCH_SIG}`;
    expect(openNote(both, [peter])).toEqual({ ok: true, body: TEXT, verifiedBy: ['PeterNeumann'] });
    expect(openNote(both, [peter, enoch])).toEqual({
      ok: true,
      body: TEXT,
      verifiedBy: ['PeterNeumann', 'EnochRoot'],
    });
    expect(openNote(both, [])).toMatchObject({ ok: false, reason: 'unknown-key' });
    expect(openNote(`${TEXT}\n${PETER_SIG.repeat(101)}`, [peter])).toMatchObject({
      ok: false,
      reason: 'malformed',
    });
    const corrupted = `${TEXT}\n${PETER_SIG.slice(0, 60)}ABCD${PETER_SIG.slice(60)}`;
    expect(openNote(corrupted, [peter])).toMatchObject({ ok: false, reason: 'bad-signature' });
    expect(openNote(TEXT.replace('cryptography', 'cryptographY') + `\n${PETER_SIG}`, [peter])).toMatchObject({
      ok: false,
      reason: 'bad-signature',
    });
    // The text is not a checkpoint, so the checkpoint-level check calls it malformed.
    expect(verifyNote(both, [peter])).toMatchObject({ ok: false, reason: 'malformed' });
  });

  it.each([
    ['bare text', TEXT],
    ['no signatures', `${TEXT}\n`],
    ['signature without final newline', `${TEXT}\n${PETER_SIG.slice(0, -1)}`],
    ['leading control byte', `\u0001${TEXT}\n${PETER_SIG}`],
    ['name with a space', `${TEXT}\n\u2014 Bad Name ${PETER_SIG.slice(15)}`],
    ['unexpected trailing line', `${TEXT}\n${PETER_SIG}Unexpected line.\n`],
  ])('calls the reference bad message "%s" malformed', (_what, note) => {
    expect(openNote(note, [parseVerifierKey(PETER_VKEY)])).toMatchObject({ ok: false, reason: 'malformed' });
  });

  it('rejects every substring and every single-character change of the verifier key', () => {
    for (let i = 0; i <= PETER_VKEY.length; i++) {
      for (let j = i + 1; j <= PETER_VKEY.length; j++) {
        if (i !== 0 || j !== PETER_VKEY.length) expect(rejectsKey(PETER_VKEY.slice(i, j))).toBe(true);
      }
    }
    for (let i = 0; i < PETER_VKEY.length; i++) {
      const bumped = String.fromCharCode(PETER_VKEY.charCodeAt(i) + 1);
      expect(rejectsKey(PETER_VKEY.slice(0, i) + bumped + PETER_VKEY.slice(i + 1))).toBe(true);
    }
    expect(rejectsKey('PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==')).toBe(
      true,
    );
    expect(rejectsKey('PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW')).toBe(true);
  });
});

describe('ECDSA known answers (transparency-dev/formats)', () => {
  it('computes the key ID as the truncated SHA-256 of the SPKI and re-formats the key', () => {
    const rekor = parseVerifierKey(REKOR_VKEY);
    expect(rekor.keyHash).toBe(0xc0d23d6a);
    expect(rekor.key.algorithm).toBe('ecdsa-p256');
    expect(formatVerifierKey('rekor.sigstore.dev', rekor.key)).toBe(REKOR_VKEY);
    expect(parseVerifierKey(PIXEL_VKEY).keyHash).toBe(0x91c16e30);
    expect(rejectsKey(REKOR_VKEY.replace('+c0d23d6a+', '+00000000+'))).toBe(true);
  });

  it('verifies the published Rekor and Pixel checkpoints', () => {
    const rekor = verifyNote(REKOR_NOTE, [parseVerifierKey(REKOR_VKEY)]);
    expect(rekor).toMatchObject({ ok: true, verifiedBy: ['rekor.sigstore.dev'] });
    if (rekor.ok)
      expect(rekor.checkpoint).toMatchObject({ origin: 'Rekor', treeSize: 798034, extensions: [] });
    const pixel = verifyNote(PIXEL_NOTE, [parseVerifierKey(PIXEL_VKEY)]);
    expect(pixel).toMatchObject({ ok: true, checkpoint: { origin: 'DEFAULT', treeSize: 10 } });
  });

  it('rejects the reference negative cases', () => {
    const misnamed = parseVerifierKey(REKOR_VKEY.replace('rekor.sigstore.dev', 'bananas.sigstore.dev'));
    expect(verifyNote(REKOR_NOTE, [misnamed])).toMatchObject({ ok: false, reason: 'unknown-key' });
    const forged = REKOR_NOTE.replace(
      / \S+\n$/,
      ' THIS/IS/PROBABLY/NOT/A/VALID/SIGNATURE/ANy/MOREowGp/XgIgc+qEHS3+GKVClgqq20uDLet7MCoTURUCRdxwWBHHufk=\n',
    );
    // The forged blob does not even carry Rekor's key ID, so no trusted key claims it.
    expect(verifyNote(forged, [parseVerifierKey(REKOR_VKEY)])).toMatchObject({
      ok: false,
      reason: 'unknown-key',
    });
    const tampered = REKOR_NOTE.replace('798034', '798035');
    expect(verifyNote(tampered, [parseVerifierKey(REKOR_VKEY)])).toMatchObject({
      ok: false,
      reason: 'bad-signature',
    });
  });
});
