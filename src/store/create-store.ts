import { AsyncLocalStorage } from 'node:async_hooks';
import { sql } from 'kysely';
import type { AuditAppendTx } from '../audit/storage.js';
import { BulwarkError } from '../core/errors.js';
import { auditStorageOf } from './audit-tables.js';
import * as evidence from './evidence-tables.js';
import type { TableContext } from './evidence-tables.js';
import * as data from './data-tables.js';
import * as approvals from './approval-tables.js';
import * as gateway from './gateway-tables.js';
import * as registry from './registry-tables.js';
import * as scans from './scan-tables.js';
import type { StoreBackend } from './store-backend.js';
import { toStoreError } from './store-errors.js';
import type { Store } from './store.js';

/**
 * Builds the Store over a dialect backend: the shared tables, every fault turned into a BulwarkError,
 * and a guard against using the store from inside its own `appendExclusive` callback, which would wait
 * forever on SQLite's single connection.
 */
export function createStore(backend: StoreBackend, now: () => Date): Store {
  const ctx: TableContext = { backend, now: () => now().toISOString() };
  const audit = auditStorageOf(backend);
  const insideAppend = new AsyncLocalStorage<true>();
  let isClosed = false;

  const checkUsable = (action: string): void => {
    if (insideAppend.getStore() === true) {
      throw new BulwarkError(
        'INTERNAL',
        `${action}: use the append transaction, not the store, inside appendExclusive`,
      );
    }
    if (isClosed) throw new BulwarkError('STORE_UNAVAILABLE', `${action}: the store is closed`);
  };

  const guard = async <T>(action: string, run: () => Promise<T>): Promise<T> => {
    checkUsable(action);
    try {
      return await run();
    } catch (error) {
      throw toStoreError(error, action, backend.secrets);
    }
  };

  const guardTx = (tx: AuditAppendTx): AuditAppendTx => {
    const translate = async <T>(action: string, run: () => Promise<T>): Promise<T> => {
      try {
        return await run();
      } catch (error) {
        throw toStoreError(error, action, backend.secrets);
      }
    };
    return {
      size: () => translate('audit size', () => tx.size()),
      readLeafHashes: (from, to) => translate('audit read', () => tx.readLeafHashes(from, to)),
      insertEntries: (entries) => translate('audit insert', () => tx.insertEntries(entries)),
      insertCheckpoint: (checkpoint) => translate('audit checkpoint', () => tx.insertCheckpoint(checkpoint)),
    };
  };

  return {
    dialect: backend.dialect,

    async appendExclusive<T>(fn: (tx: AuditAppendTx) => Promise<T>): Promise<T> {
      checkUsable('audit append');
      let callerFailed = false;
      let callerError: unknown;
      try {
        return await audit.appendExclusive((tx) =>
          insideAppend.run(true, async () => {
            try {
              return await fn(guardTx(tx));
            } catch (error) {
              callerFailed = true;
              callerError = error;
              throw error;
            }
          }),
        );
      } catch (error) {
        // The caller's own fault passes through untouched; only storage faults are translated.
        if (callerFailed && error === callerError) throw error;
        throw toStoreError(error, 'audit append', backend.secrets);
      }
    },
    auditEntryCount: () => guard('audit count', () => audit.auditEntryCount()),
    readAuditEntries: (from, to) => guard('audit read', () => audit.readAuditEntries(from, to)),
    listCheckpoints: () => guard('audit checkpoints', () => audit.listCheckpoints()),
    latestCheckpoint: () => guard('audit checkpoints', () => audit.latestCheckpoint()),

    schemaVersion: () =>
      guard('schema version', async () => {
        const { rows } = await sql<{
          name: string;
        }>`select name from kysely_migration order by name desc`.execute(backend.db);
        return rows[0]?.name;
      }),
    async close(): Promise<void> {
      if (isClosed) return;
      isClosed = true;
      await backend.close().catch((error: unknown) => {
        throw toStoreError(error, 'close', backend.secrets);
      });
    },

    putArtifact: (input) => guard('put artifact', () => evidence.putArtifact(ctx, input)),
    getArtifact: (digest) => guard('get artifact', () => evidence.getArtifact(ctx, digest)),
    listArtifacts: (options) => guard('list artifacts', () => evidence.listArtifacts(ctx, options)),
    putAttestation: (input) => guard('put attestation', () => evidence.putAttestation(ctx, input)),
    getAttestation: (id) => guard('get attestation', () => evidence.getAttestation(ctx, id)),
    listAttestations: (options) => guard('list attestations', () => evidence.listAttestations(ctx, options)),
    putScan: (input) => guard('put scan', () => scans.putScan(ctx, input)),
    getScan: (id) => guard('get scan', () => scans.getScan(ctx, id)),
    listScans: (options) => guard('list scans', () => scans.listScans(ctx, options)),
    putModelVersion: (input) => guard('put model version', () => registry.putModelVersion(ctx, input)),
    getModelVersion: (name, version) =>
      guard('get model version', () => registry.getModelVersion(ctx, name, version)),
    listModelVersions: (options) =>
      guard('list model versions', () => registry.listModelVersions(ctx, options)),
    listModelNames: () => guard('list model names', () => registry.listModelNames(ctx)),
    setModelAlias: (input) => guard('set model alias', () => registry.setModelAlias(ctx, input)),
    getModelAlias: (name, alias) => guard('get model alias', () => registry.getModelAlias(ctx, name, alias)),
    listModelAliases: (options) => guard('list model aliases', () => registry.listModelAliases(ctx, options)),
    putModelSignature: (input) => guard('put model signature', () => registry.putModelSignature(ctx, input)),
    listModelSignatures: (name, version) =>
      guard('list model signatures', () => registry.listModelSignatures(ctx, name, version)),
    putDecision: (input) => guard('put decision', () => evidence.putDecision(ctx, input)),
    listDecisions: (options) => guard('list decisions', () => evidence.listDecisions(ctx, options)),
    putDatasetLabels: (input) => guard('put dataset labels', () => data.putDatasetLabels(ctx, input)),
    listDatasetLabels: (options) => guard('list dataset labels', () => data.listDatasetLabels(ctx, options)),
    putLineageEvent: (input) => guard('put lineage event', () => data.putLineageEvent(ctx, input)),
    listLineageEvents: (options) => guard('list lineage events', () => data.listLineageEvents(ctx, options)),
    putGatewayKey: (input) => guard('put gateway key', () => gateway.putGatewayKey(ctx, input)),
    getGatewayKeyByPrefix: (prefix) =>
      guard('get gateway key', () => gateway.getGatewayKeyByPrefix(ctx, prefix)),
    listGatewayKeys: (options) => guard('list gateway keys', () => gateway.listGatewayKeys(ctx, options)),
    revokeGatewayKey: (ref) => guard('revoke gateway key', () => gateway.revokeGatewayKey(ctx, ref)),
    putApproval: (input) => guard('put approval', () => approvals.putApproval(ctx, input)),
    getApproval: (id) => guard('get approval', () => approvals.getApproval(ctx, id)),
    listApprovals: (options) => guard('list approvals', () => approvals.listApprovals(ctx, options)),
    decideApproval: (id, decision) =>
      guard('decide approval', () => approvals.decideApproval(ctx, id, decision)),
  };
}
