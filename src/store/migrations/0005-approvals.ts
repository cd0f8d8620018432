import type { Kysely, Migration } from 'kysely';

/**
 * Tool-call approvals (issue 7, tools and agents): a sensitive tool call the gateway held back, waiting
 * for a human to approve or deny it. The arguments are kept with their digest so that the signed
 * decision names exactly the call it allows; `status` is a column so that listing pending work is an
 * index scan, and the DSSE envelope of the decision is kept as received.
 */
export function approvalsMigration(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('gateway_approvals')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('request_id', 'text', (c) => c.notNull())
        .addColumn('principal', 'text', (c) => c.notNull())
        .addColumn('model', 'text', (c) => c.notNull())
        .addColumn('tool', 'text', (c) => c.notNull())
        .addColumn('tool_call_id', 'text', (c) => c.notNull())
        .addColumn('arguments', 'text', (c) => c.notNull())
        .addColumn('arguments_digest', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('decided_at', 'text')
        .addColumn('approver', 'text')
        .addColumn('reason', 'text')
        .addColumn('envelope', 'text')
        .execute();
      await db.schema
        .createIndex('gateway_approvals_status')
        .on('gateway_approvals')
        .columns(['status', 'created_at'])
        .execute();
      await db.schema
        .createIndex('gateway_approvals_created')
        .on('gateway_approvals')
        .column('created_at')
        .execute();
    },

    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('gateway_approvals').execute();
    },
  };
}
