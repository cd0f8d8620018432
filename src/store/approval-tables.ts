import { BulwarkError } from '../core/errors.js';
import { sha256Digest } from '../core/digest.js';
import type { TableContext } from './evidence-tables.js';
import type { GatewayApprovalRow } from './schema.js';
import {
  APPROVAL_STATUSES,
  type ApprovalDecisionInput,
  type ApprovalInput,
  type ApprovalRecord,
  type ApprovalStatus,
  type ListOptions,
} from './store.js';
import {
  listLimit,
  optionalText,
  requireDigest,
  requireString,
  requireText,
  requireTimestamp,
} from './validate-input.js';

/** Records a held tool call as pending; its digest must be the digest of its arguments. */
export async function putApproval(ctx: TableContext, input: ApprovalInput): Promise<void> {
  const args = requireString(input.arguments, 'approval arguments');
  const digest = requireDigest(input.argumentsDigest, 'approval argumentsDigest');
  if (sha256Digest(args) !== digest)
    throw new BulwarkError('INPUT_INVALID', 'approval argumentsDigest is not the digest of its arguments');
  const row: GatewayApprovalRow = {
    id: requireText(input.id, 'approval id'),
    request_id: requireText(input.requestId, 'approval requestId'),
    principal: requireText(input.principal, 'approval principal'),
    model: requireText(input.model, 'approval model'),
    tool: requireText(input.tool, 'approval tool'),
    tool_call_id: requireText(input.toolCallId, 'approval toolCallId'),
    arguments: args,
    arguments_digest: digest,
    status: 'pending',
    created_at: ctx.now(),
    // Normalized to UTC so that comparing strings with the clock is comparing instants.
    expires_at: new Date(requireTimestamp(input.expiresAt, 'approval expiresAt')).toISOString(),
    decided_at: null,
    approver: null,
    reason: null,
    envelope: null,
  };
  await ctx.backend.write('evidence', async (trx) => {
    await trx.insertInto('gateway_approvals').values(row).execute();
  });
}

/** The approval with this id, its status as of now. */
export async function getApproval(ctx: TableContext, id: string): Promise<ApprovalRecord | undefined> {
  const row = await ctx.backend.db
    .selectFrom('gateway_approvals')
    .selectAll()
    .where('id', '=', requireText(id, 'approval id'))
    .executeTakeFirst();
  return row === undefined ? undefined : recordOf(row, ctx.now());
}

/** Approvals newest first; `pending` and `expired` split the pending rows at the current time. */
export async function listApprovals(
  ctx: TableContext,
  options: ListOptions & { readonly status?: ApprovalStatus } = {},
): Promise<ApprovalRecord[]> {
  const now = ctx.now();
  let query = ctx.backend.db.selectFrom('gateway_approvals').selectAll();
  const status = options.status;
  if (status !== undefined) {
    if (!(APPROVAL_STATUSES as readonly string[]).includes(status))
      throw new BulwarkError(
        'INPUT_INVALID',
        `approval status must be one of ${APPROVAL_STATUSES.join(', ')}`,
      );
    if (status === 'pending') query = query.where('status', '=', 'pending').where('expires_at', '>', now);
    else if (status === 'expired')
      query = query.where('status', '=', 'pending').where('expires_at', '<=', now);
    else query = query.where('status', '=', status);
  }
  const rows = await query
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(listLimit(options.limit))
    .execute();
  return rows.map((row) => recordOf(row, now));
}

/** Decides a pending, unexpired approval exactly once, inside one write transaction. */
export async function decideApproval(
  ctx: TableContext,
  id: string,
  input: ApprovalDecisionInput,
): Promise<ApprovalRecord> {
  const wanted = requireText(id, 'approval id');
  if (input.decision !== 'approved' && input.decision !== 'denied')
    throw new BulwarkError('INPUT_INVALID', 'approval decision must be approved or denied');
  const update = {
    status: input.decision,
    approver: requireText(input.approver, 'approval approver'),
    reason: optionalText(input.reason, 'approval reason') ?? null,
    envelope: requireText(input.envelope, 'approval envelope'),
  };
  const now = ctx.now();
  return ctx.backend.write('evidence', async (trx) => {
    const row = await trx
      .selectFrom('gateway_approvals')
      .selectAll()
      .where('id', '=', wanted)
      .executeTakeFirst();
    if (row === undefined) throw new BulwarkError('NOT_FOUND', `no approval with id ${wanted}`);
    const current = recordOf(row, now);
    if (current.status !== 'pending')
      throw new BulwarkError('STORE_CONFLICT', `approval ${wanted} is already ${current.status}`);
    // The status guard in the update makes a concurrent decision lose on PostgreSQL too.
    const result = await trx
      .updateTable('gateway_approvals')
      .set({ ...update, decided_at: now })
      .where('id', '=', wanted)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    if (result.numUpdatedRows !== 1n)
      throw new BulwarkError('STORE_CONFLICT', `approval ${wanted} was decided concurrently`);
    return recordOf({ ...row, ...update, decided_at: now }, now);
  });
}

function recordOf(row: GatewayApprovalRow, now: string): ApprovalRecord {
  const status = statusOf(row, now);
  return {
    id: row.id,
    requestId: row.request_id,
    principal: row.principal,
    model: row.model,
    tool: row.tool,
    toolCallId: row.tool_call_id,
    arguments: row.arguments,
    argumentsDigest: row.arguments_digest,
    expiresAt: row.expires_at,
    status,
    createdAt: row.created_at,
    ...(row.decided_at === null ? {} : { decidedAt: row.decided_at }),
    ...(row.approver === null ? {} : { approver: row.approver }),
    ...(row.reason === null ? {} : { reason: row.reason }),
    ...(row.envelope === null ? {} : { envelope: row.envelope }),
  };
}

function statusOf(row: GatewayApprovalRow, now: string): ApprovalStatus {
  if (row.status === 'approved' || row.status === 'denied') return row.status;
  return row.expires_at <= now ? 'expired' : 'pending';
}
