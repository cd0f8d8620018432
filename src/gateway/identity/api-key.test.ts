import { describe, expect, it } from 'vitest';
import type { GatewayKeyRecord } from '../../store/store.js';
import { authenticateApiKey, cachedKeyLookup, createApiKey, hashApiKey, parseApiKey } from './api-key.js';

function stored(
  created: ReturnType<typeof createApiKey>,
  extra: Partial<GatewayKeyRecord> = {},
): GatewayKeyRecord {
  return { ...created.record, createdAt: '2025-01-01T00:00:00.000Z', ...extra };
}

function lookupOf(...records: GatewayKeyRecord[]): (prefix: string) => Promise<GatewayKeyRecord | undefined> {
  return (prefix) => Promise.resolve(records.find((r) => r.prefix === prefix));
}

describe('API keys', () => {
  it('creates bw_<prefix>_<secret> keys whose record holds only the prefix and hash', () => {
    const created = createApiKey({
      name: 'ci',
      models: ['gpt-4o'],
      tools: ['search'],
      limits: { rpm: 10, budget: 2.5 },
      expiresAt: new Date('2030-01-01T00:00:00Z'),
      createdBy: 'alice',
    });
    expect(created.key).toMatch(/^bw_[0-9A-Za-z]{12}_[0-9A-Za-z]{43}$/);
    expect(parseApiKey(created.key)).toEqual({ prefix: created.record.prefix });
    expect(created.record).toMatchObject({
      name: 'ci',
      models: ['gpt-4o'],
      tools: ['search'],
      rpm: 10,
      budget: 2.5,
      expiresAt: '2030-01-01T00:00:00.000Z',
      createdBy: 'alice',
      hash: hashApiKey(created.key),
    });
    expect(JSON.stringify(created.record)).not.toContain(created.key.split('_')[2]);
    const other = createApiKey({ name: 'ci', models: ['*'] });
    expect(other.key).not.toBe(created.key);
    expect(other.record.prefix).not.toBe(created.record.prefix);
  });

  it('spreads secret characters over the whole base62 alphabet', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 40; i += 1)
      for (const c of createApiKey({ name: 'x', models: ['*'] }).key.slice(16)) seen.add(c);
    expect(seen.size).toBe(62);
  });

  it('refuses a key without a name or models', () => {
    expect(() => createApiKey({ name: ' ', models: ['*'] })).toThrow(/name/);
    expect(() => createApiKey({ name: 'x', models: [] })).toThrow(/model/);
  });

  it('authenticates a valid key into its principal', async () => {
    const created = createApiKey({ name: 'ci', models: ['gpt-4o'], limits: { tpm: 1000, maxTokens: 50 } });
    const result = await authenticateApiKey(created.key, lookupOf(stored(created)));
    expect(result).toEqual({
      ok: true,
      principal: {
        kind: 'api-key',
        id: created.record.id,
        name: 'ci',
        models: ['gpt-4o'],
        tools: [],
        limits: { tpm: 1000, maxTokens: 50 },
      },
    });
  });

  it('refuses malformed, unknown, wrong, revoked and expired keys with their reasons', async () => {
    const created = createApiKey({ name: 'ci', models: ['*'] });
    const good = stored(created);
    const reason = async (key: string, record: GatewayKeyRecord = good, now?: Date) => {
      const result = await authenticateApiKey(key, lookupOf(record), now);
      return result.ok ? 'ok' : result.reason;
    };
    expect(await reason('sk-not-ours')).toBe('credentials-malformed');
    expect(await reason(`${created.key} `)).toBe('credentials-malformed');
    expect(await reason(created.key.slice(0, -1))).toBe('credentials-malformed');
    const unknown = createApiKey({ name: 'x', models: ['*'] }).key;
    expect(await reason(unknown)).toBe('key-unknown');
    const last = created.key.at(-1) === 'a' ? 'b' : 'a';
    expect(await reason(created.key.slice(0, -1) + last)).toBe('key-mismatch');
    expect(await reason(created.key, { ...good, revokedAt: '2025-02-01T00:00:00.000Z' })).toBe('key-revoked');
    const expiring = { ...good, expiresAt: '2025-03-01T00:00:00.000Z' };
    expect(await reason(created.key, expiring, new Date('2025-02-28T23:59:59Z'))).toBe('ok');
    expect(await reason(created.key, expiring, new Date('2025-03-01T00:00:00Z'))).toBe('key-expired');
  });

  it('fails closed when the lookup fails', async () => {
    const created = createApiKey({ name: 'ci', models: ['*'] });
    const result = await authenticateApiKey(created.key, () => Promise.reject(new Error('db down')));
    expect(result).toMatchObject({ ok: false, reason: 'identity-unavailable' });
  });

  it('caches lookups for the TTL, so a revocation bites once it expires', async () => {
    const created = createApiKey({ name: 'ci', models: ['*'] });
    let record: GatewayKeyRecord = stored(created);
    let calls = 0;
    let clock = 0;
    const lookup = cachedKeyLookup(
      () => {
        calls += 1;
        return Promise.resolve(record);
      },
      { ttlMs: 1000, now: () => clock },
    );
    expect((await authenticateApiKey(created.key, lookup)).ok).toBe(true);
    record = { ...record, revokedAt: '2025-01-02T00:00:00.000Z' };
    clock = 999;
    expect((await authenticateApiKey(created.key, lookup)).ok).toBe(true);
    expect(calls).toBe(1);
    clock = 1000;
    expect(await authenticateApiKey(created.key, lookup)).toMatchObject({ reason: 'key-revoked' });
    expect(calls).toBe(2);
  });

  it('keeps at most maxEntries prefixes in the cache', async () => {
    let calls = 0;
    const lookup = cachedKeyLookup(
      () => {
        calls += 1;
        return Promise.resolve(undefined);
      },
      { maxEntries: 2, now: () => 0 },
    );
    await lookup('a');
    await lookup('b');
    await lookup('c');
    await lookup('c');
    expect(calls).toBe(3);
    await lookup('a');
    expect(calls).toBe(4);
  });
});
