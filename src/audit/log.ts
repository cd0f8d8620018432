import { canonicalJson } from '../core/canonical-json.js';
import { BulwarkError } from '../core/errors.js';
import type { JsonValue } from '../core/findings.js';
import type { Signer } from '../core/signer.js';
import { formatCheckpoint, noteSignerOf, signNote, type NoteSigner } from './checkpoint.js';
import { CompactRange, hashLeaf } from './merkle.js';
import type { AuditAppendTx, AuditEntryRecord, AuditStorage, CheckpointRecord } from './storage.js';

/** Kinds of audit entries; every attestation and every decision is logged (control M6). */
export const AUDIT_ENTRY_KINDS = ['attestation', 'decision', 'key', 'event'] as const;

export type AuditEntryKind = (typeof AUDIT_ENTRY_KINDS)[number];

/** What a caller logs: a kind and a JSON object. */
export interface AuditEntryInput {
  readonly kind: AuditEntryKind;
  readonly data: { readonly [key: string]: JsonValue };
}

/**
 * The canonical payload of an entry. It names its own position (`seq`) so that swapped or renumbered
 * entries are told apart from their neighbours even when their leaf hashes were recomputed.
 */
export interface AuditPayload {
  readonly v: 1;
  readonly seq: number;
  readonly kind: AuditEntryKind;
  readonly time: string;
  readonly data: { readonly [key: string]: JsonValue };
}

/** Returned once an append is durable: where each entry sits and the checkpoint that covers it. */
export interface AppendReceipt {
  readonly seqs: readonly number[];
  readonly treeSize: number;
  readonly rootHash: Uint8Array;
  readonly checkpoint: string;
}

/** Options of an audit log writer. */
export interface AuditLogOptions {
  readonly storage: AuditStorage;
  /** Checkpoint origin line, e.g. `bulwark.local/audit`; also the signing key's note name. */
  readonly origin: string;
  readonly signer: Signer;
  /** Clock for entry times; defaults to the system clock. */
  readonly now?: () => Date;
}

/** Most entries one append call takes; larger batches are split by the caller. */
export const MAX_BATCH = 100_000;

/**
 * Writer of the RFC 9162 audit log. Each append call writes its entries and a signed C2SP checkpoint
 * over the new tree in one exclusive, durable transaction, so an acknowledged append is always covered
 * by a signature and a crash leaves either all of it or none.
 */
export class AuditLog {
  readonly #storage: AuditStorage;
  readonly #origin: string;
  readonly #noteSigner: NoteSigner;
  readonly #now: () => Date;
  #range = new CompactRange();

  constructor(options: AuditLogOptions) {
    this.#storage = options.storage;
    this.#origin = options.origin;
    this.#noteSigner = noteSignerOf(options.origin, options.signer);
    this.#now = options.now ?? (() => new Date());
  }

  /** Appends one entry; resolves when it is durable. */
  async append(entry: AuditEntryInput): Promise<AppendReceipt> {
    return this.appendBatch([entry]);
  }

  /** Appends entries in order under one checkpoint; resolves when all are durable. */
  async appendBatch(entries: readonly AuditEntryInput[]): Promise<AppendReceipt> {
    if (entries.length === 0) throw new BulwarkError('USAGE', 'nothing to append to the audit log');
    if (entries.length > MAX_BATCH) {
      throw new BulwarkError('LIMIT_EXCEEDED', `an audit append takes at most ${MAX_BATCH} entries`);
    }
    return this.#storage.appendExclusive(async (tx) => {
      const range = await this.#catchUp(tx);
      const time = this.#now().toISOString();
      const records: AuditEntryRecord[] = [];
      for (const entry of entries) {
        const seq = range.size;
        const payload = canonicalJson({
          v: 1,
          seq,
          kind: entry.kind,
          time,
          data: entry.data,
        } satisfies AuditPayload);
        const leafHash = hashLeaf(new TextEncoder().encode(payload));
        range.append(leafHash);
        records.push({ seq, kind: entry.kind, payload, leafHash, createdAt: time });
      }
      const rootHash = range.root();
      const body = formatCheckpoint({ origin: this.#origin, treeSize: range.size, rootHash });
      const checkpoint: CheckpointRecord = {
        treeSize: range.size,
        rootHash,
        note: signNote(body, this.#noteSigner),
        createdAt: time,
      };
      await tx.insertEntries(records);
      await tx.insertCheckpoint(checkpoint);
      // Adopted only here: a failed transaction must not leave the cached range ahead of storage.
      this.#range = range;
      return { seqs: records.map((r) => r.seq), treeSize: range.size, rootHash, checkpoint: checkpoint.note };
    });
  }

  /**
   * Returns a copy of the compact range brought up to the stored size. Another process may have
   * appended since this one last did, so the missing leaf hashes are read inside the transaction.
   */
  async #catchUp(tx: AuditAppendTx): Promise<CompactRange> {
    const size = await tx.size();
    let range = this.#range.size <= size ? this.#range.clone() : new CompactRange();
    if (range.size < size) {
      const CHUNK = 65_536;
      for (let from = range.size; from < size; from += CHUNK) {
        const to = Math.min(size, from + CHUNK);
        const hashes = await tx.readLeafHashes(from, to);
        if (hashes.length !== to - from) {
          throw new BulwarkError(
            'STORE_CONFLICT',
            `audit log has gaps between entries ${from} and ${to - 1}`,
          );
        }
        for (const hash of hashes) range.append(hash);
      }
    }
    if (range.size !== size) range = new CompactRange();
    return range;
  }
}
