import { expect, it } from 'vitest';
import { sha256Digest } from '../core/digest.js';
import { describeEachStore } from '../../test/support/postgres.js';
import { storeOpener } from '../../test/support/store-fixtures.js';
import type { ApprovalInput } from './store.js';

function approval(id: string, extra: Partial<ApprovalInput> = {}): ApprovalInput {
  const args = `{"to":"${id}@example.com"}`;
  return {
    id,
    requestId: `req-${id}`,
    principal: 'key-1',
    model: 'chat',
    tool: 'send_email',
    toolCallId: `call_${id}`,
    arguments: args,
    argumentsDigest: sha256Digest(args),
    expiresAt: '2025-01-01T01:00:00.000Z',
    ...extra,
  };
}

const DECISION = { approver: 'alice', envelope: '{"payload":"x"}' } as const;

describeEachStore('gateway approval table', (flavor) => {
  const open = storeOpener(flavor);

  it('stores a pending approval with its arguments byte for byte', async () => {
    const store = await open();
    const input = approval('a', {
      arguments: '{ "to" : "ü" }',
      argumentsDigest: sha256Digest('{ "to" : "ü" }'),
    });
    await store.putApproval(input);
    expect(await store.getApproval('a')).toEqual({
      ...input,
      status: 'pending',
      createdAt: '2025-01-01T00:00:01.000Z',
    });
    expect(await store.getApproval('b')).toBeUndefined();
    expect(await store.schemaVersion()).toBe('0005-approvals');
  });

  it('rejects a digest that is not of the arguments, and a clashing id', async () => {
    const store = await open();
    await expect(
      store.putApproval(approval('a', { argumentsDigest: sha256Digest('other') })),
    ).rejects.toMatchObject({ code: 'INPUT_INVALID' });
    await expect(store.putApproval(approval('a', { expiresAt: 'later' }))).rejects.toMatchObject({
      code: 'INPUT_INVALID',
    });
    await store.putApproval(approval('a'));
    await expect(store.putApproval(approval('a'))).rejects.toMatchObject({ code: 'STORE_CONFLICT' });
  });

  it('decides once: approved keeps the decision, a second decision is a conflict', async () => {
    const store = await open();
    await store.putApproval(approval('a'));
    const decided = await store.decideApproval('a', { ...DECISION, decision: 'approved' });
    expect(decided).toMatchObject({ status: 'approved', approver: 'alice', envelope: DECISION.envelope });
    expect(decided.decidedAt).toBe('2025-01-01T00:00:02.000Z');
    expect(await store.getApproval('a')).toEqual(decided);
    await expect(
      store.decideApproval('a', { ...DECISION, decision: 'denied', reason: 'no' }),
    ).rejects.toMatchObject({ code: 'STORE_CONFLICT' });
    await expect(store.decideApproval('nope', { ...DECISION, decision: 'approved' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(
      store.decideApproval('a', { ...DECISION, decision: 'maybe' as 'approved' }),
    ).rejects.toMatchObject({ code: 'INPUT_INVALID' });
  });

  it('reads a pending approval past its deadline as expired and refuses to decide it', async () => {
    const store = await open();
    await store.putApproval(approval('old', { expiresAt: '2025-01-01T00:00:03.000Z' }));
    await store.putApproval(approval('new'));
    // The stepping clock is past 00:00:03 by now.
    await store.putApproval(approval('later'));
    expect((await store.getApproval('old'))?.status).toBe('expired');
    await expect(store.decideApproval('old', { ...DECISION, decision: 'approved' })).rejects.toMatchObject({
      code: 'STORE_CONFLICT',
    });
    await store.decideApproval('later', { ...DECISION, decision: 'denied', reason: 'not today' });
    const ids = async (status?: 'pending' | 'expired' | 'denied' | 'approved'): Promise<string[]> =>
      (await store.listApprovals(status === undefined ? {} : { status })).map((a) => a.id);
    expect(await ids()).toEqual(['later', 'new', 'old']);
    expect(await ids('pending')).toEqual(['new']);
    expect(await ids('expired')).toEqual(['old']);
    expect(await ids('denied')).toEqual(['later']);
    expect(await ids('approved')).toEqual([]);
    expect((await store.getApproval('later'))?.reason).toBe('not today');
    await expect(store.listApprovals({ status: 'bogus' as 'pending' })).rejects.toMatchObject({
      code: 'INPUT_INVALID',
    });
  });
});
