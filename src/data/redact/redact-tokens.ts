/**
 * The replacement tokens of the redaction operators and the keyed primitives behind them.
 *
 * - replace: `<EMAIL_ADDRESS>`.
 * - hash: `<EMAIL_ADDRESS#hmac:` + 24 base32 characters (the first 120 bits of HMAC-SHA-256 of the
 *   value) + `>`. Keyed, so a dictionary of every phone number does not reverse it; deterministic, so
 *   equal values give equal tokens and joins still work.
 * - encrypt: `<EMAIL_ADDRESS#enc1:` + base32 payload in groups of 16 joined by `.` + `>`. The payload
 *   is deterministic authenticated encryption in the SIV construction (Rogaway–Shrimpton, RFC 5297's
 *   structure) with HMAC-SHA-256 as the PRF: V = HMAC(Kmac, AD ‖ P)[0..16), C = AES-256-CTR(Kenc, V, P),
 *   payload = V ‖ C, and decryption recomputes V. Equal values give equal tokens (joins work), a
 *   changed bit anywhere fails authentication, and reusing V leaks only that two values are equal,
 *   which determinism shows anyway. The entity is bound as associated data.
 *
 * `#` (not `:`) follows the entity so `EMAIL_ADDRESS:` is never read as an address label; payload
 * groups stay shorter than the 40-character runs AWS secret keys are matched by.
 */
import { createCipheriv, createHash, createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { BulwarkError } from '../../core/errors.js';
import { localKeyId } from '../../registry/encryption/local-key-source.js';
import { decodeBase32, encodeBase32 } from './base32.js';

/** What an encrypted token replaced: a span of text, or a whole JSON number (quoted in the output). */
export const TOKEN_FORMS = ['span', 'json-number'] as const;

/** One of `TOKEN_FORMS`. */
export type TokenForm = (typeof TOKEN_FORMS)[number];

/** Subkeys of the hash and encrypt operators, derived from one secret with HKDF-SHA-256 (RFC 5869). */
export interface RedactKeys {
  /** Names the secret without revealing it: `local:…` for a key (as `bulwark encrypt` shows), `salt:…`. */
  readonly keyId: string;
  readonly hash: Uint8Array;
  /** Absent for a salt: a salt is for hashing only. */
  readonly encryption?: { readonly cipher: Uint8Array; readonly mac: Uint8Array };
}

/** An entity name as tokens carry it (the recognizer schema's rule). */
export const ENTITY_NAME = /^[A-Z][A-Z0-9_]{0,63}$/;

/** Finds encrypted tokens: group 1 is the entity, group 2 the payload. */
export const ENCRYPTED_TOKEN = /<([A-Z][A-Z0-9_]{0,63})#enc1:([a-z2-7]{1,16}(?:\.[a-z2-7]{1,16})*)>/g;

/** The start of an encrypted token that may continue in text not read yet. */
const TOKEN_PREFIX = /<(?:[A-Z][A-Z0-9_]{0,63}(?:#(?:e(?:n(?:c(?:1(?::[a-z2-7.]*)?)?)?)?)?)?)?$/;

const HASH_BYTES = 15;
const TAG_BYTES = 16;
const GROUP = 16;
const MIN_SALT_BYTES = 16;
const AD_CONTEXT = 'bulwark/redact-token/v1\0';
const FORM_BYTE: Readonly<Record<TokenForm, number>> = { span: 0, 'json-number': 1 };

function derive(secret: Uint8Array, info: string): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', secret, new Uint8Array(0), info, 32));
}

/** Subkeys from a 32-byte key (`bulwark keys generate-encryption-key`): hashing and encryption. */
export function redactKeysFromKey(key: Uint8Array): RedactKeys {
  if (key.length !== 32) throw new BulwarkError('KEY_INVALID', 'a redaction key must be 32 bytes');
  return {
    keyId: localKeyId(key),
    hash: derive(key, 'bulwark/redact/v1/hash'),
    encryption: {
      cipher: derive(key, 'bulwark/redact/v1/encrypt'),
      mac: derive(key, 'bulwark/redact/v1/mac'),
    },
  };
}

/** A hashing subkey from a salt file's bytes (16 or more secret bytes); no encryption. */
export function redactKeysFromSalt(salt: Uint8Array): RedactKeys {
  if (salt.length < MIN_SALT_BYTES) {
    throw new BulwarkError('KEY_INVALID', `a salt must hold at least ${MIN_SALT_BYTES} bytes`);
  }
  const id = createHash('sha256').update('bulwark/redact-salt-id/v1\0').update(salt).digest('hex');
  return { keyId: `salt:${id.slice(0, 16)}`, hash: derive(salt, 'bulwark/redact/v1/salt-hash') };
}

/** The replace operator's token, or the user's text with `{entity}` filled in. */
export function replacedToken(entity: string, template?: string): string {
  return template === undefined ? `<${entity}>` : template.replaceAll('{entity}', entity);
}

/** The hash operator's token of a value (see the file comment). */
export function hashedToken(keys: RedactKeys, entity: string, value: string): string {
  const digest = createHmac('sha256', keys.hash).update(value, 'utf8').digest();
  return `<${entity}#hmac:${encodeBase32(digest.subarray(0, HASH_BYTES))}>`;
}

/** The encrypt operator's token of the bytes of a span (see the file comment). */
export function encryptedToken(keys: RedactKeys, entity: string, form: TokenForm, bytes: Uint8Array): string {
  const { cipher, mac } = encryptionKeys(keys);
  const plain = new Uint8Array(bytes.length + 1);
  plain[0] = FORM_BYTE[form];
  plain.set(bytes, 1);
  const tag = syntheticIv(mac, entity, plain);
  const aes = createCipheriv('aes-256-ctr', cipher, tag);
  const payload = Buffer.concat([tag, aes.update(plain), aes.final()]);
  const text = encodeBase32(payload);
  const groups: string[] = [];
  for (let i = 0; i < text.length; i += GROUP) groups.push(text.slice(i, i + GROUP));
  return `<${entity}#enc1:${groups.join('.')}>`;
}

/** What an encrypted token held, or undefined when it does not authenticate under `keys`. */
export function openEncryptedToken(
  keys: RedactKeys,
  entity: string,
  payload: string,
): { readonly form: TokenForm; readonly bytes: Uint8Array } | undefined {
  const { cipher, mac } = encryptionKeys(keys);
  const groups = payload.split('.');
  const last = groups.length - 1;
  if (groups.some((group, i) => (i < last ? group.length !== GROUP : group.length > GROUP))) return undefined;
  const bytes = decodeBase32(groups.join(''));
  if (bytes === undefined || bytes.length <= TAG_BYTES) return undefined;
  const tag = bytes.subarray(0, TAG_BYTES);
  const aes = createCipheriv('aes-256-ctr', cipher, tag);
  const plain = new Uint8Array(Buffer.concat([aes.update(bytes.subarray(TAG_BYTES)), aes.final()]));
  if (!timingSafeEqual(syntheticIv(mac, entity, plain), tag)) return undefined;
  const form = TOKEN_FORMS.find((name) => FORM_BYTE[name] === plain[0]);
  return form === undefined ? undefined : { form, bytes: plain.subarray(1) };
}

/** Tells whether text holds something shaped like an encrypted token. */
export function hasEncryptedToken(text: string): boolean {
  ENCRYPTED_TOKEN.lastIndex = 0;
  const found = ENCRYPTED_TOKEN.test(text);
  ENCRYPTED_TOKEN.lastIndex = 0;
  return found;
}

/** Where a token that the next text may complete starts at the end of `text`, or -1. */
export function partialTokenStart(text: string): number {
  const at = text.lastIndexOf('<');
  if (at === -1) return -1;
  return TOKEN_PREFIX.test(text.slice(at)) ? at : -1;
}

function encryptionKeys(keys: RedactKeys): { cipher: Uint8Array; mac: Uint8Array } {
  if (keys.encryption === undefined) {
    throw new BulwarkError('USAGE', 'encryption needs a key (--key), not a salt');
  }
  return keys.encryption;
}

/** V = HMAC-SHA-256(mac, len(AD) ‖ AD ‖ plaintext), first 16 bytes. */
function syntheticIv(mac: Uint8Array, entity: string, plain: Uint8Array): Buffer {
  const ad = Buffer.from(AD_CONTEXT + entity, 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(ad.length);
  return createHmac('sha256', mac).update(length).update(ad).update(plain).digest().subarray(0, TAG_BYTES);
}
