/**
 * `npm run bench -- audit [--entries N] [--batch B] [--single N]`: audit log append throughput on
 * SQLite, next to the raw SQLite insert rate measured in the same run with the same durability
 * settings (WAL, synchronous=FULL) and the same row shape (seq, kind, payload, 32-byte hash).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { keepAliveHandle } from '../src/store/sqlite-keepalive.js';
import { AuditLog } from '../src/audit/log.js';
import { generateKeyPair, loadSigner } from '../src/core/keys.js';
import { openStore } from '../src/store/open-store.js';

interface Row {
  readonly what: string;
  readonly entries: number;
  readonly seconds: number;
}

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      entries: { type: 'string', default: '200000' },
      batch: { type: 'string', default: '1000' },
      single: { type: 'string', default: '2000' },
    },
  });
  const entries = Number(values.entries);
  const batch = Number(values.batch);
  const single = Number(values.single);
  const dir = mkdtempSync(join(tmpdir(), 'bw-bench-audit-'));
  const rows: Row[] = [];
  try {
    rows.push(rawSqlite(join(dir, 'raw-single.db'), single, 1, 'raw SQLite insert, one commit per row'));
    rows.push(
      rawSqlite(join(dir, 'raw-batch.db'), entries, batch, `raw SQLite insert, ${batch} rows per commit`),
    );
    rows.push(await bulwark(join(dir, 'single'), single, 1, 'bulwark audit append, single'));
    rows.push(await bulwark(join(dir, 'batch'), entries, batch, `bulwark audit append, batches of ${batch}`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  process.stdout.write(`audit append throughput (SQLite, WAL, synchronous=FULL; node ${process.version})\n`);
  for (const r of rows) {
    const rate = Math.round(r.entries / r.seconds);
    process.stdout.write(
      `${r.what.padEnd(46)} ${String(r.entries).padStart(8)} entries  ${String(rate).padStart(9)} /s\n`,
    );
  }
  const [rawSingle, rawBatch, single1, batched] = rows;
  if (rawSingle && rawBatch && single1 && batched) {
    const ratio = (a: Row, b: Row) => ((a.entries / a.seconds / (b.entries / b.seconds)) * 100).toFixed(0);
    process.stdout.write(`single appends at ${ratio(single1, rawSingle)}% of the raw single-commit rate\n`);
    process.stdout.write(`batched appends at ${ratio(batched, rawBatch)}% of the raw batched rate\n`);
  }
}

function rawSqlite(file: string, count: number, batch: number, what: string): Row {
  const db = keepAliveHandle(new Database(file));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(
    'create table t (seq integer primary key, kind text not null, payload text not null, leaf_hash blob not null, created_at text not null)',
  );
  const insert = db.prepare('insert into t values (?, ?, ?, ?, ?)');
  const commit = db.transaction((from: number, to: number) => {
    for (let seq = from; seq < to; seq++) {
      const payload = `{"data":{"i":${seq},"verdict":"allow"},"kind":"event","seq":${seq},"time":"2026-11-21T00:00:00.000Z","v":1}`;
      const hash = createHash('sha256').update(payload).digest();
      insert.run(seq, 'event', payload, hash, '2026-11-21T00:00:00.000Z');
    }
  });
  const start = process.hrtime.bigint();
  for (let from = 0; from < count; from += batch) commit(from, Math.min(count, from + batch));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  db.close();
  return { what, entries: count, seconds };
}

async function bulwark(home: string, count: number, batch: number, what: string): Promise<Row> {
  const store = await openStore({ home });
  const log = new AuditLog({
    storage: store,
    origin: 'bench/audit',
    signer: loadSigner(generateKeyPair('ed25519').privateKeyPem),
  });
  const start = process.hrtime.bigint();
  for (let from = 0; from < count; from += batch) {
    const size = Math.min(batch, count - from);
    if (size === 1) await log.append({ kind: 'event', data: { i: from, verdict: 'allow' } });
    else
      await log.appendBatch(
        Array.from({ length: size }, (_, k) => ({
          kind: 'event' as const,
          data: { i: from + k, verdict: 'allow' },
        })),
      );
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  await store.close();
  return { what, entries: count, seconds };
}
