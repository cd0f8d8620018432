import { Option, type Command } from 'commander';
import { signStatement } from '../core/attestation.js';
import { BulwarkError } from '../core/errors.js';
import type { JsonValue } from '../core/findings.js';
import { buildApprovalStatement, TOOL_APPROVAL_PREDICATE } from '../gateway/tools/approvals.js';
import { APPROVAL_STATUSES, type ApprovalRecord, type ApprovalStatus } from '../store/store.js';
import { withContext, type CliContext } from './context.js';
import { emit } from './files.js';
import type { CliIo } from './io.js';
import { wholeNumberOption } from './options.js';
import { signerFromOptions } from './signed-evidence.js';

/**
 * `bulwark gateway approvals list|approve|deny`: the human side of sensitive tool calls. A decision
 * is signed (DSSE, predicate {@link TOOL_APPROVAL_PREDICATE}) over the digest of the exact arguments,
 * stored with the approval and as an attestation, and appended to the audit log.
 */
export function registerGatewayApprovals(gateway: Command, io: CliIo): void {
  const approvals = gateway
    .command('approvals')
    .description('list, approve and deny tool calls the gateway held for a human decision');
  const format = (): Option =>
    new Option('--format <format>', 'output format').choices(['table', 'json']).default('table');
  approvals
    .command('list')
    .description('list held tool calls, newest first')
    .addOption(
      new Option('--status <status>', 'only approvals in this status').choices([...APPROVAL_STATUSES]),
    )
    .option('--limit <n>', 'most approvals listed', '100')
    .addOption(format())
    .action(async function (this: Command, opts: ListOptions) {
      await withContext(io, this, (ctx) => listApprovals(ctx, opts));
    });
  approvals
    .command('approve')
    .description('approve a held tool call: the client polling it receives its arguments, signed')
    .argument('<id>', 'approval id (apr_…)')
    .requiredOption('--key <file>', 'private key that signs the decision')
    .option('--passphrase-env <var>', 'passphrase of an encrypted private key')
    .option('--approver <name>', 'who decides (default: $USER)')
    .addOption(format())
    .action(async function (this: Command, id: string, opts: DecideOptions) {
      await withContext(io, this, (ctx) => decide(ctx, id, 'approved', opts));
    });
  approvals
    .command('deny')
    .description('deny a held tool call: the client polling it receives the signed denial')
    .argument('<id>', 'approval id (apr_…)')
    .requiredOption('--reason <text>', 'why, shown to the client')
    .requiredOption('--key <file>', 'private key that signs the decision')
    .option('--passphrase-env <var>', 'passphrase of an encrypted private key')
    .option('--approver <name>', 'who decides (default: $USER)')
    .addOption(format())
    .action(async function (this: Command, id: string, opts: DecideOptions) {
      await withContext(io, this, (ctx) => decide(ctx, id, 'denied', opts));
    });
}

interface ListOptions {
  status?: ApprovalStatus;
  limit: string;
  format: string;
}

interface DecideOptions {
  key: string;
  passphraseEnv?: string;
  approver?: string;
  reason?: string;
  format: string;
}

async function listApprovals(ctx: CliContext, opts: ListOptions): Promise<void> {
  const limit = wholeNumberOption(opts.limit, '--limit');
  if (limit < 1 || limit > 10_000) throw new BulwarkError('USAGE', '--limit must be between 1 and 10000');
  const rows = await (
    await ctx.store()
  ).listApprovals({ limit, ...(opts.status === undefined ? {} : { status: opts.status }) });
  if (opts.format === 'json') {
    await emit(ctx.io, `${JSON.stringify(rows.map(listView), null, 2)}\n`);
    return;
  }
  if (rows.length === 0) {
    await emit(ctx.io, `no ${opts.status === undefined ? '' : `${opts.status} `}approvals\n`);
    return;
  }
  await emit(
    ctx.io,
    rows
      .map(
        (a) =>
          `${a.id}  ${a.status}  ${a.tool}  principal=${a.principal}  model=${a.model}  ` +
          `created=${a.createdAt}  ${a.status === 'pending' ? `expires=${a.expiresAt}` : `by=${a.approver ?? '-'}`}\n`,
      )
      .join(''),
  );
}

/** An approval as listed: the arguments are shown so that the approver sees what they allow. */
function listView({ envelope: _envelope, ...rest }: ApprovalRecord): { [key: string]: JsonValue } {
  return { ...rest };
}

async function decide(
  ctx: CliContext,
  id: string,
  decision: 'approved' | 'denied',
  opts: DecideOptions,
): Promise<void> {
  if (decision === 'denied' && (opts.reason === undefined || opts.reason.trim() === ''))
    throw new BulwarkError('USAGE', '--reason must say why the call is denied');
  const store = await ctx.store();
  const record = await store.getApproval(id);
  if (record === undefined) throw new BulwarkError('NOT_FOUND', `no approval with id ${id}`);
  if (record.status !== 'pending')
    throw new BulwarkError('STORE_CONFLICT', `approval ${id} is already ${record.status}`);
  const signer = await signerFromOptions(ctx, opts);
  const approver = opts.approver ?? ctx.io.env['USER'] ?? ctx.io.env['LOGNAME'] ?? 'unknown';
  const statement = buildApprovalStatement(record, {
    decision,
    approver,
    ...(decision === 'denied' && opts.reason !== undefined ? { reason: opts.reason } : {}),
    decidedAt: new Date().toISOString(),
  });
  const signed = signStatement(statement, [signer]);
  const envelope = JSON.stringify(signed.envelope);
  // The decision is taken atomically first: of two approvers racing, only one signature is kept.
  const decided = await store.decideApproval(id, {
    decision,
    approver,
    ...(decision === 'denied' && opts.reason !== undefined ? { reason: opts.reason } : {}),
    envelope,
  });
  const attestationId = await store.putAttestation({
    subjectDigest: record.argumentsDigest,
    predicateType: TOOL_APPROVAL_PREDICATE,
    envelope,
    keyIds: [signer.keyId],
    payloadDigest: signed.payloadDigest,
  });
  await (
    await ctx.auditLog()
  ).append({
    kind: 'attestation',
    data: {
      action: 'gateway-tool-approval',
      approvalId: id,
      decision,
      approver,
      tool: record.tool,
      principal: record.principal,
      model: record.model,
      requestId: record.requestId,
      ...(decided.reason === undefined ? {} : { reason: decided.reason }),
      attestationIds: [attestationId],
      subjects: [record.argumentsDigest],
      predicateType: TOOL_APPROVAL_PREDICATE,
      payloadDigest: signed.payloadDigest,
      keyIds: [signer.keyId],
    },
  });
  if (opts.format === 'json') {
    await emit(
      ctx.io,
      `${JSON.stringify({ ...listView(decided), envelope: signed.envelope as unknown as JsonValue, attestationId }, null, 2)}\n`,
    );
    return;
  }
  await emit(
    ctx.io,
    `approval ${id} ${decision} by ${approver}: ${record.tool} for ${record.principal} ` +
      `(signed by ${signer.keyId}, attestation ${attestationId})\n`,
  );
}
