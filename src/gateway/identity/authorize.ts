import { authFailure, type AuthFailure, type Principal } from './principal.js';

/** What a request asks to use. */
export interface AccessRequest {
  readonly model: string;
  /** Names of the tools (functions) the request declares. */
  readonly tools?: readonly string[];
}

/** Allowed, or the first refusal with its reason. */
export type AccessDecision = { readonly ok: true } | AuthFailure;

/**
 * Decides whether a principal may call `model` with `tools` (control G2): both must match one of the
 * principal's patterns. Nothing is allowed by default: an empty list allows nothing.
 */
export function authorize(principal: Principal, request: AccessRequest): AccessDecision {
  if (!matchesAny(principal.models, request.model))
    return authFailure('model-not-allowed', `${principal.id} may not use model ${request.model}`);
  for (const tool of request.tools ?? []) {
    if (!matchesAny(principal.tools, tool))
      return authFailure('tool-not-allowed', `${principal.id} may not use tool ${tool}`);
  }
  return { ok: true };
}

/**
 * Tells whether `name` matches a pattern: `*` matches everything, `prefix*` names starting with the
 * prefix, anything else only itself. No other wildcard exists, so a pattern cannot match by accident.
 */
export function matchesAny(patterns: readonly string[], name: string): boolean {
  return patterns.some((pattern) =>
    pattern.endsWith('*') ? name.startsWith(pattern.slice(0, -1)) : pattern === name,
  );
}
