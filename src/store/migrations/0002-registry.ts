import type { Kysely, Migration } from 'kysely';

/**
 * The model registry (control R5): immutable versions keyed by name and version, aliases that point at
 * one of them, and the signature bundles stored with a version. Both dialects share the same schema;
 * the foreign keys make an alias or signature of a version that was never pushed impossible.
 */
export function registryMigration(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('model_versions')
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('version', 'text', (c) => c.notNull())
        .addColumn('digest', 'text', (c) => c.notNull())
        .addColumn('size', 'bigint', (c) => c.notNull())
        .addColumn('manifest', 'text', (c) => c.notNull())
        .addColumn('metadata', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('model_versions_pk', ['name', 'version'])
        .execute();
      await db.schema.createIndex('model_versions_digest').on('model_versions').column('digest').execute();
      await db.schema
        .createIndex('model_versions_created')
        .on('model_versions')
        .column('created_at')
        .execute();

      await db.schema
        .createTable('model_aliases')
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('alias', 'text', (c) => c.notNull())
        .addColumn('version', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('model_aliases_pk', ['name', 'alias'])
        .addForeignKeyConstraint('model_aliases_version', ['name', 'version'], 'model_versions', [
          'name',
          'version',
        ])
        .execute();

      await db.schema
        .createTable('model_signatures')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('version', 'text', (c) => c.notNull())
        .addColumn('bundle', 'text', (c) => c.notNull())
        .addColumn('bundle_digest', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        // Also the index that lists a version's signatures.
        .addUniqueConstraint('model_signatures_version_bundle', ['name', 'version', 'bundle_digest'])
        .addForeignKeyConstraint('model_signatures_version', ['name', 'version'], 'model_versions', [
          'name',
          'version',
        ])
        .execute();
    },

    async down(db: Kysely<unknown>): Promise<void> {
      for (const table of ['model_signatures', 'model_aliases', 'model_versions']) {
        await db.schema.dropTable(table).execute();
      }
    },
  };
}
