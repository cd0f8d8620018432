import { sql } from 'kysely';
import type { Kysely, Migration } from 'kysely';
import type { StoreDialect } from '../store.js';

/**
 * The first schema: artifacts, attestations, scans and findings, decisions, and the audit log. Written
 * once with kysely's schema builder for both dialects; only the byte type differs.
 */
export function initialMigration(dialect: StoreDialect): Migration {
  const bytes = dialect === 'postgres' ? 'bytea' : 'blob';
  // In SQLite only a column declared exactly INTEGER PRIMARY KEY aliases the rowid (no second index),
  // and its integers are 64-bit anyway; PostgreSQL needs int8 to go past 2^31.
  const key = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('artifacts')
        .addColumn('digest', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('name', 'text')
        .addColumn('size', 'bigint', (c) => c.notNull())
        .addColumn('media_type', 'text')
        .addColumn('metadata', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('artifacts_kind_created')
        .on('artifacts')
        .columns(['kind', 'created_at'])
        .execute();
      await db.schema.createIndex('artifacts_created').on('artifacts').column('created_at').execute();

      await db.schema
        .createTable('attestations')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('subject_digest', 'text', (c) => c.notNull())
        .addColumn('predicate_type', 'text', (c) => c.notNull())
        .addColumn('envelope', 'text', (c) => c.notNull())
        .addColumn('key_ids', 'text', (c) => c.notNull())
        .addColumn('payload_digest', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('attestations_payload_subject', ['payload_digest', 'subject_digest'])
        .execute();
      await db.schema
        .createIndex('attestations_subject')
        .on('attestations')
        .column('subject_digest')
        .execute();
      await db.schema.createIndex('attestations_created').on('attestations').column('created_at').execute();

      await db.schema
        .createTable('scans')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('started_at', 'text', (c) => c.notNull())
        .addColumn('finished_at', 'text', (c) => c.notNull())
        .addColumn('targets', 'text', (c) => c.notNull())
        .addColumn('summary', 'text', (c) => c.notNull())
        .addColumn('finding_count', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('scans_started').on('scans').column('started_at').execute();

      await db.schema
        .createTable('findings')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('scan_id', 'text', (c) => c.notNull().references('scans.id').onDelete('cascade'))
        .addColumn('ordinal', 'integer', (c) => c.notNull())
        .addColumn('rule_id', 'text', (c) => c.notNull())
        .addColumn('severity', 'text', (c) => c.notNull())
        .addColumn('message', 'text', (c) => c.notNull())
        .addColumn('location', 'text', (c) => c.notNull())
        .addColumn('evidence', 'text')
        .addColumn('fingerprint', 'text', (c) => c.notNull())
        .addColumn('controls', 'text', (c) => c.notNull())
        .addUniqueConstraint('findings_scan_ordinal', ['scan_id', 'ordinal'])
        .execute();
      await db.schema.createIndex('findings_fingerprint').on('findings').column('fingerprint').execute();

      await db.schema
        .createTable('decisions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('subject_digest', 'text')
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('verdict', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('policy', 'text')
        .addColumn('details', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addCheckConstraint('decisions_verdict', sql`verdict in ('allow', 'deny')`)
        .execute();
      await db.schema.createIndex('decisions_subject').on('decisions').column('subject_digest').execute();
      await db.schema.createIndex('decisions_created').on('decisions').column('created_at').execute();

      await db.schema
        .createTable('audit_entries')
        .addColumn('seq', key, (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('leaf_hash', bytes, (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('audit_checkpoints')
        .addColumn('tree_size', key, (c) => c.primaryKey())
        .addColumn('root_hash', bytes, (c) => c.notNull())
        .addColumn('note', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
    },

    async down(db: Kysely<unknown>): Promise<void> {
      for (const table of [
        'audit_checkpoints',
        'audit_entries',
        'decisions',
        'findings',
        'scans',
        'attestations',
        'artifacts',
      ]) {
        await db.schema.dropTable(table).execute();
      }
    },
  };
}
