/**
 * The gateway's tool step for one choice of an answer: check the calls, refuse the answer when
 * the policy says so, hold the sensitive ones as pending approvals and hand the client the calls
 * with held arguments replaced. The server calls it once per choice that carries `tool_calls`.
 */
import type { AuditSink } from '../audit-sink.js';
import {
  checkToolCalls,
  type CompiledTools,
  type InvalidToolCall,
  type ToolCall,
  type ToolVerdict,
} from './check-tool-calls.js';
import {
  holdToolCalls,
  withHeldArguments,
  type ApprovalStore,
  type HeldToolCall,
  type HoldContext,
} from './approvals.js';
import type { ToolPolicy } from './tools-config.js';

/** What the gateway needs for tools: `GatewayDeps.tools`. */
export interface ToolDeps {
  readonly policy: ToolPolicy;
  readonly store: ApprovalStore;
  /** The clock of approval deadlines (default: now). */
  readonly now?: () => Date;
}

/** The tool step's outcome for one choice. */
export interface ToolGuardResult {
  /** The calls to send: held ones carry `{"bulwark_pending_approval":"<id>"}` as arguments. */
  readonly toolCalls: ToolCall[];
  readonly held: readonly HeldToolCall[];
  readonly verdicts: readonly ToolVerdict[];
  /** Set when the answer must be refused: the first call that blocks. */
  readonly blocked?: InvalidToolCall;
}

/** Checks and holds one choice's tool calls; nothing is stored when the answer is refused. */
export async function guardToolCalls(
  toolCalls: readonly ToolCall[],
  tools: CompiledTools,
  deps: ToolDeps & { readonly audit?: AuditSink },
  context: HoldContext,
): Promise<ToolGuardResult> {
  const result = checkToolCalls(toolCalls, tools, deps.policy);
  if (result.blocked) {
    const first = result.invalid.find(
      (p) => p.problem === 'unknown-tool' || deps.policy.validateArguments === 'block',
    );
    return {
      toolCalls: [...toolCalls],
      held: [],
      verdicts: result.verdicts,
      ...(first === undefined ? {} : { blocked: first }),
    };
  }
  const held = await holdToolCalls(deps.store, result.pending, context, {
    ttlSeconds: deps.policy.approvalTtlSeconds,
    ...(deps.now === undefined ? {} : { now: deps.now }),
    ...(deps.audit === undefined ? {} : { audit: deps.audit }),
  });
  return { toolCalls: withHeldArguments(toolCalls, held), held, verdicts: result.verdicts };
}
