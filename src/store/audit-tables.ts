import type { Kysely } from 'kysely';
import type { AuditAppendTx, AuditEntryRecord, AuditStorage, CheckpointRecord } from '../audit/storage.js';
import { BulwarkError } from '../core/errors.js';
import type { AuditCheckpointRow, AuditEntryRow, StoreSchema } from './schema.js';
import type { StoreBackend } from './store-backend.js';
import {
  requireBytes,
  requireCount,
  requireString,
  requireText,
  requireTimestamp,
} from './validate-input.js';

/** RFC 9162 uses SHA-256: leaf and root hashes are 32 bytes. */
const HASH_BYTES = 32;

/**
 * The audit log's storage over the store's tables. `appendExclusive` runs the caller inside one write
 * transaction that holds the log's cross-process lock, so concurrent appenders see each other's entries
 * and never interleave; it resolves only after a durable commit.
 */
export function auditStorageOf(backend: StoreBackend): AuditStorage {
  const { db } = backend;
  return {
    async appendExclusive<T>(fn: (tx: AuditAppendTx) => Promise<T>): Promise<T> {
      return backend.write('audit', async (trx) => {
        let isOpen = true;
        const guard = (): Kysely<StoreSchema> => {
          if (!isOpen) throw new BulwarkError('INTERNAL', 'the audit append transaction has already ended');
          return trx;
        };
        const tx: AuditAppendTx = {
          size: async () => nextSeq(guard()),
          readLeafHashes: async (from, to) => readLeafHashes(guard(), from, to),
          insertEntries: async (entries) => backend.insertAuditRows(guard(), entries.map(entryRow)),
          insertCheckpoint: async (checkpoint) => {
            await guard().insertInto('audit_checkpoints').values(checkpointRow(checkpoint)).execute();
          },
        };
        try {
          return await fn(tx);
        } finally {
          isOpen = false;
        }
      });
    },

    async auditEntryCount(): Promise<number> {
      const row = await db
        .selectFrom('audit_entries')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    async readAuditEntries(from: number, to: number): Promise<AuditEntryRecord[]> {
      const [start, end] = range(from, to);
      if (end <= start) return [];
      const rows = await db
        .selectFrom('audit_entries')
        .selectAll()
        .where('seq', '>=', start)
        .where('seq', '<', end)
        .orderBy('seq')
        .execute();
      return rows.map(entryRecord);
    },

    async listCheckpoints(): Promise<CheckpointRecord[]> {
      const rows = await db.selectFrom('audit_checkpoints').selectAll().orderBy('tree_size').execute();
      return rows.map(checkpointRecord);
    },

    async latestCheckpoint(): Promise<CheckpointRecord | undefined> {
      const row = await db
        .selectFrom('audit_checkpoints')
        .selectAll()
        .orderBy('tree_size', 'desc')
        .limit(1)
        .executeTakeFirst();
      return row === undefined ? undefined : checkpointRecord(row);
    },
  };
}

/**
 * The seq of the next entry. Taken from the primary key's maximum rather than a count, so it costs one
 * index probe on a log of any length; on an intact log the two are equal.
 */
async function nextSeq(trx: Kysely<StoreSchema>): Promise<number> {
  const row = await trx
    .selectFrom('audit_entries')
    .select((eb) => eb.fn.max('seq').as('last'))
    .executeTakeFirst();
  const last = row?.last;
  return last === null || last === undefined ? 0 : Number(last) + 1;
}

async function readLeafHashes(trx: Kysely<StoreSchema>, from: number, to: number): Promise<Uint8Array[]> {
  const [start, end] = range(from, to);
  if (end <= start) return [];
  const rows = await trx
    .selectFrom('audit_entries')
    .select('leaf_hash')
    .where('seq', '>=', start)
    .where('seq', '<', end)
    .orderBy('seq')
    .execute();
  return rows.map((row) => new Uint8Array(row.leaf_hash));
}

function range(from: number, to: number): [number, number] {
  return [requireCount(from, 'from'), requireCount(to, 'to')];
}

function entryRow(entry: AuditEntryRecord): AuditEntryRow {
  return {
    seq: requireCount(entry.seq, 'audit entry seq'),
    kind: requireText(entry.kind, 'audit entry kind'),
    payload: requireString(entry.payload, 'audit entry payload'),
    leaf_hash: requireBytes(entry.leafHash, HASH_BYTES, 'audit entry leafHash'),
    created_at: requireTimestamp(entry.createdAt, 'audit entry createdAt'),
  };
}

function entryRecord(row: AuditEntryRow): AuditEntryRecord {
  return {
    seq: Number(row.seq),
    kind: row.kind,
    payload: row.payload,
    leafHash: new Uint8Array(row.leaf_hash),
    createdAt: row.created_at,
  };
}

function checkpointRow(checkpoint: CheckpointRecord): AuditCheckpointRow {
  return {
    tree_size: requireCount(checkpoint.treeSize, 'checkpoint treeSize'),
    root_hash: requireBytes(checkpoint.rootHash, HASH_BYTES, 'checkpoint rootHash'),
    note: requireText(checkpoint.note, 'checkpoint note'),
    created_at: requireTimestamp(checkpoint.createdAt, 'checkpoint createdAt'),
  };
}

function checkpointRecord(row: AuditCheckpointRow): CheckpointRecord {
  return {
    treeSize: Number(row.tree_size),
    rootHash: new Uint8Array(row.root_hash),
    note: row.note,
    createdAt: row.created_at,
  };
}
