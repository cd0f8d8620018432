import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { keepAliveHandle } from '../src/store/sqlite-keepalive.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatCheckpoint, noteSignerOf, noteVerifierOf, signNote } from '../src/audit/checkpoint.js';
import { AuditLog } from '../src/audit/log.js';
import { verifyInclusion, verifyConsistency, hashLeaf } from '../src/audit/merkle.js';
import { proveConsistency, proveInclusion } from '../src/audit/proofs.js';
import { verifyAuditLog, type AuditVerdict } from '../src/audit/verify-log.js';
import { generateKeyPair, loadSigner, loadTrustedKey } from '../src/core/keys.js';
import type { Signer } from '../src/core/signer.js';
import { openStore } from '../src/store/open-store.js';
import type { Store } from '../src/store/store.js';

const ORIGIN = 'bulwark.test/audit';

function newSigner(): { signer: Signer; publicKeyPem: string } {
  const pair = generateKeyPair('ed25519');
  return { signer: loadSigner(pair.privateKeyPem), publicKeyPem: pair.publicKeyPem };
}

describe('audit log on SQLite', () => {
  let home: string;
  let store: Store;
  let signer: Signer;
  let publicKeyPem: string;

  beforeEach(async () => {
    home = mkdtempSync(join(tmpdir(), 'bw-audit-'));
    store = await openStore({ home });
    ({ signer, publicKeyPem } = newSigner());
    const log = new AuditLog({ storage: store, origin: ORIGIN, signer });
    for (let i = 0; i < 6; i++) await log.append({ kind: 'decision', data: { i, verdict: 'allow' } });
    await log.appendBatch([0, 1, 2, 3].map((j) => ({ kind: 'attestation' as const, data: { j } })));
  });

  afterEach(async () => {
    await store.close();
    rmSync(home, { recursive: true, force: true });
  });

  const trusted = () => [noteVerifierOf(ORIGIN, loadTrustedKey(publicKeyPem))];
  const verify = (external: string[] = []) =>
    verifyAuditLog({ storage: store, trusted: trusted(), origin: ORIGIN, external });

  /** Tampers with the database file directly, as an attacker with write access would. */
  function tamper(sql: (db: Database.Database) => void): void {
    const db = keepAliveHandle(new Database(join(home, 'bulwark.db')));
    try {
      sql(db);
    } finally {
      db.close();
    }
  }

  function problemOf(verdict: AuditVerdict) {
    expect(verdict.ok).toBe(false);
    return verdict.ok ? undefined : verdict.problem;
  }

  it('verifies an untouched log', async () => {
    const verdict = await verify();
    expect(verdict).toMatchObject({ ok: true, size: 10, checkpoints: 7 });
  });

  it('names a modified entry whose leaf hash was left alone', async () => {
    tamper((db) =>
      db
        .prepare('update audit_entries set payload = replace(payload, \'"allow"\', \'"deny"\') where seq = 3')
        .run(),
    );
    expect(problemOf(await verify())).toMatchObject({ kind: 'entry-modified', seq: 3 });
  });

  it('names a modified entry whose leaf hash was recomputed too', async () => {
    tamper((db) => {
      const row = db.prepare('select payload from audit_entries where seq = 4').get() as { payload: string };
      const payload = row.payload.replace('"allow"', '"deny"');
      db.prepare('update audit_entries set payload = ?, leaf_hash = ? where seq = 4').run(
        payload,
        Buffer.from(hashLeaf(new TextEncoder().encode(payload))),
      );
    });
    const problem = problemOf(await verify());
    expect(problem).toMatchObject({ kind: 'root-mismatch', seq: 4, treeSize: 5 });
    expect(problem?.message).toContain('entry 4');
  });

  it('names a deleted entry', async () => {
    tamper((db) => db.prepare('delete from audit_entries where seq = 2').run());
    expect(problemOf(await verify())).toMatchObject({ kind: 'entry-missing', seq: 2 });
  });

  it('names swapped entries', async () => {
    tamper((db) => {
      const a = db.prepare('select payload, leaf_hash from audit_entries where seq = 1').get() as Record<
        string,
        unknown
      >;
      const b = db.prepare('select payload, leaf_hash from audit_entries where seq = 5').get() as Record<
        string,
        unknown
      >;
      const set = db.prepare('update audit_entries set payload = ?, leaf_hash = ? where seq = ?');
      set.run(b['payload'], b['leaf_hash'], 1);
      set.run(a['payload'], a['leaf_hash'], 5);
    });
    const problem = problemOf(await verify());
    expect(problem).toMatchObject({ kind: 'entry-out-of-place', seq: 1 });
    expect(problem?.message).toContain('entry 5');
  });

  it('names the first missing entry of a truncated log', async () => {
    tamper((db) => db.prepare('delete from audit_entries where seq >= 7').run());
    expect(problemOf(await verify())).toMatchObject({ kind: 'truncated', seq: 7, treeSize: 10 });
  });

  it('detects a rollback of entries and checkpoints against a checkpoint kept elsewhere', async () => {
    const witness = (await store.latestCheckpoint())!.note;
    tamper((db) => {
      db.prepare('delete from audit_entries where seq >= 6').run();
      db.prepare('delete from audit_checkpoints where tree_size > 6').run();
    });
    expect((await verify()).ok).toBe(true);
    expect(problemOf(await verify([witness]))).toMatchObject({ kind: 'truncated', seq: 6, treeSize: 10 });
  });

  it('names a checkpoint whose signature does not verify', async () => {
    tamper((db) => {
      const row = db.prepare('select note from audit_checkpoints where tree_size = 3').get() as {
        note: string;
      };
      const lines = row.note.split('\n');
      const sigLine = lines.findIndex((l) => l.startsWith('\u2014 '));
      const parts = lines[sigLine]!.split(' ');
      const sig = Buffer.from(parts[2]!, 'base64');
      sig[sig.length - 1]! ^= 0x01;
      parts[2] = sig.toString('base64');
      lines[sigLine] = parts.join(' ');
      db.prepare('update audit_checkpoints set note = ? where tree_size = 3').run(lines.join('\n'));
    });
    expect(problemOf(await verify())).toMatchObject({ kind: 'checkpoint-bad-signature', treeSize: 3 });
  });

  it('names a checkpoint signed by an unknown key', async () => {
    const other = newSigner().signer;
    tamper((db) => {
      const row = db.prepare('select root_hash from audit_checkpoints where tree_size = 6').get() as {
        root_hash: Buffer;
      };
      const body = formatCheckpoint({ origin: ORIGIN, treeSize: 6, rootHash: row.root_hash });
      db.prepare('update audit_checkpoints set note = ? where tree_size = 6').run(
        signNote(body, noteSignerOf(ORIGIN, other)),
      );
    });
    expect(problemOf(await verify())).toMatchObject({ kind: 'checkpoint-unknown-key', treeSize: 6 });
  });

  it('refuses to trust a log when no key is trusted', async () => {
    const verdict = await verifyAuditLog({ storage: store, trusted: [], origin: ORIGIN });
    expect(problemOf(verdict)?.kind).toBe('checkpoint-unknown-key');
  });

  it('reports entries not covered by any checkpoint', async () => {
    tamper((db) => db.prepare('delete from audit_checkpoints where tree_size = 10').run());
    expect(problemOf(await verify())).toMatchObject({ kind: 'unsigned-tail', seq: 6 });
  });

  it('gives inclusion and consistency proofs that verify against the signed roots', async () => {
    const latest = (await store.latestCheckpoint())!;
    for (let seq = 0; seq < 10; seq++) {
      const doc = await proveInclusion(store, seq);
      const verdict = verifyInclusion({
        leafIndex: doc.leafIndex,
        treeSize: doc.treeSize,
        leafHash: Buffer.from(doc.leafHash, 'base64'),
        proof: doc.proof.map((p) => Buffer.from(p, 'base64')),
        root: latest.rootHash,
      });
      expect(verdict).toEqual({ ok: true });
    }
    const checkpoints = await store.listCheckpoints();
    for (const old of checkpoints.slice(0, -1)) {
      const doc = await proveConsistency(store, old.treeSize);
      expect(
        verifyConsistency({
          size1: doc.size1,
          size2: doc.size2,
          proof: doc.proof.map((p) => Buffer.from(p, 'base64')),
          root1: old.rootHash,
          root2: latest.rootHash,
        }),
      ).toEqual({ ok: true });
    }
  });

  it('continues the tree correctly when another writer appended in between', async () => {
    const second = new AuditLog({ storage: store, origin: ORIGIN, signer });
    const first = new AuditLog({ storage: store, origin: ORIGIN, signer });
    await first.append({ kind: 'event', data: { from: 'first' } });
    await second.append({ kind: 'event', data: { from: 'second' } });
    await first.append({ kind: 'event', data: { from: 'first again' } });
    expect(await verify()).toMatchObject({ ok: true, size: 13 });
  });
});
