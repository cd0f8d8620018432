import type { Kysely, Migration } from 'kysely';

/**
 * Gateway identities (control G2): the API keys `bulwark gateway key create` issues. Only a SHA-256 of
 * each key is kept, never the key; `prefix` is the public part users see and the gateway looks keys up
 * by. Lists and limits are columns so that a revoked or expired key is refused without parsing JSON.
 */
export function gatewayMigration(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('gateway_keys')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('prefix', 'text', (c) => c.notNull().unique())
        // SHA-256 of the whole key, hex. A fast hash is right here, unlike for passwords: the secret is
        // 256 random bits, so no amount of guessing per second makes a brute force feasible, while a
        // slow KDF would add its cost to every request the gateway authenticates.
        .addColumn('hash', 'text', (c) => c.notNull().unique())
        .addColumn('models', 'text', (c) => c.notNull())
        .addColumn('tools', 'text', (c) => c.notNull())
        .addColumn('rpm', 'bigint')
        .addColumn('tpm', 'bigint')
        .addColumn('max_tokens', 'bigint')
        .addColumn('budget', 'double precision')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text')
        .addColumn('revoked_at', 'text')
        .addColumn('created_by', 'text')
        .execute();
      await db.schema.createIndex('gateway_keys_created').on('gateway_keys').column('created_at').execute();
    },

    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('gateway_keys').execute();
    },
  };
}
