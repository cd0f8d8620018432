import { isCallee } from './chat-template-fold.js';
import { lexTemplate, type TemplateToken } from './chat-template-lexer.js';
import {
  BUILTIN_CALLS,
  FRAMEWORK_OBJECTS,
  INTERNAL_DUNDER,
  JINJA_GLOBALS,
  isDunderIdentifier,
  isHiddenName,
  isModuleName,
  isNameFragment,
  judgeMemberName,
} from './chat-template-names.js';
import { IssueList, type TemplateVerdict } from './chat-template-issues.js';
import { bindingsOf, ConstantScope } from './chat-template-scope.js';

export { TEMPLATE_ISSUE_KINDS } from './chat-template-issues.js';
export type { TemplateIssue, TemplateIssueKind, TemplateVerdict } from './chat-template-issues.js';

/** Templates longer than this are reported: real chat templates, even with tool instructions, are tens of KB. */
export const MAX_TEMPLATE_CHARS = 256 * 1024;
/** Characters analysed block by block; the rest of an oversized template is only searched for special names. */
export const MAX_ANALYSED_CHARS = 1024 * 1024;
/** Jinja's sandbox caps `range()` at this many items; larger ranges only serve to exhaust memory. */
const MAX_RANGE = 100_000;
const LOADING_STATEMENTS = new Set(['import', 'from', 'include', 'extends']);
const ATTRIBUTE_FILTERS = new Set([
  'map',
  'selectattr',
  'rejectattr',
  'sort',
  'groupby',
  'sum',
  'unique',
  'min',
  'max',
]);

/**
 * Finds server-side template injection in a Jinja2 chat template (`tokenizer.chat_template`), which
 * Python runtimes render for every conversation — non-sandboxed in llama-cpp-python before
 * CVE-2024-34359. Only expressions and statements are examined (text and comments are output or
 * dropped); string escapes are decoded, constant concatenations, filters and set variables folded, so
 * `'__cla' ~ 'ss__'`, `'\x5f\x5fglobals\x5f\x5f'` or `'__ssalc__'|reverse` are seen as the names they
 * build. Ordinary templates (Llama, Mistral, Qwen, Gemma, ChatML, Phi, DeepSeek) give no issue.
 */
export function checkChatTemplate(template: string): TemplateVerdict {
  const issues = new IssueList(template);
  if (template.length > MAX_TEMPLATE_CHARS)
    issues.add(
      'oversized-template',
      'medium',
      0,
      `template is ${template.length} characters long, far beyond real chat templates`,
    );
  // Beyond the analysed prefix only a linear search for special names runs, so a hostile
  // multi-MB template cannot make the scanner build millions of segments.
  const analysed = template.length > MAX_ANALYSED_CHARS ? template.slice(0, MAX_ANALYSED_CHARS) : template;
  if (analysed.length < template.length)
    checkRawText(template.slice(analysed.length), analysed.length, issues);
  const segments = lexTemplate(analysed);
  const bound = bindingsOf(segments);
  const scope = new ConstantScope();
  segments.forEach((segment, s) => {
    if (segment.kind === 'text') return;
    const tokens = scope.analyse(segment, segments, s);
    const keyword = segment.kind === 'statement' ? segment.tokens[0]?.value : undefined;
    if (keyword !== undefined && LOADING_STATEMENTS.has(keyword) && segment.tokens[0]?.kind === 'name')
      issues.add('template-loading', 'medium', segment.index, `\`{% ${keyword} %}\` loads another template`);
    checkTokens(tokens, bound, issues);
    if (segment.isTruncated)
      checkRawText(template.slice(segment.restIndex, segment.end), segment.restIndex, issues);
  });
  return issues.verdict();
}

function checkTokens(tokens: readonly TemplateToken[], bound: ReadonlySet<string>, issues: IssueList): void {
  tokens.forEach((token, i) => {
    if (token.kind === 'name') checkName(tokens, i, bound, issues);
    else if (token.kind === 'string') checkString(tokens, i, issues);
    else if (token.kind === 'operator') checkOperator(tokens, i, issues);
  });
}

function checkName(
  t: readonly TemplateToken[],
  i: number,
  bound: ReadonlySet<string>,
  issues: IssueList,
): void {
  const token = t[i] as TemplateToken;
  const name = token.value;
  const previous = t[i - 1];
  const next = t[i + 1];
  const isCalled = isOp(next, '(');
  if (isOp(previous, '.')) {
    reportMember(name, isCalled, false, token.index, 'reads attribute', issues);
    return;
  }
  if (isOp(previous, '|')) {
    checkFilter(t, i, issues);
    return;
  }
  if (isDunderIdentifier(name)) {
    issues.add('python-internals', 'critical', token.index, `uses the Python special name \`${name}\``);
    return;
  }
  if (bound.has(name)) return;
  const isMember = isOp(next, '.') || isOp(next, '[');
  if (isCalled && BUILTIN_CALLS.has(name))
    issues.add('code-execution', 'critical', token.index, `calls the Python builtin \`${name}()\``);
  else if (isMember && isModuleName(name))
    issues.add('code-execution', 'critical', token.index, `uses the module \`${name}\``);
  else if ((isMember || isOp(next, '|')) && JINJA_GLOBALS.has(name) && !isOp(t[i + 2], '('))
    issues.add(
      'python-internals',
      'critical',
      token.index,
      `reads an attribute of the Jinja global \`${name}\`, which only reaches Python internals`,
    );
  else if (isMember && FRAMEWORK_OBJECTS.has(name))
    issues.add(
      'framework-object',
      'medium',
      token.index,
      `uses \`${name}\`, a web-framework object no chat runtime provides`,
    );
  else if (name === 'range' && isCalled) checkRange(t, i + 1, issues);
}

function checkFilter(t: readonly TemplateToken[], i: number, issues: IssueList): void {
  const name = (t[i] as TemplateToken).value;
  const index = (t[i] as TemplateToken).index;
  if (!isOp(t[i + 1], '(')) return;
  const args = argumentsAt(t, i + 1);
  if (name === 'attr') {
    const [first] = args.positional;
    const isCalled = isOp(t[args.end], '(');
    if (first?.length === 1 && first[0]?.kind === 'string')
      reportMember(first[0].value, isCalled, false, index, 'reads attribute via |attr', issues);
    else
      issues.add(
        'dynamic-attribute',
        'high',
        index,
        'reads an attribute whose name is computed at render time (`|attr`)',
      );
    return;
  }
  if (!ATTRIBUTE_FILTERS.has(name)) return;
  const paths: (readonly TemplateToken[] | undefined)[] = [args.keywords.get('attribute')];
  if (name === 'selectattr' || name === 'rejectattr' || name === 'groupby') paths.push(args.positional[0]);
  if (name === 'map' && args.positional[0]?.[0]?.value === 'attr') {
    const target = args.positional[1];
    if (target?.length !== 1 || target[0]?.kind !== 'string')
      issues.add(
        'dynamic-attribute',
        'high',
        index,
        "reads attributes whose name is computed at render time (`map('attr', …)`)",
      );
    paths.push(target);
  }
  for (const path of paths) {
    if (path?.length !== 1 || path[0]?.kind !== 'string') continue;
    for (const part of path[0].value.split('.'))
      reportMember(part, false, true, index, `reads attribute path via |${name}`, issues);
  }
}

function checkString(t: readonly TemplateToken[], i: number, issues: IssueList): void {
  const token = t[i] as TemplateToken;
  const value = token.value;
  const isHidden = token.isDerived === true || token.isEscaped === true;
  if (isOp(t[i - 1], '[') && isCallee(t[i - 2]) && isOp(t[i + 1], ']'))
    reportMember(value, isOp(t[i + 2], '('), true, token.index, 'reads item', issues);
  const shown = value.slice(0, 60);
  if (INTERNAL_DUNDER.test(value))
    issues.add(
      isHidden ? 'obfuscated-name' : 'python-internals',
      'critical',
      token.index,
      isHidden
        ? `builds the Python special name \`${shown}\` from pieces or escapes`
        : `names the Python special attribute \`${shown}\` in a string`,
    );
  else if (isHidden && isHiddenName(value))
    issues.add(
      'obfuscated-name',
      'critical',
      token.index,
      `builds the name \`${shown}\` from pieces or escapes`,
    );
  else if (!isHidden && isNameFragment(value, isConcatenated(t, i)))
    issues.add(
      'name-fragment',
      'high',
      token.index,
      `string \`${shown}\` looks like a piece of a Python special name`,
    );
}

/** Tells whether the token at `i` is an operand of `~` or `+`. */
function isConcatenated(t: readonly TemplateToken[], i: number): boolean {
  return [t[i - 1], t[i + 1]].some((token) => isOp(token, '~') || isOp(token, '+'));
}

function checkOperator(t: readonly TemplateToken[], i: number, issues: IssueList): void {
  const token = t[i] as TemplateToken;
  const left = t[i - 1];
  const right = t[i + 1];
  if (token.value === '*' && (left?.kind === 'string' || right?.kind === 'string')) {
    const count = Number((left?.kind === 'number' ? left : right)?.value ?? 0);
    if (count > MAX_RANGE)
      issues.add('resource-exhaustion', 'medium', token.index, `repeats a string ${count} times`);
  }
  if (token.value === '**' && left?.kind === 'number' && right?.kind === 'number') {
    const result = Number(left.value) ** Number(right.value);
    if (!(result <= MAX_RANGE * 10))
      issues.add('resource-exhaustion', 'medium', token.index, `computes ${left.value} ** ${right.value}`);
  }
}

function checkRange(t: readonly TemplateToken[], open: number, issues: IssueList): void {
  const args = argumentsAt(t, open);
  for (const arg of args.positional) {
    const number =
      arg.length === 1 && arg[0]?.kind === 'number' ? Number(arg[0].value.replaceAll('_', '')) : 0;
    if (Math.abs(number) > MAX_RANGE)
      issues.add(
        'resource-exhaustion',
        'medium',
        t[open]?.index ?? 0,
        `asks for range(${number}), beyond Jinja's sandbox limit`,
      );
  }
}

function reportMember(
  name: string,
  isCalled: boolean,
  isSubscript: boolean,
  index: number,
  how: string,
  issues: IssueList,
): void {
  const verdict = judgeMemberName(name, isCalled, isSubscript);
  if (verdict !== undefined)
    issues.add(verdict.kind, verdict.severity, index, `${how} \`${name.slice(0, 60)}\`, ${verdict.reason}`);
}

/** Dunder names in the part of an over-long block that was not tokenized. */
function checkRawText(text: string, offset: number, issues: IssueList): void {
  const pattern = /__\w+__|_TemplateReference__context/g;
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text))
    if (INTERNAL_DUNDER.test(match[0]) || match[0].startsWith('_Template'))
      issues.add(
        'python-internals',
        'critical',
        offset + match.index,
        `uses the Python special name \`${match[0]}\``,
      );
}

/** Splits the arguments of the call opening at `open` into positional and keyword token lists. */
function argumentsAt(
  t: readonly TemplateToken[],
  open: number,
): { positional: TemplateToken[][]; keywords: Map<string, TemplateToken[]>; end: number } {
  const positional: TemplateToken[][] = [];
  const keywords = new Map<string, TemplateToken[]>();
  let current: TemplateToken[] = [];
  let depth = 0;
  let j = open + 1;
  const flush = (): void => {
    const [first, second] = current;
    if (first?.kind === 'name' && isOp(second, '=')) keywords.set(first.value, current.slice(2));
    else if (current.length > 0) positional.push(current);
    current = [];
  };
  for (; j < t.length; j++) {
    const token = t[j] as TemplateToken;
    if (depth === 0 && (isOp(token, ')') || isOp(token, ','))) {
      flush();
      if (isOp(token, ')')) return { positional, keywords, end: j + 1 };
      continue;
    }
    if (token.kind === 'operator' && '([{'.includes(token.value)) depth++;
    if (token.kind === 'operator' && ')]}'.includes(token.value)) depth--;
    current.push(token);
  }
  flush();
  return { positional, keywords, end: j };
}

function isOp(token: TemplateToken | undefined, value: string): boolean {
  return token?.kind === 'operator' && token.value === value;
}
