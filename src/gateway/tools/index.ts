export {
  checkToolCalls,
  compileTools,
  MAX_TOOL_ARGUMENTS_LENGTH,
  TOOL_CALL_PROBLEMS,
  type CompiledTools,
  type DeclaredTool,
  type InvalidToolCall,
  type SensitiveToolCall,
  type ToolCall,
  type ToolCallProblem,
  type ToolCheckResult,
  type ToolVerdict,
} from './check-tool-calls.js';
export {
  approvalPath,
  approvalView,
  buildApprovalStatement,
  holdToolCalls,
  pendingApprovalsField,
  PENDING_APPROVAL_KEY,
  TOOL_APPROVAL_PREDICATE,
  withHeldArguments,
  type ApprovalDecision,
  type ApprovalStore,
  type HeldToolCall,
  type HoldContext,
  type HoldOptions,
} from './approvals.js';
export { registerApprovalRoutes, type ApprovalRouteDeps } from './approval-routes.js';
export {
  createToolCallCollector,
  type ToolCallCollector,
  type ToolCallDelta,
} from './tool-call-collector.js';
export { guardToolCalls, type ToolDeps, type ToolGuardResult } from './tool-guard.js';
export {
  TOOL_VALIDATION_MODES,
  toolSettingsSchema,
  type ToolPolicy,
  type ToolValidationMode,
} from './tools-config.js';
