/**
 * Held tool calls (issue 7, tools and agents). In OpenAI tool calling the client runs the tools, so
 * the gateway never runs a sensitive tool itself; it withholds the call's arguments until a human
 * decides. The flow:
 *
 * 1. The model answers with a call of a tool listed in `gateway.tools.sensitive`. The gateway stores
 *    a pending approval (arguments and their digest, principal, model, request id, deadline) and
 *    answers 200 as usual, `finish_reason: "tool_calls"`, but the call's `function.arguments` is
 *    `{"bulwark_pending_approval":"apr_…"}` and a top-level `bulwark.pending_approvals[]` lists
 *    `{ id, tool_call_id, tool, status, expires_at, poll }` (in a stream: on the tool-call chunk).
 * 2. A human runs `bulwark gateway approvals list`, then `approve ID --key KEY` or
 *    `deny ID --reason TEXT --key KEY`. The decision is signed as an in-toto statement
 *    ({@link TOOL_APPROVAL_PREDICATE}) whose subject is the digest of the exact arguments, stored
 *    with the approval and as an attestation, and appended to the audit log.
 * 3. The client polls `GET /v1/bulwark/approvals/ID` with its own credentials (others get 404):
 *    `pending`, `expired`, `denied` with the reason, or `approved` with the original `arguments`;
 *    decided ones carry the DSSE `envelope`, which the client (or its tool runner) verifies
 *    against the approver's public key before running the tool.
 */
import { randomBytes } from 'node:crypto';
import { buildStatement, type Statement } from '../../core/attestation.js';
import { sha256Digest, type Digest } from '../../core/digest.js';
import type { JsonValue } from '../../core/findings.js';
import type { ApprovalRecord, Store } from '../../store/store.js';
import type { AuditSink } from '../audit-sink.js';
import type { SensitiveToolCall, ToolCall } from './check-tool-calls.js';

/** The predicate type of a signed tool-call decision. */
export const TOOL_APPROVAL_PREDICATE = 'https://bulwark.dev/attestation/tool-approval/v1';

/** The key that replaces a held call's arguments: `{"bulwark_pending_approval":"<id>"}`. */
export const PENDING_APPROVAL_KEY = 'bulwark_pending_approval';

/** The path a client polls for an approval. */
export const approvalPath = (id: string): string => `/v1/bulwark/approvals/${encodeURIComponent(id)}`;

/** The store methods approvals use. */
export type ApprovalStore = Pick<Store, 'putApproval' | 'getApproval' | 'listApprovals' | 'decideApproval'>;

/** Who asked and where, recorded with every held call. */
export interface HoldContext {
  readonly requestId: string;
  readonly principal: string;
  readonly model: string;
}

/** Options of {@link holdToolCalls}. */
export interface HoldOptions {
  /** Seconds a held call waits for a decision. */
  readonly ttlSeconds: number;
  /** The clock (default: now). */
  readonly now?: () => Date;
  /** When given, one `gateway.tool-approval.pending` event per held call goes to the audit log. */
  readonly audit?: AuditSink;
}

/** A held call as the client learns of it. */
export interface HeldToolCall {
  readonly id: string;
  readonly toolCallId: string;
  readonly tool: string;
  readonly expiresAt: string;
}

/** Stores each sensitive call as a pending approval and returns what the client is told. */
export async function holdToolCalls(
  store: Pick<ApprovalStore, 'putApproval'>,
  calls: readonly SensitiveToolCall[],
  context: HoldContext,
  options: HoldOptions,
): Promise<HeldToolCall[]> {
  const now = (options.now ?? (() => new Date()))();
  const expiresAt = new Date(now.getTime() + options.ttlSeconds * 1000).toISOString();
  const held: HeldToolCall[] = [];
  for (const call of calls) {
    // Unguessable, although the poll also checks that the caller is the one who made the request.
    const id = `apr_${randomBytes(18).toString('base64url')}`;
    const argumentsDigest = sha256Digest(call.arguments);
    await store.putApproval({
      id,
      requestId: context.requestId,
      principal: context.principal,
      model: context.model,
      tool: call.name,
      toolCallId: call.toolCallId,
      arguments: call.arguments,
      argumentsDigest,
      expiresAt,
    });
    options.audit?.record({
      type: 'gateway.tool-approval.pending',
      approvalId: id,
      requestId: context.requestId,
      principal: context.principal,
      model: context.model,
      tool: call.name,
      toolCallId: call.toolCallId,
      argumentsDigest,
      expiresAt,
    });
    held.push({ id, toolCallId: call.toolCallId, tool: call.name, expiresAt });
  }
  return held;
}

/** The tool calls with each held call's arguments replaced by the reference to its approval. */
export function withHeldArguments<T extends ToolCall>(
  toolCalls: readonly T[],
  held: readonly HeldToolCall[],
): T[] {
  const byCall = new Map(held.map((h) => [h.toolCallId, h]));
  return toolCalls.map((call) => {
    const approval = byCall.get(call.id);
    if (approval === undefined) return call;
    return {
      ...call,
      function: { ...call.function, arguments: JSON.stringify({ [PENDING_APPROVAL_KEY]: approval.id }) },
    };
  });
}

/** The top-level `bulwark` field of an answer with held calls. */
export function pendingApprovalsField(held: readonly HeldToolCall[]): { [key: string]: JsonValue } {
  return {
    pending_approvals: held.map((h) => ({
      id: h.id,
      tool_call_id: h.toolCallId,
      tool: h.tool,
      status: 'pending',
      expires_at: h.expiresAt,
      poll: approvalPath(h.id),
    })),
  };
}

/** A human decision, before it is signed. */
export interface ApprovalDecision {
  readonly decision: 'approved' | 'denied';
  readonly approver: string;
  readonly reason?: string;
  readonly decidedAt: string;
}

/**
 * The in-toto statement of a decision: its subject is the digest of the exact arguments, so the
 * signature approves that call and no other.
 */
export function buildApprovalStatement(record: ApprovalRecord, decision: ApprovalDecision): Statement {
  return buildStatement({
    subjects: [{ name: `tool-call:${record.id}`, digest: record.argumentsDigest as Digest }],
    predicateType: TOOL_APPROVAL_PREDICATE,
    predicate: {
      approvalId: record.id,
      requestId: record.requestId,
      principal: record.principal,
      model: record.model,
      tool: record.tool,
      toolCallId: record.toolCallId,
      argumentsDigest: record.argumentsDigest,
      decision: decision.decision,
      approver: decision.approver,
      ...(decision.reason === undefined ? {} : { reason: decision.reason }),
      decidedAt: decision.decidedAt,
      requestedAt: record.createdAt,
    },
  });
}

/**
 * What the polling client sees: the arguments only once approved, the reason once denied, and the
 * signed decision (DSSE envelope) either way.
 */
export function approvalView(record: ApprovalRecord): { [key: string]: JsonValue } {
  return {
    id: record.id,
    object: 'bulwark.tool_approval',
    status: record.status,
    tool: record.tool,
    tool_call_id: record.toolCallId,
    request_id: record.requestId,
    model: record.model,
    arguments_digest: record.argumentsDigest,
    created_at: record.createdAt,
    expires_at: record.expiresAt,
    ...(record.status === 'approved' ? { arguments: record.arguments } : {}),
    ...(record.decidedAt === undefined ? {} : { decided_at: record.decidedAt }),
    ...(record.approver === undefined ? {} : { approver: record.approver }),
    ...(record.reason === undefined ? {} : { reason: record.reason }),
    ...(record.envelope === undefined ? {} : { envelope: JSON.parse(record.envelope) as JsonValue }),
  };
}
