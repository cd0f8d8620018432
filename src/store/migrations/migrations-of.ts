import type { Migration } from 'kysely';
import type { StoreDialect } from '../store.js';
import { initialMigration } from './0001-initial.js';
import { registryMigration } from './0002-registry.js';
import { dataMigration } from './0003-data.js';
import { gatewayMigration } from './0004-gateway.js';
import { approvalsMigration } from './0005-approvals.js';

/**
 * The store's migrations by name, for kysely's Migrator. Names sort in the order they apply and are
 * never renamed: kysely records them in `kysely_migration`, which is the store's schema version.
 */
export function migrationsOf(dialect: StoreDialect): Record<string, Migration> {
  return {
    '0001-initial': initialMigration(dialect),
    '0002-registry': registryMigration(),
    '0003-data': dataMigration(),
    '0004-gateway': gatewayMigration(),
    '0005-approvals': approvalsMigration(),
  };
}
