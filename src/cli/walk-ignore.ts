import { readFile, stat } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';

/** The ignore files read in every folder, in this order; later patterns win, as within one file. */
export const IGNORE_FILE_NAMES = ['.gitignore', '.bulwarkignore'] as const;

/** The patterns of one folder (or the extra patterns of a scan), anchored at `base`. */
export interface IgnoreLayer {
  /** Absolute folder the patterns are relative to. */
  readonly base: string;
  readonly matcher: Ignore;
}

/** A layer stack, shallowest first, plus extra patterns that take precedence over every file. */
export interface IgnoreRules {
  readonly layers: readonly IgnoreLayer[];
  readonly extra?: IgnoreLayer;
}

/**
 * Tells whether an entry is ignored with git's precedence: the extra patterns first, then the
 * `.gitignore`/`.bulwarkignore` of the deepest folder that has a matching pattern (negations
 * included) decides; patterns are relative to the folder that holds the file. Entries of an ignored
 * folder are never asked about, because the walk does not enter it.
 */
export function isIgnored(rules: IgnoreRules, absPath: string, isDir: boolean): boolean {
  const layers = rules.extra === undefined ? rules.layers : [...rules.layers, rules.extra];
  for (let i = layers.length - 1; i >= 0; i--) {
    const layer = layers[i];
    if (layer === undefined) continue;
    const verdict = testLayer(layer, absPath, isDir);
    if (verdict !== undefined) return verdict;
  }
  return false;
}

/** A layer's verdict on one path, or undefined when none of its patterns speaks about the path itself. */
function testLayer(layer: IgnoreLayer, absPath: string, isDir: boolean): boolean | undefined {
  const rel = relative(layer.base, absPath).split(sep).join('/');
  if (rel === '' || rel.startsWith('../') || rel === '..') return undefined;
  try {
    const result = layer.matcher.test(isDir ? `${rel}/` : rel);
    if (result.unignored) return false;
    if (!result.ignored) return undefined;
    // `ignore` also reports a path as ignored when one of its parent folders is. The walk entered
    // that folder, so a deeper layer (or the command line) re-included it: this layer has no say.
    const slash = rel.lastIndexOf('/');
    if (slash > 0 && layer.matcher.test(`${rel.slice(0, slash)}/`).ignored) return undefined;
    return true;
  } catch {
    return undefined; // a name `ignore` cannot test (e.g. with a backslash on Windows) is not ignored
  }
}

/**
 * Builds a layer from gitignore text (whole files, or single patterns), or undefined when it holds
 * no pattern. Matching is case-sensitive, as git on Linux: a case-insensitive match would skip more.
 */
export function layerOf(base: string, texts: readonly string[]): IgnoreLayer | undefined {
  const lines = texts.flatMap((text) => text.split(/\r?\n/)).filter((line) => line.trim() !== '');
  if (lines.length === 0) return undefined;
  return { base, matcher: ignore({ ignorecase: false }).add(lines) };
}

/**
 * Reads the ignore files of one folder into a layer. Files that cannot be read are returned by name
 * with the error code, for the walker to report; a missing file is not an error.
 */
export async function readIgnoreLayer(
  dir: string,
  names: ReadonlySet<string>,
): Promise<{ layer?: IgnoreLayer; unreadable: { name: string; code: string }[] }> {
  const texts: string[] = [];
  const unreadable: { name: string; code: string }[] = [];
  for (const name of IGNORE_FILE_NAMES) {
    if (!names.has(name)) continue;
    try {
      texts.push(await readFile(join(dir, name), 'utf8'));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      if (code !== 'ENOENT') unreadable.push({ name, code });
    }
  }
  const layer = layerOf(dir, texts);
  return layer === undefined ? { unreadable } : { layer, unreadable };
}

/**
 * Layers of the folders above `root` up to the top of its git work tree (the nearest folder holding
 * `.git`), so `bulwark scan models/` honours the repository's ignore files like `bulwark scan .`.
 * Outside a git work tree there are none.
 */
export async function ancestorLayers(root: string): Promise<IgnoreLayer[]> {
  const chain: string[] = [];
  let dir = root;
  for (;;) {
    if (await exists(join(dir, '.git'))) break;
    const parent = dirname(dir);
    if (parent === dir) return [];
    dir = parent;
    chain.unshift(dir);
  }
  const layers: IgnoreLayer[] = [];
  for (const folder of chain) {
    const { layer } = await readIgnoreLayer(folder, new Set(IGNORE_FILE_NAMES));
    if (layer !== undefined) layers.push(layer);
  }
  return layers;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
