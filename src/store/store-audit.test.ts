import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, expect, it } from 'vitest';
import { describeEachStore } from '../../test/support/postgres.js';
import type { StoreTestLocation } from '../../test/support/postgres.js';
import type { AuditAppendTx, AuditEntryRecord, CheckpointRecord } from '../audit/storage.js';
import { openStore } from './open-store.js';
import type { Store } from './store.js';

function leafHash(payload: string): Uint8Array {
  return new Uint8Array(
    createHash('sha256')
      .update(Buffer.from([0]))
      .update(payload, 'utf8')
      .digest(),
  );
}

function entry(seq: number, kind = 'decision', payload = `{"n":${seq},"s":"é\\u0000✓"}`): AuditEntryRecord {
  return {
    seq,
    kind,
    payload,
    leafHash: leafHash(payload),
    createdAt: `2025-03-01T00:00:${String(seq % 60).padStart(2, '0')}.000Z`,
  };
}

function checkpoint(treeSize: number): CheckpointRecord {
  const rootHash = new Uint8Array(32).map((_, i) => (i * 7 + treeSize) % 256);
  return {
    treeSize,
    rootHash,
    note: `bulwark.dev/log\n${treeSize}\nroot\n\n— key sig\n`,
    createdAt: '2025-03-01T00:00:00.000Z',
  };
}

/** Appends `count` entries at the end of the log, leaving time for another appender to interleave. */
async function appendBatch(tx: AuditAppendTx, count: number, kind: string): Promise<number> {
  const start = await tx.size();
  await sleep(2);
  await tx.insertEntries(Array.from({ length: count }, (_, i) => entry(start + i, kind)));
  return start;
}

describeEachStore('audit storage', (flavor) => {
  const opened: Store[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
  });
  async function open(location?: StoreTestLocation): Promise<Store> {
    const store = await openStore(location ?? (await flavor.freshLocation()));
    opened.push(store);
    return store;
  }

  it('appends entries and reads them back byte for byte', async () => {
    const store = await open();
    expect(await store.auditEntryCount()).toBe(0);
    expect(await store.readAuditEntries(0, 10)).toEqual([]);
    const entries = [entry(0, 'attestation'), entry(1), entry(2, 'decision', '')];
    const size = await store.appendExclusive(async (tx) => {
      expect(await tx.size()).toBe(0);
      await tx.insertEntries(entries);
      expect(await tx.size()).toBe(3);
      expect(await tx.readLeafHashes(1, 3)).toEqual([entries[1]?.leafHash, entries[2]?.leafHash]);
      return tx.size();
    });
    expect(size).toBe(3);
    expect(await store.auditEntryCount()).toBe(3);
    const stored = await store.readAuditEntries(0, 3);
    expect(stored).toEqual(entries);
    expect(stored[0]?.leafHash).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(stored[1]?.leafHash ?? []).equals(Buffer.from(entries[1]?.leafHash ?? []))).toBe(true);
    expect((await store.readAuditEntries(1, 2)).map((e) => e.seq)).toEqual([1]);
    expect(await store.readAuditEntries(2, 1)).toEqual([]);

    await store.appendExclusive(async (tx) => {
      expect(await tx.size()).toBe(3);
      expect(await tx.readLeafHashes(0, 100)).toHaveLength(3);
      await tx.insertEntries([entry(3)]);
    });
    expect(await store.auditEntryCount()).toBe(4);
  });

  it('keeps checkpoints ordered by tree size', async () => {
    const store = await open();
    expect(await store.latestCheckpoint()).toBeUndefined();
    await store.appendExclusive(async (tx) => {
      await tx.insertCheckpoint(checkpoint(5));
      await tx.insertCheckpoint(checkpoint(2));
    });
    await store.appendExclusive((tx) => tx.insertCheckpoint(checkpoint(9)));
    const all = await store.listCheckpoints();
    expect(all.map((c) => c.treeSize)).toEqual([2, 5, 9]);
    expect(all[1]).toEqual(checkpoint(5));
    expect(await store.latestCheckpoint()).toEqual(checkpoint(9));
    await expect(store.appendExclusive((tx) => tx.insertCheckpoint(checkpoint(5)))).rejects.toMatchObject({
      code: 'STORE_CONFLICT',
    });
  });

  it('rolls back the whole append when it fails', async () => {
    const store = await open();
    await store.appendExclusive((tx) => tx.insertEntries([entry(0)]));
    await expect(
      store.appendExclusive(async (tx) => {
        await tx.insertEntries([entry(1), entry(2)]);
        await tx.insertCheckpoint(checkpoint(3));
        await tx.insertEntries([entry(0)]);
      }),
    ).rejects.toMatchObject({ code: 'STORE_CONFLICT' });
    const callerFault = new RangeError('caller fault');
    await expect(
      store.appendExclusive(async (tx) => {
        await tx.insertEntries([entry(1)]);
        throw callerFault;
      }),
    ).rejects.toBe(callerFault);
    expect(await store.auditEntryCount()).toBe(1);
    expect(await store.listCheckpoints()).toEqual([]);
  });

  it('rejects bad records and misuse of the transaction', async () => {
    const store = await open();
    const short = { ...entry(0), leafHash: new Uint8Array(31) };
    await expect(store.appendExclusive((tx) => tx.insertEntries([short]))).rejects.toMatchObject({
      code: 'INPUT_INVALID',
    });
    await expect(
      store.appendExclusive((tx) => tx.insertEntries([{ ...entry(0), seq: -1 }])),
    ).rejects.toMatchObject({
      code: 'INPUT_INVALID',
    });
    await expect(store.appendExclusive(() => store.auditEntryCount())).rejects.toMatchObject({
      code: 'INTERNAL',
    });
    let leaked: AuditAppendTx | undefined;
    await store.appendExclusive((tx) => {
      leaked = tx;
      return Promise.resolve();
    });
    await expect(leaked?.insertEntries([entry(0)])).rejects.toMatchObject({ code: 'INTERNAL' });
    expect(await store.auditEntryCount()).toBe(0);
  });

  it('serializes appends from two store instances on one database', async () => {
    const location = await flavor.freshLocation();
    const [a, b] = [await open(location), await open(location)];
    const rounds = 15;
    const batch = 4;
    const run = async (store: Store, kind: string): Promise<number[]> => {
      const starts: number[] = [];
      for (let i = 0; i < rounds; i += 1)
        starts.push(await store.appendExclusive((tx) => appendBatch(tx, batch, kind)));
      return starts;
    };
    const [startsA, startsB] = await Promise.all([run(a, 'a'), run(b, 'b')]);
    const total = 2 * rounds * batch;
    expect(await a.auditEntryCount()).toBe(total);
    const stored = await b.readAuditEntries(0, total);
    expect(stored.map((e) => e.seq)).toEqual(Array.from({ length: total }, (_, i) => i));
    expect([...startsA, ...startsB].sort((x, y) => x - y)).toEqual(
      Array.from({ length: 2 * rounds }, (_, i) => i * batch),
    );
    // Each append's entries are contiguous: no batch of one instance was split by the other.
    for (let i = 0; i < total; i += batch) {
      expect(new Set(stored.slice(i, i + batch).map((e) => e.kind)).size).toBe(1);
    }
  });
});
