import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { BulwarkError } from '../errors.js';
import { configSchema, type Config } from './config-schema.js';
import { didYouMean } from './did-you-mean.js';

/** Ids the caller knows of, so that a misspelt rule or scanner id is an error with a suggestion. */
export interface KnownIds {
  readonly ruleIds?: readonly string[];
  readonly scannerIds?: readonly string[];
  /** Each scanner's option schema, by scanner id: its `scanners.<id>` section is validated with it. */
  readonly scannerOptions?: { readonly [scannerId: string]: z.ZodType };
}

/** Options of {@link parseConfig}. */
export interface ParseConfigOptions {
  /** When given, `rules.<id>` and `scanners.<id>` must name one of these. */
  readonly known?: KnownIds;
}

type PathKey = string | number;

interface Problem {
  readonly path: readonly PathKey[];
  /** Whether the problem is the key at `path` rather than its value. */
  readonly atKey: boolean;
  readonly message: string;
}

/**
 * Parses and validates the text of a `bulwark.yaml`. An empty file gives the defaults. Any problem —
 * YAML syntax, an unknown key (with a did-you-mean suggestion), a wrong type or value — throws one
 * `BulwarkError('CONFIG_INVALID')` whose message is `file:line:col: key.path: problem`, pointing at the
 * offending node, so it can be fixed without guessing.
 */
export function parseConfig(text: string, fileName: string, options: ParseConfigOptions = {}): Config {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const syntax = doc.errors[0];
  if (syntax) {
    const { line, col } = lineCounter.linePos(syntax.pos[0]);
    const more = doc.errors.length > 1 ? ` (and ${doc.errors.length - 1} more)` : '';
    const problem =
      syntax.code === 'MULTIPLE_DOCS' ? 'a config file holds one YAML document' : oneLine(syntax.message);
    throw new BulwarkError(
      'CONFIG_INVALID',
      `${fileName}:${line}:${col}: YAML syntax error: ${problem}${more}`,
    );
  }
  const locate = (problem: Problem): string => {
    const { line, col } = lineCounter.linePos(offsetOf(doc, problem));
    return `${fileName}:${line}:${col}: ${formatPath(problem.path)}: ${problem.message}`;
  };

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 }) ?? {};
  } catch (cause) {
    const message = cause instanceof Error ? oneLine(cause.message) : 'cannot be read';
    throw new BulwarkError('CONFIG_INVALID', locate({ path: [], atKey: false, message }), { cause });
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new BulwarkError(
      'CONFIG_INVALID',
      locate({ path: [], atKey: false, message: `expected a mapping of settings, got ${describe(data)}` }),
    );
  }

  const parsed = configSchema.safeParse(data, { reportInput: true });
  const problems = parsed.success
    ? unknownIds(parsed.data, options.known)
    : parsed.error.issues.map((issue) => problemOf(issue));
  if (parsed.success && problems.length === 0) {
    const scanners = scannerSections(parsed.data, options.known?.scannerOptions, problems);
    if (problems.length === 0) return { ...parsed.data, scanners };
  }

  const ordered = problems
    .map((problem) => ({ problem, offset: offsetOf(doc, problem) }))
    .sort((a, b) => a.offset - b.offset);
  const first = ordered[0]?.problem ?? { path: [], atKey: false, message: 'is invalid' };
  const more =
    ordered.length > 1 ? ` (and ${ordered.length - 1} more problem${ordered.length > 2 ? 's' : ''})` : '';
  throw new BulwarkError('CONFIG_INVALID', `${locate(first)}${more}`);
}

function unknownIds(config: Config, known: KnownIds | undefined): Problem[] {
  const problems: Problem[] = [];
  const check = (section: 'rules' | 'scanners', ids: readonly string[] | undefined, what: string): void => {
    if (!ids) return;
    for (const id of Object.keys(config[section])) {
      if (!ids.includes(id)) {
        problems.push({ path: [section, id], atKey: true, message: `unknown ${what}${didYouMean(id, ids)}` });
      }
    }
  };
  check('rules', known?.ruleIds, 'rule id');
  check('scanners', known?.scannerIds, 'scanner id');
  return problems;
}

/** Validates each `scanners.<id>` section with its scanner's schema; problems are added to `problems`. */
function scannerSections(
  config: Config,
  schemas: KnownIds['scannerOptions'],
  problems: Problem[],
): Config['scanners'] {
  if (!schemas) return config.scanners;
  const sections: Record<string, unknown> = {};
  for (const [id, value] of Object.entries(config.scanners)) {
    const schema = schemas[id];
    if (!schema) {
      sections[id] = value;
      continue;
    }
    const result = schema.safeParse(value ?? {}, { reportInput: true });
    if (result.success) sections[id] = result.data;
    else
      for (const issue of result.error.issues) {
        const problem = problemOf(issue, schema);
        problems.push({ ...problem, path: ['scanners', id, ...problem.path] });
      }
  }
  return sections;
}

function problemOf(issue: z.core.$ZodIssue, root: unknown = configSchema): Problem {
  const path = issue.path.filter((key): key is PathKey => typeof key !== 'symbol');
  switch (issue.code) {
    case 'unrecognized_keys': {
      const key = issue.keys[0] ?? '';
      const more = issue.keys.length > 1 ? ` (and ${issue.keys.length - 1} more unknown keys here)` : '';
      return {
        path: [...path, key],
        atKey: true,
        message: `unknown key${didYouMean(key, knownKeysAt(path, root))}${more}`,
      };
    }
    case 'invalid_key':
      return { path, atKey: true, message: issue.issues[0]?.message ?? issue.message };
    case 'invalid_type':
      return {
        path,
        atKey: false,
        message: `expected ${article(issue.expected)}, got ${describe(issue.input)}`,
      };
    case 'invalid_value': {
      if (issue.values.length === 1) return { path, atKey: false, message: issue.message };
      const values = issue.values.map(String);
      const got = describe(issue.input);
      const hint = typeof issue.input === 'string' ? didYouMean(issue.input, values) : '';
      return { path, atKey: false, message: `expected one of ${values.join(', ')}, got ${got}${hint}` };
    }
    case 'too_small':
    case 'too_big': {
      const bound = issue.code === 'too_small' ? issue.minimum : issue.maximum;
      const op = issue.code === 'too_small' ? (issue.inclusive ? '>=' : '>') : issue.inclusive ? '<=' : '<';
      const what =
        issue.origin === 'string'
          ? 'a string of length'
          : issue.origin === 'array'
            ? 'a list of length'
            : 'a number';
      return {
        path,
        atKey: false,
        message: `expected ${what} ${op} ${String(bound)}, got ${describe(issue.input)}`,
      };
    }
    case 'invalid_format':
    case 'invalid_union':
    case 'not_multiple_of':
    case 'invalid_element':
    case 'custom':
      return { path, atKey: false, message: issue.message };
  }
}

/** Known keys of the strict object at `path` in the config schema, for did-you-mean suggestions. */
function knownKeysAt(path: readonly PathKey[], root: unknown): string[] {
  let schema: unknown = root;
  for (const key of path) {
    const def = unwrap(schema);
    if (def?.type === 'object') schema = (def.shape as Record<string, unknown>)[String(key)];
    else if (def?.type === 'record') schema = def.valueType;
    else return [];
  }
  const def = unwrap(schema);
  return def?.type === 'object' ? Object.keys(def.shape as object) : [];
}

interface SchemaDef {
  readonly type: string;
  readonly [field: string]: unknown;
}

function unwrap(schema: unknown): SchemaDef | undefined {
  let def = (schema as { _zod?: { def?: SchemaDef } } | undefined)?._zod?.def;
  while (def && ['default', 'prefault', 'optional', 'nullable', 'readonly', 'pipe'].includes(def.type)) {
    const inner = def.type === 'pipe' ? def.in : def.innerType;
    def = (inner as { _zod?: { def?: SchemaDef } } | undefined)?._zod?.def;
  }
  return def;
}

/** The source offset of the node a problem is about, or of its nearest existing ancestor. */
function offsetOf(doc: Document, problem: Problem): number {
  let node: Node | null = doc.contents;
  let keyNode: Node | undefined;
  for (const key of problem.path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => (isScalar(item.key) ? item.key.value : item.key) === key);
      if (!pair) break;
      keyNode = isScalar(pair.key) ? pair.key : undefined;
      node = (pair.value as Node | null) ?? null;
      if (!node) break;
    } else if (isSeq(node) && typeof key === 'number') {
      const item = node.items[key] as Node | undefined;
      if (!item) break;
      keyNode = undefined;
      node = item;
    } else {
      break;
    }
  }
  const target = problem.atKey ? (keyNode ?? node) : (node ?? keyNode);
  return target?.range?.[0] ?? keyNode?.range?.[0] ?? 0;
}

function formatPath(path: readonly PathKey[]): string {
  if (path.length === 0) return '(root)';
  return path
    .map((key, index) => {
      if (typeof key === 'number') return `[${key}]`;
      const safe = /^[A-Za-z0-9_-]+$/.test(key) ? key : `[${JSON.stringify(key)}]`;
      return index === 0 || safe.startsWith('[') ? safe : `.${safe}`;
    })
    .join('');
}

function article(expected: string): string {
  switch (expected) {
    case 'object':
      return 'a mapping';
    case 'array':
      return 'a list';
    case 'int':
      return 'an integer';
    default:
      return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
  }
}

/** Describes a value in a few safe characters: strings quoted with escapes, long ones cut. */
function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') {
    const cut = value.length > 40 ? `${value.slice(0, 40)}…` : value;
    return JSON.stringify(cut);
  }
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  return typeof value;
}

function oneLine(message: string): string {
  return message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? message;
}
