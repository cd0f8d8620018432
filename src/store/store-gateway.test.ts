import { createHash } from 'node:crypto';
import { expect, it } from 'vitest';
import { describeEachStore } from '../../test/support/postgres.js';
import { storeOpener } from '../../test/support/store-fixtures.js';
import type { GatewayKeyInput } from './store.js';

function key(id: string, extra: Partial<GatewayKeyInput> = {}): GatewayKeyInput {
  return {
    id,
    name: `key ${id}`,
    prefix: `p${id}`,
    hash: createHash('sha256').update(id).digest('hex'),
    models: ['gpt-4o', 'llama-*'],
    tools: [],
    ...extra,
  };
}

describeEachStore('gateway key table', (flavor) => {
  const open = storeOpener(flavor);

  it('stores a key with its lists and limits and finds it by prefix', async () => {
    const store = await open();
    await store.putGatewayKey(
      key('a', {
        tools: ['search', 'search'],
        rpm: 60,
        tpm: 100_000,
        maxTokens: 4096,
        budget: 12.5,
        expiresAt: '2030-01-01T01:00:00+01:00',
        createdBy: 'alice',
      }),
    );
    const found = await store.getGatewayKeyByPrefix('pa');
    expect(found).toEqual({
      ...key('a'),
      tools: ['search'],
      rpm: 60,
      tpm: 100_000,
      maxTokens: 4096,
      budget: 12.5,
      expiresAt: '2030-01-01T00:00:00.000Z',
      createdBy: 'alice',
      createdAt: '2025-01-01T00:00:01.000Z',
    });
    expect(await store.getGatewayKeyByPrefix('pb')).toBeUndefined();
    await store.putGatewayKey(key('b'));
    const plain = await store.getGatewayKeyByPrefix('pb');
    expect(plain).not.toHaveProperty('rpm');
    expect(plain).not.toHaveProperty('budget');
    expect(plain).not.toHaveProperty('revokedAt');
  });

  it('refuses a second key with the same id, prefix or hash', async () => {
    const store = await open();
    await store.putGatewayKey(key('a'));
    await expect(
      store.putGatewayKey(key('a', { prefix: 'other', hash: 'f'.repeat(64) })),
    ).rejects.toMatchObject({
      code: 'STORE_CONFLICT',
    });
    await expect(store.putGatewayKey(key('b', { prefix: 'pa' }))).rejects.toMatchObject({
      code: 'STORE_CONFLICT',
    });
    await expect(store.putGatewayKey(key('c', { hash: key('a').hash }))).rejects.toMatchObject({
      code: 'STORE_CONFLICT',
    });
    expect(await store.listGatewayKeys()).toHaveLength(1);
  });

  it('rejects malformed input before writing', async () => {
    const store = await open();
    await expect(store.putGatewayKey(key('a', { hash: 'abc' }))).rejects.toMatchObject({
      code: 'INPUT_INVALID',
    });
    await expect(store.putGatewayKey(key('a', { rpm: 0 }))).rejects.toMatchObject({ code: 'INPUT_INVALID' });
    await expect(store.putGatewayKey(key('a', { budget: -1 }))).rejects.toMatchObject({
      code: 'INPUT_INVALID',
    });
    await expect(store.putGatewayKey(key('a', { models: [''] }))).rejects.toMatchObject({
      code: 'INPUT_INVALID',
    });
    await expect(store.putGatewayKey(key('a', { expiresAt: 'soon' }))).rejects.toMatchObject({
      code: 'INPUT_INVALID',
    });
    expect(await store.listGatewayKeys({ includeRevoked: true })).toEqual([]);
  });

  it('revokes by id or prefix once, and lists revoked keys only when asked', async () => {
    const store = await open();
    await store.putGatewayKey(key('a'));
    await store.putGatewayKey(key('b'));
    await store.putGatewayKey(key('c'));
    expect((await store.listGatewayKeys()).map((k) => k.id)).toEqual(['c', 'b', 'a']);

    const first = await store.revokeGatewayKey('b');
    expect(first.wasRevoked).toBe(false);
    expect(first.record.revokedAt).toBe('2025-01-01T00:00:04.000Z');
    const again = await store.revokeGatewayKey('pb');
    expect(again).toEqual({ record: first.record, wasRevoked: true });
    expect((await store.getGatewayKeyByPrefix('pb'))?.revokedAt).toBe(first.record.revokedAt);

    expect((await store.listGatewayKeys()).map((k) => k.id)).toEqual(['c', 'a']);
    expect((await store.listGatewayKeys({ includeRevoked: true, limit: 2 })).map((k) => k.id)).toEqual([
      'c',
      'b',
    ]);
    await expect(store.revokeGatewayKey('nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('keeps keys across reopening the store', async () => {
    const location = await flavor.freshLocation();
    const first = await open(location);
    expect(await first.schemaVersion()).toBe('0005-approvals');
    await first.putGatewayKey(key('a', { budget: 0.01 }));
    await first.close();
    const second = await open(location);
    expect((await second.getGatewayKeyByPrefix('pa'))?.budget).toBe(0.01);
  });
});
