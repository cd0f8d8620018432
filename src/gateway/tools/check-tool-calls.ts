/**
 * Tool calls in a model's answer (issue 7, tools and agents). In OpenAI tool calling the client runs
 * the tools, so the gateway's part is to make sure what it hands over is what the caller declared:
 * every call names a tool of the request and its `arguments` satisfy that tool's JSON schema (a
 * model steered by injected content will happily call `delete_repo` with arguments no schema
 * allows). Calls of sensitive tools are separated out so that a human decides before the client
 * ever sees their arguments.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { matchesAny } from '../identity/authorize.js';
import { badRequest } from '../openai-errors.js';
import type { ToolValidationMode } from './tools-config.js';

/** A tool call as OpenAI answers carry it (`choices[].message.tool_calls[]`). */
export interface ToolCall {
  readonly id: string;
  readonly type: string;
  readonly function: { readonly name: string; readonly arguments: string };
}

/** A tool as a request declares it (`tools[]`). */
export interface DeclaredTool {
  readonly type: string;
  readonly function: { readonly name: string; readonly parameters?: Record<string, unknown> };
}

/** The request's tools with their argument schemas compiled, built once per request. */
export interface CompiledTools {
  /** Tool name → its argument check; a tool without `parameters` accepts any JSON object. */
  readonly validators: ReadonlyMap<string, ValidateFunction | undefined>;
}

/** Why a tool call is invalid. */
export const TOOL_CALL_PROBLEMS = ['unknown-tool', 'arguments-not-json', 'arguments-invalid'] as const;

/** One of {@link TOOL_CALL_PROBLEMS}. */
export type ToolCallProblem = (typeof TOOL_CALL_PROBLEMS)[number];

/** An invalid call and why; `message` never repeats the argument values. */
export interface InvalidToolCall {
  readonly toolCallId: string;
  readonly name: string;
  readonly problem: ToolCallProblem;
  readonly message: string;
}

/** A call of a sensitive tool, to be held until a human decides. */
export interface SensitiveToolCall {
  readonly toolCallId: string;
  readonly name: string;
  readonly arguments: string;
}

/** One verdict for the audit log and metrics, in the shape the gateway records. */
export interface ToolVerdict {
  readonly guard: 'tools';
  readonly action: 'block' | 'flag' | 'hold';
  readonly message: string;
}

/** What {@link checkToolCalls} found in one choice's tool calls. */
export interface ToolCheckResult {
  readonly verdicts: readonly ToolVerdict[];
  /** Sensitive calls to hold (never includes a call that blocks). */
  readonly pending: readonly SensitiveToolCall[];
  readonly invalid: readonly InvalidToolCall[];
  /** True when the answer must be refused. */
  readonly blocked: boolean;
}

/** Longest `arguments` text parsed (1 Mi characters); a longer one is invalid. */
export const MAX_TOOL_ARGUMENTS_LENGTH = 1024 * 1024;

/**
 * Compiles the argument schemas of the request's tools (JSON Schema 2020-12, once per request);
 * a schema ajv cannot compile is the caller's mistake, answered with a 400 naming the tool.
 */
export function compileTools(requestTools: readonly DeclaredTool[] | undefined): CompiledTools {
  // Formats (email, uri, date-time…) are checked, not ignored: tool schemas lean on them.
  const ajv = new Ajv2020({ strict: false, allErrors: false, logger: false });
  addFormats.default(ajv);
  const validators = new Map<string, ValidateFunction | undefined>();
  for (const [index, tool] of (requestTools ?? []).entries()) {
    const { name, parameters } = tool.function;
    if (parameters === undefined) {
      validators.set(name, undefined);
      continue;
    }
    try {
      validators.set(name, ajv.compile(parameters));
    } catch {
      throw badRequest(
        `tools[${index}].function.parameters of '${name}' is not a valid JSON schema.`,
        `tools[${index}].function.parameters`,
      );
    }
  }
  return { validators };
}

/**
 * Checks one choice's tool calls against the request's tools and the policy: a call of a tool the
 * request did not declare always blocks (the key's tool allowlist was checked on the declared tools
 * only, so an undeclared call would bypass it); argument problems block, flag or are not looked for
 * per `validateArguments`; valid (or flagged) calls of sensitive tools come back in `pending`.
 */
export function checkToolCalls(
  toolCalls: readonly ToolCall[],
  tools: CompiledTools,
  policy: { readonly sensitive: readonly string[]; readonly validateArguments: ToolValidationMode },
): ToolCheckResult {
  const verdicts: ToolVerdict[] = [];
  const pending: SensitiveToolCall[] = [];
  const invalid: InvalidToolCall[] = [];
  let blocked = false;
  for (const call of toolCalls) {
    const name = call.function.name;
    const problem = problemOf(call, tools, policy.validateArguments !== 'off');
    if (problem !== undefined) {
      invalid.push(problem);
      const blocks = problem.problem === 'unknown-tool' || policy.validateArguments === 'block';
      blocked ||= blocks;
      verdicts.push({ guard: 'tools', action: blocks ? 'block' : 'flag', message: problem.message });
      if (blocks) continue;
    }
    if (matchesAny(policy.sensitive, name)) {
      pending.push({ toolCallId: call.id, name, arguments: call.function.arguments });
      verdicts.push({
        guard: 'tools',
        action: 'hold',
        message: `the sensitive tool '${name}' awaits approval`,
      });
    }
  }
  return { verdicts, pending: blocked ? [] : pending, invalid, blocked };
}

function problemOf(call: ToolCall, tools: CompiledTools, validate: boolean): InvalidToolCall | undefined {
  const name = call.function.name;
  const invalid = (problem: ToolCallProblem, message: string): InvalidToolCall => ({
    toolCallId: call.id,
    name,
    problem,
    message,
  });
  if (!tools.validators.has(name))
    return invalid('unknown-tool', `the model called '${name}', a tool the request did not declare`);
  if (!validate) return undefined;
  const text = call.function.arguments;
  let value: unknown;
  try {
    if (text.length > MAX_TOOL_ARGUMENTS_LENGTH) throw new RangeError('too long');
    value = JSON.parse(text);
  } catch {
    return invalid('arguments-not-json', `the arguments of '${name}' are not a JSON object`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return invalid('arguments-not-json', `the arguments of '${name}' are not a JSON object`);
  const validator = tools.validators.get(name);
  if (validator === undefined || validator(value)) return undefined;
  const first = validator.errors?.[0];
  const where =
    first?.instancePath === undefined || first.instancePath === '' ? '' : ` at ${first.instancePath}`;
  return invalid(
    'arguments-invalid',
    `the arguments of '${name}' do not match its schema${where}: ${first?.message ?? 'invalid'}`,
  );
}
