import type { Dirent, Stats } from 'node:fs';
import { lstat, readdir, readlink, realpath, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { BulwarkError } from '../core/errors.js';
import type { ScanLimits } from '../core/scan/types.js';
import type { ProblemWalkEntry, WalkEntry, WalkProblem } from '../core/scan/walk-entry.js';
import { openFileSource } from './file-source.js';
import { ancestorLayers, isIgnored, layerOf, readIgnoreLayer, type IgnoreRules } from './walk-ignore.js';

/** Options of `walkPaths`. */
export interface WalkOptions {
  readonly limits: ScanLimits;
  /** Extra gitignore-style patterns, relative to each folder given; they win over ignore files. */
  readonly ignore?: readonly string[];
  /** Follow symbolic links whose target stays inside the folder being walked (default false). */
  readonly followSymlinks?: boolean;
  /** Folder that relative paths are resolved against and entry paths are relative to. */
  readonly cwd: string;
  /** Read `.gitignore` and `.bulwarkignore` files (default true). */
  readonly ignoreFiles?: boolean;
}

/** Names never walked: git's database and Bulwark's own evidence folder. */
const ALWAYS_SKIPPED = new Set(['.git', '.bulwark']);

interface Root {
  readonly abs: string;
  readonly real: string;
  readonly display: string;
  readonly stats: Stats;
}

interface Frame {
  readonly abs: string;
  readonly display: string;
  readonly depth: number;
  readonly rules: IgnoreRules;
  readonly entries: Dirent[];
  next: number;
}

type EntryType = 'file' | 'dir' | 'symlink' | 'vanished' | { special: string };

/**
 * Walks files and folders for `bulwark scan`, yielding walk entries in a stable order (roots as
 * given, then each folder's entries sorted by name, depth first).
 *
 * - Paths are relative to `cwd` with `/` separators (the folder itself is `.`), so SARIF URIs resolve
 *   against the working folder; a path outside `cwd` is absolute. A root nested in another is dropped.
 * - `.gitignore` and `.bulwarkignore` apply with git's semantics (patterns relative to their folder,
 *   deeper files and later patterns win, negations), including those of parent folders up to the top
 *   of the git work tree; extra `ignore` patterns win over both. `.git/` and `.bulwark/` are always
 *   skipped. A file named on the command line is scanned even when an ignore file lists it.
 * - Symbolic links are not followed: one pointing outside its root is reported (`symlink-outside`),
 *   one inside is skipped, as its target is walked anyway. With `followSymlinks`, inside links are
 *   followed and each real folder is walked once, which stops loops. Links named on the command line
 *   are followed.
 * - Folders deeper than `maxDepth` below a root, files past `maxFiles`, unreadable entries and
 *   devices, FIFOs and sockets become problem entries, never errors.
 *
 * Throws `INPUT_NOT_FOUND` for a path that does not exist, before yielding anything.
 */
export async function* walkPaths(paths: readonly string[], options: WalkOptions): AsyncGenerator<WalkEntry> {
  if (paths.length === 0) throw new BulwarkError('USAGE', 'no paths to scan');
  const cwd = resolve(options.cwd);
  const roots = dropNestedRoots(await Promise.all(paths.map((p) => resolveRoot(p, cwd))));
  const walker = new Walker(options, new Set(roots.filter((r) => r.stats.isFile()).map((r) => r.abs)));
  for (const root of roots) {
    if (walker.stopped) return;
    if (root.stats.isDirectory()) yield* walker.walkRoot(root);
    else if (root.stats.isFile()) yield* walker.file(root.abs, root.display, true);
    else yield problem(root.display, 'special-file', specialName(root.stats));
  }
}

class Walker {
  stopped = false;
  #files = 0;
  readonly #visited = new Set<string>();
  readonly #follow: boolean;
  readonly #useIgnoreFiles: boolean;

  /** `explicitFiles` are roots given as files: yielded as roots, so the folder walks skip them. */
  constructor(
    private readonly options: WalkOptions,
    private readonly explicitFiles: ReadonlySet<string>,
  ) {
    this.#follow = options.followSymlinks ?? false;
    this.#useIgnoreFiles = options.ignoreFiles ?? true;
  }

  async *walkRoot(root: Root): AsyncGenerator<WalkEntry> {
    const extra = layerOf(root.abs, this.options.ignore ?? []);
    const layers = this.#useIgnoreFiles ? await ancestorLayers(root.abs) : [];
    const rules: IgnoreRules = extra === undefined ? { layers } : { layers, extra };
    this.#visited.add(root.real);
    const stack: Frame[] = [];
    yield* this.#enter(stack, root.abs, root.display, 0, rules);
    while (stack.length > 0 && !this.stopped) {
      const frame = stack[stack.length - 1];
      const dirent = frame?.entries[frame.next++];
      if (frame === undefined || dirent === undefined) {
        stack.pop();
        continue;
      }
      if (ALWAYS_SKIPPED.has(dirent.name)) continue;
      const abs = join(frame.abs, dirent.name);
      const display = childPath(frame.display, dirent.name);
      const type = await entryType(dirent, abs);
      if (isIgnored(frame.rules, abs, type === 'dir')) continue;
      if (type === 'file') {
        if (!this.explicitFiles.has(abs)) yield* this.file(abs, display, false);
      } else if (type === 'dir') yield* this.#enter(stack, abs, display, frame.depth + 1, frame.rules);
      else if (type === 'symlink') yield* this.#link(stack, root, frame, abs, display);
      else if (type === 'vanished') yield problem(display, 'unreadable', 'vanished during the scan');
      else yield problem(display, 'special-file', type.special);
    }
  }

  /** Yields a file entry, or the file-limit problem that ends the walk. */
  async *file(abs: string, display: string, follow: boolean): AsyncGenerator<WalkEntry> {
    const { maxFiles } = this.options.limits;
    if (this.#files >= maxFiles) {
      this.stopped = true;
      yield problem(display, 'file-limit', `stopped after ${maxFiles} files`);
      return;
    }
    let stats: Stats;
    try {
      stats = follow ? await stat(abs) : await lstat(abs);
    } catch (error) {
      yield problem(display, 'unreadable', errorDetail(error));
      return;
    }
    if (!stats.isFile()) {
      yield problem(display, 'unreadable', 'replaced by something else during the scan');
      return;
    }
    this.#files++;
    yield {
      kind: 'file',
      path: display,
      size: stats.size,
      open: () => openFileSource(abs, { followSymlinks: follow }),
    };
  }

  /** Reads a folder into a new frame (with its ignore files), or reports why it cannot. */
  async *#enter(
    stack: Frame[],
    abs: string,
    display: string,
    depth: number,
    parent: IgnoreRules,
  ): AsyncGenerator<WalkEntry> {
    if (depth > this.options.limits.maxDepth) {
      yield problem(display, 'depth-limit', `${depth} levels below the scanned folder`);
      return;
    }
    let entries: Dirent[];
    try {
      entries = await readdir(abs, { withFileTypes: true });
    } catch (error) {
      yield problem(display, 'unreadable', errorDetail(error));
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    if (this.#follow) this.#visited.add(await realpath(abs).catch(() => abs));
    let rules = parent;
    if (this.#useIgnoreFiles) {
      const { layer, unreadable } = await readIgnoreLayer(abs, new Set(entries.map((e) => e.name)));
      for (const { name, code } of unreadable) yield problem(childPath(display, name), 'unreadable', code);
      if (layer !== undefined) rules = { ...parent, layers: [...parent.layers, layer] };
    }
    stack.push({ abs, display, depth, rules, entries, next: 0 });
  }

  async *#link(
    stack: Frame[],
    root: Root,
    frame: Frame,
    abs: string,
    display: string,
  ): AsyncGenerator<WalkEntry> {
    const text = await readlink(abs).catch(() => '?');
    let target: string;
    try {
      target = await realpath(abs);
    } catch {
      // Dangling or looping: nothing to scan, but say so when it aims outside the root.
      const lexical = resolve(dirname(abs), text);
      if (!isInside(root.abs, lexical) && !isInside(root.real, lexical)) {
        yield problem(display, 'symlink-outside', `points to ${text}, which does not exist`);
      }
      return;
    }
    if (!isInside(root.real, target)) {
      yield problem(display, 'symlink-outside', `points to ${text}`);
      return;
    }
    if (!this.#follow) return;
    let stats: Stats;
    try {
      stats = await stat(abs);
    } catch (error) {
      yield problem(display, 'unreadable', errorDetail(error));
      return;
    }
    if (stats.isFile()) yield* this.file(abs, display, true);
    else if (stats.isDirectory()) {
      if (this.#visited.has(target)) return; // walked already, or a loop back up the tree
      yield* this.#enter(stack, abs, display, frame.depth + 1, frame.rules);
    } else yield problem(display, 'special-file', specialName(stats));
  }
}

async function resolveRoot(given: string, cwd: string): Promise<Root> {
  const abs = resolve(cwd, given);
  try {
    const stats = await stat(abs);
    return { abs, real: await realpath(abs), display: displayPath(cwd, abs), stats };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new BulwarkError('INPUT_NOT_FOUND', `no such file or directory: ${given}`, { cause: error });
    }
    throw new BulwarkError('INPUT_UNREADABLE', `cannot read ${given}: ${code ?? 'error'}`, { cause: error });
  }
}

/**
 * Keeps the first of identical roots and drops folders inside another folder root, in the order
 * given. Files stay: a file named explicitly is scanned even where its folder's walk would ignore it.
 */
function dropNestedRoots(roots: readonly Root[]): Root[] {
  return roots.filter(
    (root, i) =>
      !roots.some((other, j) =>
        other.abs === root.abs
          ? j < i
          : root.stats.isDirectory() && other.stats.isDirectory() && isInside(other.abs, root.abs),
      ),
  );
}

/** The display path of an absolute path: relative to `cwd` with `/`, or absolute when outside it. */
function displayPath(cwd: string, abs: string): string {
  const rel = relative(cwd, abs);
  if (rel === '') return '.';
  if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return abs.split(sep).join('/');
  return rel.split(sep).join('/');
}

function childPath(parent: string, name: string): string {
  if (parent === '.') return name;
  return parent.endsWith('/') ? `${parent}${name}` : `${parent}/${name}`;
}

function isInside(dir: string, path: string): boolean {
  return path === dir || path.startsWith(dir.endsWith(sep) ? dir : `${dir}${sep}`);
}

async function entryType(dirent: Dirent, abs: string): Promise<EntryType> {
  if (dirent.isFile()) return 'file';
  if (dirent.isDirectory()) return 'dir';
  if (dirent.isSymbolicLink()) return 'symlink';
  if (dirent.isFIFO() || dirent.isSocket() || dirent.isBlockDevice() || dirent.isCharacterDevice()) {
    return { special: specialName(dirent) };
  }
  // Some file systems do not report the type in the listing.
  try {
    const stats = await lstat(abs);
    if (stats.isFile()) return 'file';
    if (stats.isDirectory()) return 'dir';
    if (stats.isSymbolicLink()) return 'symlink';
    return { special: specialName(stats) };
  } catch {
    return 'vanished';
  }
}

function specialName(entry: Dirent | Stats): string {
  if (entry.isFIFO()) return 'FIFO';
  if (entry.isSocket()) return 'socket';
  if (entry.isBlockDevice()) return 'block device';
  if (entry.isCharacterDevice()) return 'character device';
  return 'unknown file type';
}

function problem(path: string, kind: WalkProblem, detail: string): ProblemWalkEntry {
  return { kind: 'problem', path, problem: kind, detail };
}

function errorDetail(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'vanished during the scan';
  if (code === 'EACCES' || code === 'EPERM') return `permission denied (${code})`;
  return code ?? (error instanceof Error ? error.message : String(error));
}
