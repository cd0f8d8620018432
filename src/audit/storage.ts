/** One entry of the audit log as stored. `payload` is the canonical JSON the leaf hash is taken over. */
export interface AuditEntryRecord {
  /** 0-based position in the log. */
  readonly seq: number;
  /** What was logged: `attestation`, `decision`, … */
  readonly kind: string;
  /** Canonical JSON text; the RFC 9162 leaf hash is SHA-256(0x00 || UTF-8(payload)). */
  readonly payload: string;
  /** 32-byte leaf hash as recorded at append time. */
  readonly leafHash: Uint8Array;
  /** ISO-8601 UTC time of the append. */
  readonly createdAt: string;
}

/** A signed checkpoint (C2SP signed note) over the first `treeSize` entries. */
export interface CheckpointRecord {
  readonly treeSize: number;
  readonly rootHash: Uint8Array;
  /** The full signed note text, exactly as signed. */
  readonly note: string;
  readonly createdAt: string;
}

/** The view an append has inside its exclusive, durable transaction. */
export interface AuditAppendTx {
  /** Number of entries in the log now (the seq of the next entry). */
  size(): Promise<number>;
  /** Leaf hashes of entries `from` (inclusive) to `to` (exclusive), in order. */
  readLeafHashes(from: number, to: number): Promise<Uint8Array[]>;
  insertEntries(entries: readonly AuditEntryRecord[]): Promise<void>;
  insertCheckpoint(checkpoint: CheckpointRecord): Promise<void>;
}

/**
 * Storage behind the audit log, implemented in `store/` for SQLite and PostgreSQL. Appends are
 * serialized across processes and durable (committed and synced) when `appendExclusive` resolves.
 */
export interface AuditStorage {
  appendExclusive<T>(fn: (tx: AuditAppendTx) => Promise<T>): Promise<T>;
  /** Number of stored entries (the highest seq + 1 when the log is intact). */
  auditEntryCount(): Promise<number>;
  /** Entries ordered by seq with `from <= seq < to` as stored (gaps are visible as missing seqs). */
  readAuditEntries(from: number, to: number): Promise<AuditEntryRecord[]>;
  /** All checkpoints ordered by tree size. */
  listCheckpoints(): Promise<CheckpointRecord[]>;
  latestCheckpoint(): Promise<CheckpointRecord | undefined>;
}
