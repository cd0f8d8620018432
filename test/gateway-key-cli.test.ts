import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { authenticateApiKey } from '../src/gateway/identity/api-key.js';
import { openStore } from '../src/store/open-store.js';
import { runCli } from './support/run-cli.js';

describe('bulwark gateway key', () => {
  let cwd: string;
  beforeEach(() => {
    cwd = mkdtempSync(join(tmpdir(), 'bulwark-gwkey-'));
  });
  afterEach(() => {
    rmSync(cwd, { recursive: true, force: true });
  });

  async function withStore<T>(fn: (store: Awaited<ReturnType<typeof openStore>>) => Promise<T>): Promise<T> {
    const store = await openStore({ home: join(cwd, '.bulwark') });
    try {
      return await fn(store);
    } finally {
      await store.close();
    }
  }

  it('creates a key shown once, stores only its hash, and the key authenticates', async () => {
    const run = await runCli(
      [
        'gateway',
        'key',
        'create',
        '--name',
        'ci',
        '--models',
        'gpt-4o,llama-*',
        '--tools',
        'search',
        '--rpm',
        '60',
        '--tpm',
        '1000',
        '--max-tokens',
        '256',
        '--budget',
        '12.5',
        '--expires',
        '30d',
        '--created-by',
        'alice',
      ],
      cwd,
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const key = run.stdout.split('\n')[0] ?? '';
    expect(key).toMatch(/^bw_[0-9A-Za-z]{12}_[0-9A-Za-z]{43}$/);
    expect(run.stdout).toContain('shown only this once');
    const prefix = key.split('_')[1] ?? '';

    const list = await runCli(['gateway', 'key', 'list'], cwd);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain(`bw_${prefix}  active  ci  models=gpt-4o,llama-*  tools=search`);
    expect(list.stdout).toContain('rpm=60 tpm=1000 max-tokens=256 budget=12.5');
    expect(list.stdout).not.toContain(key);

    await withStore(async (store) => {
      const record = await store.getGatewayKeyByPrefix(prefix);
      expect(record).toMatchObject({ name: 'ci', createdBy: 'alice', budget: 12.5 });
      const days = (Date.parse(record?.expiresAt ?? '') - Date.now()) / 86_400_000;
      expect(days).toBeGreaterThan(29.9);
      expect(days).toBeLessThanOrEqual(30);
      const result = await authenticateApiKey(key, (p) => store.getGatewayKeyByPrefix(p));
      expect(result).toMatchObject({
        ok: true,
        principal: { kind: 'api-key', limits: { rpm: 60, maxTokens: 256 } },
      });
      const entries = await store.readAuditEntries(0, await store.auditEntryCount());
      expect(entries.map((e) => e.kind)).toEqual(['key']);
      expect(entries[0]?.payload).toContain('"action":"gateway-key-create"');
      expect(entries[0]?.payload).not.toContain(key.split('_')[2] ?? key);
      expect(entries[0]?.payload).not.toContain(record?.hash ?? 'x');
    });
  });

  it('prints JSON with the key once, lists without secrets, and revokes by prefix or id', async () => {
    const first = await runCli(
      ['gateway', 'key', 'create', '--name', 'a', '--models', '*', '--format', 'json'],
      cwd,
    );
    expect(first.code).toBe(0);
    const created = JSON.parse(first.stdout) as { key: string; id: string; prefix: string; hash?: string };
    expect(created.key.startsWith(`bw_${created.prefix}_`)).toBe(true);
    expect(created.hash).toBeUndefined();
    const second = JSON.parse(
      (await runCli(['gateway', 'key', 'create', '--name', 'b', '--models', 'm', '--format', 'json'], cwd))
        .stdout,
    ) as { key: string; id: string };

    const listed = await runCli(['gateway', 'key', 'list', '--format', 'json'], cwd);
    const keys = JSON.parse(listed.stdout) as { name: string; hash?: string }[];
    expect(keys.map((k) => k.name)).toEqual(['b', 'a']);
    expect(listed.stdout).not.toContain(created.key);
    expect(keys.every((k) => k.hash === undefined)).toBe(true);

    const revoked = await runCli(['gateway', 'key', 'revoke', `bw_${created.prefix}`], cwd);
    expect(revoked).toMatchObject({ code: 0, stdout: `gateway key bw_${created.prefix} (a) revoked\n` });
    const byId = await runCli(['gateway', 'key', 'revoke', second.id, '--format', 'json'], cwd);
    expect(JSON.parse(byId.stdout)).toMatchObject({ id: second.id, wasRevoked: false });
    const again = await runCli(['gateway', 'key', 'revoke', created.prefix], cwd);
    expect(again.stdout).toContain('already revoked');

    expect((await runCli(['gateway', 'key', 'list'], cwd)).stdout).toBe('no gateway keys\n');
    const all = await runCli(['gateway', 'key', 'list', '--all'], cwd);
    expect(all.stdout.match(/ revoked /g)).toHaveLength(2);

    await withStore(async (store) => {
      const result = await authenticateApiKey(created.key, (p) => store.getGatewayKeyByPrefix(p));
      expect(result).toMatchObject({ ok: false, reason: 'key-revoked' });
      const entries = await store.readAuditEntries(0, await store.auditEntryCount());
      const actions = entries.map((e) => (JSON.parse(e.payload) as { data: { action: string } }).data.action);
      expect(actions).toEqual([
        'gateway-key-create',
        'gateway-key-create',
        'gateway-key-revoke',
        'gateway-key-revoke',
      ]);
    });
  });

  it('refuses bad options with one line and exit 2', async () => {
    const cases: [string[], RegExp][] = [
      [['--name', 'x', '--models', 'a,,b'], /--models holds an empty name/],
      [['--name', 'x', '--models', 'a', '--rpm', '0'], /--rpm must be at least 1/],
      [['--name', 'x', '--models', 'a', '--tpm', 'lots'], /--tpm must be a whole number/],
      [['--name', 'x', '--models', 'a', '--budget', '-3'], /--budget must be a non-negative number/],
      [['--name', 'x', '--models', 'a', '--expires', 'tomorrow'], /--expires must be a lifetime/],
      [
        ['--name', 'x', '--models', 'a', '--expires', '2001-01-01T00:00:00Z'],
        /--expires must lie in the future/,
      ],
      [['--name', 'x'], /required option '--models/],
    ];
    for (const [args, message] of cases) {
      const run = await runCli(['gateway', 'key', 'create', ...args], cwd);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stderr.trim().split('\n')[0]).toMatch(/^bulwark: /);
      expect(run.stderr).not.toContain('    at ');
    }
    const missing = await runCli(['gateway', 'key', 'revoke', 'nope'], cwd);
    expect(missing).toMatchObject({ code: 2, stderr: 'bulwark: no gateway key with id or prefix nope\n' });
    await withStore(async (store) =>
      expect(await store.listGatewayKeys({ includeRevoked: true })).toEqual([]),
    );
  });
});
