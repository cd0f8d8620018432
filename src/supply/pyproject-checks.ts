import type { FindingSink } from './check-context.js';
import { checkPackageName, checkSourceUrl, checkVcsReference } from './common-checks.js';
import { isExactPin, parsePep508 } from './pep508.js';
import { checkPyprojectIndexes } from './pyproject-indexes.js';
import { UNPARSABLE_MANIFEST, UNPINNED_DEPENDENCY } from './rules.js';
import { TomlLocator } from './toml-locator.js';
import {
  arrayOf,
  innerSpan,
  parseTomlDocument,
  spanOf,
  stringOf,
  tableAt,
  tableOf,
  type Offsets,
  type TomlTable,
} from './toml-support.js';

/** How a list of PEP 508 strings in `pyproject.toml` is used, which sets the pinning severity. */
type ListRole = 'runtime' | 'build';

interface PyprojectState {
  readonly sink: FindingSink;
  readonly text: string;
  readonly locator: TomlLocator;
  readonly malformed: { offsets: Offsets; message: string }[];
  readonly fallback: Offsets;
}

/**
 * Checks a `pyproject.toml`: the PEP 508 lists of `[project]`, `[dependency-groups]`,
 * `[build-system]`, `[tool.uv]` and `[tool.pdm]`, Poetry's dependency tables, and the indexes and
 * sources of Poetry, uv and PDM. Version ranges are normal in a library's metadata, so they are
 * reported only at info (low when no constraint is given at all); VCS refs, typosquats and index
 * problems keep their full severity.
 */
export function checkPyproject(sink: FindingSink, text: string): void {
  const doc = parseTomlDocument(sink, text, 'pyproject.toml');
  if (doc === undefined) return;
  const state: PyprojectState = {
    sink,
    text,
    locator: new TomlLocator(text),
    malformed: [],
    fallback: sink.lines.lineRange(1),
  };
  const project = tableOf(doc['project']);
  checkList(state, project?.['dependencies'], ['project', 'dependencies'], 'runtime');
  const optional = tableOf(project?.['optional-dependencies']) ?? {};
  for (const [group, list] of Object.entries(optional)) {
    checkList(state, list, ['project', 'optional-dependencies', group], 'runtime');
  }
  for (const [group, list] of Object.entries(tableOf(doc['dependency-groups']) ?? {})) {
    checkList(state, list, ['dependency-groups', group], 'runtime');
  }
  checkList(state, tableOf(doc['build-system'])?.['requires'], ['build-system', 'requires'], 'build');
  const uv = tableAt(doc, ['tool', 'uv']);
  for (const key of ['dev-dependencies', 'constraint-dependencies', 'override-dependencies']) {
    checkList(state, uv?.[key], ['tool', 'uv', key], 'runtime');
  }
  for (const [group, list] of Object.entries(tableAt(doc, ['tool', 'pdm', 'dev-dependencies']) ?? {})) {
    checkList(state, list, ['tool', 'pdm', 'dev-dependencies', group], 'runtime');
  }
  checkPoetryDependencies(state, doc);
  checkPyprojectIndexes(sink, doc, state.locator);
  const first = state.malformed[0];
  if (first !== undefined) {
    const more = state.malformed.length > 1 ? ` (and ${state.malformed.length - 1} more)` : '';
    sink.add(UNPARSABLE_MANIFEST, {
      ...first.offsets,
      message: `could not parse dependency: ${first.message}${more}`,
      evidence: { malformed: state.malformed.length },
    });
  }
}

function checkList(state: PyprojectState, list: unknown, path: readonly string[], role: ListRole): void {
  for (const item of arrayOf(list)) {
    const value = stringOf(item);
    if (value === undefined) continue;
    const token = state.locator.take({ kind: 'string', path, value });
    checkRequirementString(state, value, token === undefined ? state.fallback : token, role);
  }
}

function checkRequirementString(
  state: PyprojectState,
  value: string,
  where: Offsets | Parameters<typeof innerSpan>[1],
  role: ListRole,
): void {
  const { sink, text } = state;
  const token = 'kind' in where ? where : undefined;
  const whole: Offsets = { start: where.start, end: where.end };
  const inner = (from: number, to: number): Offsets => (token ? innerSpan(text, token, from, to) : whole);
  if (/^-e\s/.test(value.trim())) return;
  const parsed = parsePep508(value);
  if (!parsed.ok) {
    state.malformed.push({ offsets: whole, message: `${parsed.message} in "${value.slice(0, 80)}"` });
    return;
  }
  const requirement = parsed.requirement;
  if (sink.isIgnored(requirement.name)) return;
  checkPackageName(sink, 'pypi', requirement.name, inner(requirement.nameStart, requirement.nameEnd));
  const url = requirement.url;
  if (url !== undefined) {
    const span = inner(url.start, url.end);
    if (!checkVcsReference(sink, url.value, span, `"${requirement.name}"`)) {
      checkSourceUrl(sink, {
        url: url.value,
        role: 'download',
        ...span,
        skipTrust: /#(?:.*&)?sha(?:256|384|512)=/i.test(url.value),
      });
    }
    return;
  }
  if (isExactPin(requirement.clauses)) return;
  const spec = requirement.specifier;
  const span =
    spec === undefined ? inner(requirement.nameStart, requirement.nameEnd) : inner(spec.start, spec.end);
  const constraint = requirement.clauses.map((c) => `${c.operator}${c.version}`).join(',');
  reportUnpinned(sink, span, requirement.name, constraint, role);
}

function reportUnpinned(
  sink: FindingSink,
  span: Offsets,
  name: string,
  constraint: string,
  role: ListRole | 'poetry',
): void {
  const none = constraint === '' || constraint === '*';
  const severity = role === 'build' || !none ? 'info' : 'low';
  const what = none ? 'any version' : `"${constraint}"`;
  const why =
    role === 'build'
      ? 'build requirements are resolved afresh on every build'
      : 'normal for a library; an application should pin through a lock file';
  sink.add(UNPINNED_DEPENDENCY, {
    ...span,
    severity,
    message: `"${name}" accepts ${what} (${why})`,
    evidence: { package: name, constraint },
  });
}

const POETRY_EXACT = /^(?:==?\s*)?\d[\w.+!-]*$/;

function checkPoetryDependencies(state: PyprojectState, doc: TomlTable): void {
  const poetry = tableAt(doc, ['tool', 'poetry']);
  if (poetry === undefined) return;
  const tables: { path: string[]; deps: TomlTable | undefined }[] = [
    { path: ['tool', 'poetry', 'dependencies'], deps: tableOf(poetry['dependencies']) },
    { path: ['tool', 'poetry', 'dev-dependencies'], deps: tableOf(poetry['dev-dependencies']) },
  ];
  for (const [group, table] of Object.entries(tableOf(poetry['group']) ?? {})) {
    tables.push({
      path: ['tool', 'poetry', 'group', group, 'dependencies'],
      deps: tableOf(tableOf(table)?.['dependencies']),
    });
  }
  for (const { path, deps } of tables) {
    for (const [name, spec] of Object.entries(deps ?? {})) {
      if (name.toLowerCase() === 'python') continue;
      const key = state.locator.take({ kind: 'key', path, value: name });
      const keySpan = spanOf(key, state.fallback);
      if (state.sink.isIgnored(name)) continue;
      checkPackageName(state.sink, 'pypi', name, keySpan);
      const constraints = Array.isArray(spec) ? spec : [spec];
      for (const constraint of constraints)
        checkPoetryConstraint(state, [...path, name], name, constraint, keySpan);
    }
  }
}

function checkPoetryConstraint(
  state: PyprojectState,
  path: string[],
  name: string,
  spec: unknown,
  keySpan: Offsets,
): void {
  const { sink, locator } = state;
  const simple = stringOf(spec);
  if (simple !== undefined) {
    if (POETRY_EXACT.test(simple.trim())) return;
    const token = locator.take({ kind: 'string', path, value: simple });
    reportUnpinned(sink, spanOf(token, keySpan), name, simple.trim(), 'poetry');
    return;
  }
  const table = tableOf(spec);
  if (table === undefined) return;
  const git = stringOf(table['git']);
  if (git !== undefined) {
    const gitToken = locator.take({ kind: 'string', path: [...path, 'git'], value: git });
    const rev = stringOf(table['rev']);
    const ref = rev ?? stringOf(table['tag']) ?? stringOf(table['branch']);
    const url = git.includes('://') || git.startsWith('git@') ? git : `https://${git}`;
    checkVcsReference(
      sink,
      `git+${url}${ref === undefined ? '' : `@${ref}`}`,
      spanOf(gitToken, keySpan),
      `"${name}"`,
    );
    return;
  }
  const url = stringOf(table['url']);
  if (url !== undefined) {
    const token = locator.take({ kind: 'string', path: [...path, 'url'], value: url });
    checkSourceUrl(sink, { url, role: 'download', ...spanOf(token, keySpan) });
    return;
  }
  if (table['path'] !== undefined) return;
  const version = stringOf(table['version']);
  if (version === undefined || POETRY_EXACT.test(version.trim())) return;
  const token = locator.take({ kind: 'string', path: [...path, 'version'], value: version });
  reportUnpinned(sink, spanOf(token, keySpan), name, version.trim(), 'poetry');
}
