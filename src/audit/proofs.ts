import { BulwarkError } from '../core/errors.js';
import { consistencyProof, inclusionProof } from './merkle.js';
import type { AuditStorage, CheckpointRecord } from './storage.js';

/** An RFC 9162 inclusion proof of one entry against a signed checkpoint, as `audit proof` prints it. */
export interface InclusionProofDocument {
  readonly type: 'inclusion';
  readonly leafIndex: number;
  readonly treeSize: number;
  /** Base64 of the 32-byte leaf hash. */
  readonly leafHash: string;
  /** Base64 hashes, in RFC 9162 §2.1.3.1 order. */
  readonly proof: readonly string[];
  /** The signed checkpoint the proof leads to. */
  readonly checkpoint: string;
}

/** An RFC 9162 consistency proof between two signed checkpoints. */
export interface ConsistencyProofDocument {
  readonly type: 'consistency';
  readonly size1: number;
  readonly size2: number;
  readonly proof: readonly string[];
  readonly checkpoint1: string;
  readonly checkpoint2: string;
}

/** Proves that entry `seq` is in the log at the checkpoint of `treeSize` (default: the latest). */
export async function proveInclusion(
  storage: AuditStorage,
  seq: number,
  treeSize?: number,
): Promise<InclusionProofDocument> {
  const checkpoint = await checkpointAt(storage, treeSize);
  if (!Number.isSafeInteger(seq) || seq < 0 || seq >= checkpoint.treeSize) {
    throw new BulwarkError('USAGE', `entry ${seq} is not in a tree of size ${checkpoint.treeSize}`);
  }
  const leaves = await readLeafHashes(storage, checkpoint.treeSize);
  const leaf = leaves[seq];
  if (!leaf) throw new BulwarkError('NOT_FOUND', `entry ${seq} is missing from the audit log`);
  return {
    type: 'inclusion',
    leafIndex: seq,
    treeSize: checkpoint.treeSize,
    leafHash: b64(leaf),
    proof: inclusionProof(leaves, seq, checkpoint.treeSize).map(b64),
    checkpoint: checkpoint.note,
  };
}

/** Proves that the tree at `size1` is a prefix of the tree at `size2` (default: the latest). */
export async function proveConsistency(
  storage: AuditStorage,
  size1: number,
  size2?: number,
): Promise<ConsistencyProofDocument> {
  const second = await checkpointAt(storage, size2);
  const first = await checkpointAt(storage, size1);
  if (first.treeSize > second.treeSize) {
    throw new BulwarkError('USAGE', `size ${first.treeSize} is larger than size ${second.treeSize}`);
  }
  const leaves = await readLeafHashes(storage, second.treeSize);
  return {
    type: 'consistency',
    size1: first.treeSize,
    size2: second.treeSize,
    proof: consistencyProof(leaves, first.treeSize, second.treeSize).map(b64),
    checkpoint1: first.note,
    checkpoint2: second.note,
  };
}

async function checkpointAt(storage: AuditStorage, treeSize: number | undefined): Promise<CheckpointRecord> {
  if (treeSize === undefined) {
    const latest = await storage.latestCheckpoint();
    if (!latest)
      throw new BulwarkError('NOT_FOUND', 'the audit log is empty: no checkpoint to prove against');
    return latest;
  }
  const found = (await storage.listCheckpoints()).find((c) => c.treeSize === treeSize);
  if (!found) throw new BulwarkError('NOT_FOUND', `no signed checkpoint at tree size ${treeSize}`);
  return found;
}

async function readLeafHashes(storage: AuditStorage, size: number): Promise<Uint8Array[]> {
  const leaves: Uint8Array[] = [];
  const CHUNK = 50_000;
  for (let from = 0; from < size; from += CHUNK) {
    for (const entry of await storage.readAuditEntries(from, Math.min(size, from + CHUNK))) {
      leaves.push(entry.leafHash);
    }
  }
  if (leaves.length !== size) {
    throw new BulwarkError('INPUT_INVALID', 'the audit log has missing entries: run `bulwark audit verify`');
  }
  return leaves;
}

function b64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64');
}
