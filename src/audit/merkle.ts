/**
 * RFC 9162 Merkle trees over SHA-256: leaf and node hashing, tree roots, the compact range a log keeps
 * while appending, and generation and verification of inclusion and consistency proofs. Everything
 * works on 32-byte `Uint8Array` hashes and is pure.
 */
export { EMPTY_ROOT, HASH_SIZE, equalBytes, hashChildren, hashLeaf } from './merkle-hash.js';
export { CompactRange } from './merkle-compact-range.js';
export { consistencyProof, inclusionProof, rootOf } from './merkle-proof.js';
export { verifyConsistency, verifyInclusion } from './merkle-verify.js';
export type { ConsistencyClaim, InclusionClaim, MerkleVerdict } from './merkle-verify.js';
