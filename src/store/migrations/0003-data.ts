import type { Kysely, Migration } from 'kysely';

/**
 * Data governance (controls D2 and D8): the sensitivity labels of dataset versions, newest last, and the
 * OpenLineage run events recorded or ingested, with the datasets each one reads and writes. Labels are
 * a history, not a column of `artifacts`, because a dataset is re-labelled when the recognizers or the
 * policy change (D9) and the change itself is evidence.
 */
export function dataMigration(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('dataset_labels')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('digest', 'text', (c) => c.notNull())
        .addColumn('label', 'text', (c) => c.notNull())
        .addColumn('columns', 'text', (c) => c.notNull())
        .addColumn('entities', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('source_id', 'text')
        // Write order: labels written within one clock tick still have a newest.
        .addColumn('seq', 'bigint', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('dataset_labels_digest')
        .on('dataset_labels')
        .columns(['digest', 'seq'])
        .execute();

      await db.schema
        .createTable('lineage_events')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('event_digest', 'text', (c) => c.notNull().unique())
        .addColumn('run_id', 'text', (c) => c.notNull())
        .addColumn('event_type', 'text', (c) => c.notNull())
        .addColumn('event_time', 'text', (c) => c.notNull())
        .addColumn('job_namespace', 'text', (c) => c.notNull())
        .addColumn('job_name', 'text', (c) => c.notNull())
        .addColumn('producer', 'text', (c) => c.notNull())
        .addColumn('event', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('lineage_events_run').on('lineage_events').column('run_id').execute();
      await db.schema.createIndex('lineage_events_time').on('lineage_events').column('event_time').execute();

      await db.schema
        .createTable('lineage_datasets')
        .addColumn('event_id', 'text', (c) => c.notNull())
        .addColumn('direction', 'text', (c) => c.notNull())
        .addColumn('namespace', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('digest', 'text')
        .addPrimaryKeyConstraint('lineage_datasets_pk', ['event_id', 'direction', 'namespace', 'name'])
        .addForeignKeyConstraint('lineage_datasets_event', ['event_id'], 'lineage_events', ['id'])
        .execute();
      await db.schema
        .createIndex('lineage_datasets_name')
        .on('lineage_datasets')
        .columns(['namespace', 'name'])
        .execute();
      await db.schema
        .createIndex('lineage_datasets_digest')
        .on('lineage_datasets')
        .column('digest')
        .execute();
    },

    async down(db: Kysely<unknown>): Promise<void> {
      for (const table of ['lineage_datasets', 'lineage_events', 'dataset_labels']) {
        await db.schema.dropTable(table).execute();
      }
    },
  };
}
