import { builtinAllowlistLibrary } from './allowlist.js';
import type { DangerCategory } from './pickle-denylist.js';
import { resolveCompatName } from './pickle-policy-compat.js';
import { findDanger } from './pickle-policy-danger.js';

export { DANGER_CATEGORIES, type DangerCategory } from './pickle-denylist.js';
export { resolveCompatName } from './pickle-policy-compat.js';
export { ALLOWLIST_STATS } from './allowlist.js';

/**
 * What loading a pickle global means: on the allowlist (and from which library), known to be
 * dangerous (with a one-sentence reason for users), or unknown and so requiring review.
 */
export type GlobalVerdict =
  | { readonly kind: 'allowed'; readonly library: string }
  | { readonly kind: 'dangerous'; readonly category: DangerCategory; readonly reason: string }
  | { readonly kind: 'unknown' };

/** A user allowlist entry (`scanners.model.allow`); name `*` accepts every plain name of the module. */
export interface AllowEntry {
  readonly module: string;
  readonly name: string;
}

/** Classifies the globals a pickle imports; built once per scan configuration and reused. */
export interface PicklePolicy {
  /**
   * Classifies `module`/`name` exactly as written in a pickle of `protocol` (the VM's PROTO value, 0
   * when there is none). Without a protocol both the written and the Python 2 mapped spelling are
   * checked for danger.
   */
  classify(module: string, name: string, protocol?: number): GlobalVerdict;
}

const IDENTIFIER = /^[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]*$/u;

function isDottedIdentifier(text: string): boolean {
  return text.split('.').every((part) => IDENTIFIER.test(part));
}

/**
 * Parses a user allowlist entry `module:qualname` (`mypkg.models:MyNet`, `mypkg.models:Outer.Inner`)
 * or `module:*` (every plain name of that module); returns undefined for anything else, such as a
 * missing colon, empty parts, a wildcard in the module or inside a name, or non-identifier characters.
 */
export function parseAllowEntry(text: string): AllowEntry | undefined {
  const trimmed = text.trim();
  const colon = trimmed.indexOf(':');
  if (colon < 0 || trimmed.indexOf(':', colon + 1) >= 0) return undefined;
  const module = trimmed.slice(0, colon).trim();
  const name = trimmed.slice(colon + 1).trim();
  if (!isDottedIdentifier(module)) return undefined;
  if (name !== '*' && !isDottedIdentifier(name)) return undefined;
  return { module, name };
}

/** Verdicts cached per policy at most; a hostile stream naming millions of globals only costs recomputing. */
const MAX_CACHED = 4096;
/** Longer module and name strings are classified every time rather than kept as cache keys. */
const MAX_CACHED_KEY = 1024;

const UNKNOWN: GlobalVerdict = { kind: 'unknown' };

/**
 * Builds the allowlist-first policy: a global is dangerous when the denylist explains why (checked on
 * the Python 3 name, through dotted chains and re-exports), allowed when it is on the built-in or the
 * user allowlist, and unknown otherwise. User entries never turn a dangerous global into an allowed one.
 */
export function createPicklePolicy(options: { allow?: readonly AllowEntry[] } = {}): PicklePolicy {
  const userExact = new Set<string>();
  const userModules = new Set<string>();
  for (const entry of options.allow ?? []) {
    if (entry.name === '*') userModules.add(entry.module);
    else userExact.add(`${entry.module}\n${entry.name}`);
  }

  function allowedLibrary(module: string, name: string): string | undefined {
    const builtin = builtinAllowlistLibrary(module, name);
    if (builtin !== undefined) return builtin;
    if (userExact.has(`${module}\n${name}`)) return 'user';
    if (userModules.has(module) && !name.includes('.')) return 'user';
    return undefined;
  }

  function judge(module: string, name: string, protocol: number | undefined): GlobalVerdict {
    // Below protocol 3 CPython imports the mapped name, or the written one when a loader turns
    // fix_imports off; from protocol 3 on only the written one.
    const mapped = resolveCompatName(module, name, protocol ?? 0);
    const danger =
      findDanger(mapped.module, mapped.name) ??
      (protocol === undefined || protocol < 3 ? findDanger(module, name) : undefined);
    if (danger !== undefined) return { kind: 'dangerous', category: danger.category, reason: danger.reason };
    const library = allowedLibrary(mapped.module, mapped.name);
    return library === undefined ? UNKNOWN : { kind: 'allowed', library };
  }

  const cache = new Map<string, GlobalVerdict>();
  return {
    classify(module, name, protocol) {
      const known = protocol !== undefined && Number.isFinite(protocol) ? protocol : undefined;
      if (module.length + name.length > MAX_CACHED_KEY) return judge(module, name, known);
      const era = known === undefined ? 'any' : known < 3 ? 'py2' : 'py3';
      const key = `${era}\n${module}\n${name}`;
      const cached = cache.get(key);
      if (cached !== undefined) return cached;
      const verdict = judge(module, name, known);
      if (cache.size >= MAX_CACHED) cache.clear();
      cache.set(key, verdict);
      return verdict;
    },
  };
}
