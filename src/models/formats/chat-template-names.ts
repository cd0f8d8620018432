import type { Severity } from '../../core/severity.js';

/** What a suspicious name in a chat template is, with how serious it is. */
export interface NameVerdict {
  readonly kind: 'python-internals' | 'code-execution' | 'framework-object';
  readonly severity: Severity;
  readonly reason: string;
}

/** Special names whose only use in a template is walking Python objects toward `__globals__` or builtins. */
export const INTERNAL_DUNDER =
  /__(?:class|mro|base|bases|subclasses|globals|builtins|builtin|import|init|getattribute|getattr|setattr|delattr|dict|code|closure|func|self|module|loader|spec|reduce|reduce_ex|getitem|call|new|subclasshook|traceback|frame|objclass|wrapped|defaults|kwdefaults)__/;

/** Attributes (without underscores) of functions, frames, generators and classes that expose internals. */
const INTERNAL_ATTRIBUTES = new Set([
  'mro',
  'func_globals',
  'func_code',
  'func_closure',
  'func_defaults',
  'f_globals',
  'f_locals',
  'f_builtins',
  'f_back',
  'f_code',
  'gi_frame',
  'gi_code',
  'cr_frame',
  'cr_code',
  'ag_frame',
  'ag_code',
  'tb_frame',
  'tb_next',
  'co_code',
  'im_func',
  'im_self',
  'im_class',
]);

/** Modules and module attributes that give access to the operating system or the interpreter. */
const MODULE_NAMES = new Set([
  'os',
  'sys',
  'subprocess',
  'builtins',
  'importlib',
  'pty',
  'socket',
  'shutil',
  'posix',
  'nt',
  'ctypes',
  'pickle',
  'marshal',
  'modules',
]);

/** Callables that run commands or code, import, reach attributes by name or touch files. */
const EXEC_CALLABLES = new Set([
  'popen',
  'Popen',
  'system',
  'spawnl',
  'spawnle',
  'spawnlp',
  'spawnv',
  'spawnve',
  'spawnvp',
  'posix_spawn',
  'execl',
  'execle',
  'execlp',
  'execv',
  'execve',
  'execvp',
  'fork',
  'forkpty',
  'check_output',
  'check_call',
  'getoutput',
  'getstatusoutput',
  'eval',
  'exec',
  'execfile',
  'compile',
  'import_module',
  'load_module',
  'exec_module',
  'getattr',
  'setattr',
  'delattr',
  'globals',
  'locals',
  'vars',
  'open',
  'loads',
  'rmtree',
  'unlink',
]);

/** Of those, names no template has a reason to mention even without calling them. */
const STRONG_EXEC = new Set([
  'popen',
  'Popen',
  'check_output',
  'check_call',
  'getoutput',
  'getstatusoutput',
  'import_module',
  'load_module',
  'exec_module',
  'execfile',
  'posix_spawn',
  'execve',
  'execvp',
  'getattr',
  'setattr',
  'eval',
  'exec',
]);

/** Python builtins that are never Jinja globals; calling one is an attempt to reach the interpreter. */
export const BUILTIN_CALLS = new Set([
  'eval',
  'exec',
  'execfile',
  'compile',
  'getattr',
  'setattr',
  'delattr',
  'globals',
  'locals',
  'vars',
  'open',
  'input',
  'breakpoint',
  '__import__',
]);

/** Jinja's global functions and classes: their attributes are Python internals (`lipsum.__globals__`). */
export const JINJA_GLOBALS = new Set(['range', 'dict', 'lipsum', 'cycler', 'joiner', 'namespace']);

/** Objects of web frameworks that SSTI payloads start from; no chat runtime provides them. */
export const FRAMEWORK_OBJECTS = new Set([
  'request',
  'config',
  'session',
  'url_for',
  'get_flashed_messages',
  'self',
]);

/** A Python special name (`__x__`) or a name-mangled private attribute (`_TemplateReference__context`). */
function isPrivateName(name: string): boolean {
  return /^__\w+/.test(name) || /^_[A-Za-z]\w*__\w+/.test(name);
}

/** Tells whether a bare identifier is a Python special name, checked after NFKC normalisation too. */
export function isDunderIdentifier(name: string): boolean {
  return [name, name.normalize('NFKC')].some((n) => /^__\w+__$/.test(n) || /^_[A-Za-z]\w*__\w+/.test(n));
}

/** Tells whether a bare name is a module that reaches the operating system (`os`, `subprocess`…). */
export function isModuleName(name: string): boolean {
  return MODULE_NAMES.has(name);
}

/**
 * Judges an attribute or item name that a template reads (`x.name`, `x['name']`, `x|attr('name')`,
 * `map(attribute='name')`). Python special and private names and interpreter internals are critical;
 * names of code-running callables are critical when called (or always, for the unmistakable ones); a
 * single-underscore attribute, which sandboxes refuse, is medium. Item keys (`subscript`) are not
 * judged for single underscores, since dictionaries legitimately have such keys.
 */
export function judgeMemberName(
  name: string,
  isCalled: boolean,
  isSubscript: boolean,
): NameVerdict | undefined {
  const normalized = name.normalize('NFKC');
  if (isPrivateName(name) || isPrivateName(normalized))
    return {
      kind: 'python-internals',
      severity: 'critical',
      reason: 'a Python special or private attribute',
    };
  if (INTERNAL_ATTRIBUTES.has(normalized))
    return { kind: 'python-internals', severity: 'critical', reason: 'an interpreter internal' };
  if (MODULE_NAMES.has(normalized))
    return {
      kind: 'code-execution',
      severity: 'critical',
      reason: 'a module that reaches the operating system',
    };
  if (EXEC_CALLABLES.has(normalized) && (isCalled || STRONG_EXEC.has(normalized)))
    return { kind: 'code-execution', severity: 'critical', reason: 'a function that runs code or commands' };
  if (!isSubscript && normalized.startsWith('_') && normalized.length > 1)
    return {
      kind: 'python-internals',
      severity: 'medium',
      reason: 'a private attribute that sandboxes refuse',
    };
  return undefined;
}

/**
 * Judges the value of a string built by folding, substitution or escapes: equal to a name that only
 * matters for reaching the interpreter means the template hides that name on purpose.
 */
export function isHiddenName(value: string): boolean {
  const name = value.trim();
  return (
    isPrivateName(name) ||
    INTERNAL_ATTRIBUTES.has(name) ||
    MODULE_NAMES.has(name) ||
    STRONG_EXEC.has(name) ||
    INTERNAL_DUNDER.test(name)
  );
}

/**
 * A literal that looks like a piece of a special name: `'__cla'`, `'ss__'`, or a bare `'__'` being
 * concatenated (a bare `'__'` as a separator argument, `replace('.', '__')`, is ordinary).
 */
export function isNameFragment(value: string, isConcatenated: boolean): boolean {
  return (value === '__' && isConcatenated) || /^__[A-Za-z]/.test(value) || /[A-Za-z]__$/.test(value);
}
