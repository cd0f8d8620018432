import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyAttestation } from '../src/core/attestation.js';
import { sha256Digest } from '../src/core/digest.js';
import { loadTrustedKey } from '../src/core/keys.js';
import { TOOL_APPROVAL_PREDICATE } from '../src/gateway/tools/approvals.js';
import { openStore } from '../src/store/open-store.js';
import type { ApprovalInput, Store } from '../src/store/store.js';
import { runCli } from './support/run-cli.js';

const ARGS = '{"repo":"acme/api","force":true}';

function approval(id: string, extra: Partial<ApprovalInput> = {}): ApprovalInput {
  return {
    id,
    requestId: `req-${id}`,
    principal: 'key-1',
    model: 'chat',
    tool: 'delete_branch',
    toolCallId: `call_${id}`,
    arguments: ARGS,
    argumentsDigest: sha256Digest(ARGS),
    expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    ...extra,
  };
}

describe('bulwark gateway approvals', () => {
  let cwd: string;
  beforeEach(async () => {
    cwd = mkdtempSync(join(tmpdir(), 'bulwark-approvals-'));
    expect((await runCli(['keys', 'generate', '--out', 'approver'], cwd)).code).toBe(0);
  });
  afterEach(() => {
    rmSync(cwd, { recursive: true, force: true });
  });

  async function withStore<T>(fn: (store: Store) => Promise<T>): Promise<T> {
    const store = await openStore({ home: join(cwd, '.bulwark') });
    try {
      return await fn(store);
    } finally {
      await store.close();
    }
  }

  it('lists held calls with their arguments, by status, as a table or JSON', async () => {
    await withStore(async (store) => {
      await store.putApproval(approval('apr_old', { expiresAt: '2020-01-01T00:00:00.000Z' }));
      await store.putApproval(approval('apr_new'));
    });
    const table = await runCli(['gateway', 'approvals', 'list'], cwd);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/apr_new {2}pending {2}delete_branch/);
    expect(table.stdout).toMatch(/apr_old {2}expired/);
    const json = await runCli(
      ['gateway', 'approvals', 'list', '--status', 'pending', '--format', 'json'],
      cwd,
    );
    const rows = JSON.parse(json.stdout) as { id: string; arguments: string; status: string }[];
    expect(rows).toEqual([expect.objectContaining({ id: 'apr_new', arguments: ARGS, status: 'pending' })]);
    const none = await runCli(['gateway', 'approvals', 'list', '--status', 'denied'], cwd);
    expect(none.stdout).toBe('no denied approvals\n');
    const bad = await runCli(['gateway', 'approvals', 'list', '--status', 'maybe'], cwd);
    expect(bad.code).not.toBe(0);
  });

  it('approves with a signature over the arguments, stored as an attestation and in the audit log', async () => {
    await withStore((store) => store.putApproval(approval('apr_a')));
    const run = await runCli(
      ['gateway', 'approvals', 'approve', 'apr_a', '--key', 'approver.key', '--approver', 'alice'],
      cwd,
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('approval apr_a approved by alice: delete_branch for key-1');
    await withStore(async (store) => {
      const record = await store.getApproval('apr_a');
      expect(record).toMatchObject({ status: 'approved', approver: 'alice' });
      const trusted = [loadTrustedKey(readFileSync(join(cwd, 'approver.pub'), 'utf8'))];
      const verdict = verifyAttestation(record?.envelope ?? '', trusted, {
        predicateType: TOOL_APPROVAL_PREDICATE,
        subjectDigest: sha256Digest(ARGS),
      });
      expect(verdict.ok).toBe(true);
      if (verdict.ok)
        expect(verdict.statement.predicate).toMatchObject({
          approvalId: 'apr_a',
          decision: 'approved',
          approver: 'alice',
          tool: 'delete_branch',
          principal: 'key-1',
        });
      const stored = await store.listAttestations({ predicateType: TOOL_APPROVAL_PREDICATE });
      expect(stored.map((a) => a.subjectDigest)).toEqual([sha256Digest(ARGS)]);
      const entries = await store.readAuditEntries(0, await store.auditEntryCount());
      const logged = entries.map((e) => JSON.parse(e.payload) as { data?: Record<string, unknown> });
      expect(logged.find((p) => p.data?.['action'] === 'gateway-tool-approval')?.data).toMatchObject({
        approvalId: 'apr_a',
        decision: 'approved',
        attestationIds: [stored[0]?.id],
      });
    });
  });

  it('denies with a reason, signed, in JSON', async () => {
    await withStore((store) => store.putApproval(approval('apr_d')));
    const run = await runCli(
      [
        'gateway',
        'approvals',
        'deny',
        'apr_d',
        '--reason',
        'force-push to main',
        '--key',
        'approver.key',
        '--format',
        'json',
      ],
      cwd,
      { USER: 'bob' },
    );
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(out).toMatchObject({
      id: 'apr_d',
      status: 'denied',
      approver: 'bob',
      reason: 'force-push to main',
    });
    expect(out['envelope']).toHaveProperty('signatures');
  });

  it('refuses unknown, decided and expired approvals, an empty reason and a missing key, with one line', async () => {
    await withStore(async (store) => {
      await store.putApproval(approval('apr_x'));
      await store.putApproval(approval('apr_late', { expiresAt: '2020-01-01T00:00:00.000Z' }));
    });
    const approve = (id: string, key = 'approver.key') =>
      runCli(['gateway', 'approvals', 'approve', id, '--key', key], cwd);
    const unknown = await approve('apr_nope');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no approval with id apr_nope');
    expect((await approve('apr_late')).stderr).toContain('already expired');
    const noKey = await approve('apr_x', 'missing.key');
    expect(noKey.code).toBe(2);
    expect(noKey.stderr.trim().split('\n')).toHaveLength(1);
    const blank = await runCli(
      ['gateway', 'approvals', 'deny', 'apr_x', '--reason', ' ', '--key', 'approver.key'],
      cwd,
    );
    expect(blank.code).toBe(2);
    expect(blank.stderr).toContain('--reason');
    expect((await approve('apr_x')).code).toBe(0);
    const twice = await approve('apr_x');
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain('already approved');
    await withStore(async (store) => {
      expect((await store.getApproval('apr_late'))?.status).toBe('expired');
      expect(await store.listAttestations({ predicateType: TOOL_APPROVAL_PREDICATE })).toHaveLength(1);
    });
  });
});
