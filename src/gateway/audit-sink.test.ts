import { describe, expect, it } from 'vitest';
import type { AuditEntryInput } from '../audit/log.js';
import { createAuditSink } from './audit-sink.js';

describe('createAuditSink', () => {
  it('appends queued events in batches, in order, and drops undefined fields', async () => {
    const batches: AuditEntryInput[][] = [];
    const sink = createAuditSink(
      (entries) => {
        batches.push([...entries]);
        return Promise.resolve();
      },
      { maxBatch: 3, flushMs: 10_000 },
    );
    for (let i = 0; i < 7; i++)
      expect(sink.record({ type: 'gateway.request', n: i, skip: undefined })).toBe(true);
    await sink.close();
    expect(batches.map((b) => b.length)).toEqual([3, 3, 1]);
    expect(batches.flat().map((e) => e.data['n'])).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(batches[0]?.[0]).toEqual({ kind: 'event', data: { type: 'gateway.request', n: 0 } });
  });

  it('flushes by time', async () => {
    const seen: number[] = [];
    const sink = createAuditSink(
      (entries) => {
        seen.push(entries.length);
        return Promise.resolve();
      },
      { flushMs: 5 },
    );
    sink.record({ type: 'gateway.request' });
    await new Promise((r) => setTimeout(r, 30));
    expect(seen).toEqual([1]);
    await sink.close();
  });

  it('keeps events when the log fails, retries them, and refuses new ones when the queue is full', async () => {
    let fail = true;
    const appended: AuditEntryInput[] = [];
    const errors: unknown[] = [];
    const sink = createAuditSink(
      (entries) => {
        if (fail) return Promise.reject(new Error('disk full'));
        appended.push(...entries);
        return Promise.resolve();
      },
      { maxQueue: 2, flushMs: 10_000, onError: (e) => errors.push(e) },
    );
    expect(sink.record({ type: 'a' })).toBe(true);
    expect(sink.record({ type: 'b' })).toBe(true);
    expect(sink.record({ type: 'c' })).toBe(false);
    await sink.flush();
    expect(errors).toHaveLength(1);
    expect(sink.pending).toBe(2);
    fail = false;
    await sink.close();
    expect(appended.map((e) => e.data['type'])).toEqual(['a', 'b']);
    expect(sink.pending).toBe(0);
  });
});
