import * as nodeCrypto from 'node:crypto';

/** Size in bytes of every RFC 9162 tree hash Bulwark uses (SHA-256). */
export const HASH_SIZE = 32;

const LEAF_PREFIX = 0x00;
const NODE_PREFIX = 0x01;
const nodeInput = new Uint8Array(1 + 2 * HASH_SIZE);
nodeInput[0] = NODE_PREFIX;

/*
 * `crypto.hash` (Node 20.12+) is about twice as fast as `createHash` for one-shot digests, which
 * matters when a million-leaf tree is rebuilt; older Node 20 releases fall back to `createHash`.
 */
const oneShot: ((data: Uint8Array) => Uint8Array) | undefined =
  typeof nodeCrypto.hash === 'function' ? (data) => nodeCrypto.hash('sha256', data, 'buffer') : undefined;

function sha256(data: Uint8Array): Uint8Array {
  if (oneShot !== undefined) return oneShot(data);
  return nodeCrypto.createHash('sha256').update(data).digest();
}

/** The root of the empty tree, MTH({}) = SHA-256("") (RFC 9162 §2.1.1). */
export const EMPTY_ROOT: Uint8Array = sha256(new Uint8Array(0));

/**
 * Hashes one log entry into a leaf, SHA-256(0x00 || data) (RFC 9162 §2.1.1); the prefix keeps a leaf
 * from ever being passed off as an interior node (second-preimage defence).
 */
export function hashLeaf(data: Uint8Array): Uint8Array {
  const input = new Uint8Array(data.length + 1);
  input[0] = LEAF_PREFIX;
  input.set(data, 1);
  return sha256(input);
}

/** Hashes two subtree hashes into their parent, SHA-256(0x01 || left || right) (RFC 9162 §2.1.1). */
export function hashChildren(left: Uint8Array, right: Uint8Array): Uint8Array {
  if (left.length === HASH_SIZE && right.length === HASH_SIZE) {
    // Hashing is synchronous, so one scratch buffer serves every call and saves an allocation each.
    nodeInput.set(left, 1);
    nodeInput.set(right, 1 + HASH_SIZE);
    return sha256(nodeInput);
  }
  const input = new Uint8Array(1 + left.length + right.length);
  input[0] = NODE_PREFIX;
  input.set(left, 1);
  input.set(right, 1 + left.length);
  return sha256(input);
}

/** Tells whether two byte strings are equal (tree hashes are public, so no constant-time need). */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
