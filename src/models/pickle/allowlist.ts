import { CATBOOST_ALLOWLIST, LIGHTGBM_ALLOWLIST, XGBOOST_ALLOWLIST } from './allowlist-boosting.js';
import {
  ACCELERATE_ALLOWLIST,
  PEFT_ALLOWLIST,
  TOKENIZERS_ALLOWLIST,
  TRANSFORMERS_ALLOWLIST,
} from './allowlist-huggingface.js';
import { LIGHTNING_ALLOWLIST, OMEGACONF_ALLOWLIST } from './allowlist-lightning.js';
import { NUMPY_ALLOWLIST, SCIPY_ALLOWLIST } from './allowlist-numpy.js';
import { PANDAS_ALLOWLIST } from './allowlist-pandas.js';
import { DATEUTIL_ALLOWLIST, PYTHON_ALLOWLIST, PYTZ_ALLOWLIST } from './allowlist-python.js';
import { PYTORCH_ALLOWLIST } from './allowlist-pytorch.js';
import { JOBLIB_ALLOWLIST, SKLEARN_ALLOWLIST } from './allowlist-sklearn.js';

/**
 * One library's part of the built-in allowlist: for each module, the exact qualified names ordinary
 * checkpoints pickle from it, written as space-separated words. No wildcards.
 */
export interface LibraryAllowlist {
  readonly library: string;
  readonly modules: Readonly<Record<string, readonly string[]>>;
}

/** One exact global of the built-in allowlist. */
export interface AllowlistEntry {
  readonly module: string;
  readonly name: string;
  readonly library: string;
}

/** Every library part of the built-in allowlist, in documentation order. */
export const BUILTIN_ALLOWLISTS: readonly LibraryAllowlist[] = [
  PYTHON_ALLOWLIST,
  PYTORCH_ALLOWLIST,
  NUMPY_ALLOWLIST,
  SCIPY_ALLOWLIST,
  SKLEARN_ALLOWLIST,
  JOBLIB_ALLOWLIST,
  PANDAS_ALLOWLIST,
  XGBOOST_ALLOWLIST,
  LIGHTGBM_ALLOWLIST,
  CATBOOST_ALLOWLIST,
  TRANSFORMERS_ALLOWLIST,
  TOKENIZERS_ALLOWLIST,
  ACCELERATE_ALLOWLIST,
  PEFT_ALLOWLIST,
  OMEGACONF_ALLOWLIST,
  LIGHTNING_ALLOWLIST,
  PYTZ_ALLOWLIST,
  DATEUTIL_ALLOWLIST,
];

/** Every exact global of the built-in allowlist (duplicates across libraries kept, first wins on lookup). */
export function listBuiltinAllowlist(): AllowlistEntry[] {
  return BUILTIN_ALLOWLISTS.flatMap(({ library, modules }) =>
    Object.entries(modules).flatMap(([module, texts]) =>
      texts
        .flatMap((t) => t.split(/\s+/))
        .filter((name) => name !== '')
        .map((name) => ({ module, name, library })),
    ),
  );
}

function keyOf(module: string, name: string): string {
  return `${module}\n${name}`;
}

const INDEX: ReadonlyMap<string, string> = (() => {
  const index = new Map<string, string>();
  for (const entry of listBuiltinAllowlist()) {
    const key = keyOf(entry.module, entry.name);
    if (!index.has(key)) index.set(key, entry.library);
  }
  return index;
})();

/**
 * The library whose allowlist holds exactly `module`/`name` (as Python 3 imports it), or undefined.
 * Callers check the denylist first: being listed here never outweighs a dangerous verdict.
 */
export function builtinAllowlistLibrary(module: string, name: string): string | undefined {
  return INDEX.get(keyOf(module, name));
}

/** How many distinct globals the built-in allowlist holds per library, for the documentation. */
export const ALLOWLIST_STATS: Readonly<Record<string, number>> = (() => {
  const counts: Record<string, number> = {};
  for (const library of INDEX.values()) counts[library] = (counts[library] ?? 0) + 1;
  return Object.freeze(counts);
})();
