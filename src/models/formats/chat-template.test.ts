import { describe, expect, it } from 'vitest';
import { checkChatTemplate, MAX_TEMPLATE_CHARS, type TemplateVerdict } from './chat-template.js';
import { decodePythonEscapes, lexTemplate } from './chat-template-lexer.js';
import { REAL_TEMPLATES } from './chat-template.test-support.js';
import { seededRandom } from './safetensors-gguf-numpy.test-support.js';

function kinds(verdict: TemplateVerdict): string[] {
  return verdict.issues.map((issue) => `${issue.severity}:${issue.kind}`);
}

describe('checkChatTemplate on real templates', () => {
  for (const [name, template] of Object.entries(REAL_TEMPLATES)) {
    it(`finds nothing in the ${name} template`, () => {
      const verdict = checkChatTemplate(template);
      expect(verdict.issues).toEqual([]);
      expect(verdict.isClean).toBe(true);
      expect(verdict.severity).toBeUndefined();
    });
  }

  it('ignores dangerous names in text, comments and raw blocks', () => {
    const template =
      "Use __class__ and os.popen in prose. {# {{ ''.__class__ }} #}{% raw %}{{ cycler.__init__.__globals__ }}{% endraw %}{{ 'ok' }}";
    expect(checkChatTemplate(template).issues).toEqual([]);
  });

  it('allows variables named like modules when the template binds them', () => {
    const template =
      "{% set system = messages[0]['content'] %}{{ system.strip() }}{% for os in items %}{{ os.name }}{% endfor %}";
    expect(checkChatTemplate(template).issues).toEqual([]);
  });

  it('accepts a double underscore used as a separator', () => {
    expect(checkChatTemplate("{{ tool.name|replace('.', '__') }}{{ name.split('__')[0] }}").issues).toEqual(
      [],
    );
    expect(checkChatTemplate("{{ x[a ~ '__' ~ b] }}").severity).toBe('high');
  });

  it('does not mistake role strings and dict keys for code', () => {
    const template =
      "{% set prefixes = {'system': 'S:', 'user': 'U:'} %}{{ prefixes['system'] }}{{ message['role'] == 'system' }}{{ '<|' ~ 'system' ~ '|>' }}";
    expect(checkChatTemplate(template).issues).toEqual([]);
  });
});

describe('checkChatTemplate on injection payloads', () => {
  const critical: Record<string, string> = {
    'mro walk': "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    'template reference context':
      "{{ self._TemplateReference__context.cycler.__init__.__globals__.os.popen('id').read() }}",
    'lipsum globals': "{{ lipsum.__globals__['os'].popen('id').read() }}",
    'cycler init globals': "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    'joiner init': '{{ joiner.__init__.__globals__ }}',
    'namespace init': '{{ namespace.__init__.__globals__.__builtins__ }}',
    'concatenated subscript': "{{ ''['__cla' ~ 'ss__'] }}",
    'plus concatenation': "{{ ''['__cla' + 'ss__']['__mro__'] }}",
    'hex escapes in attr': "{{ ''|attr('\\x5f\\x5fclass\\x5f\\x5f') }}",
    'unicode escapes': "{{ ''|attr('\\u005f\\u005fclass\\u005f\\u005f') }}",
    'long unicode escapes': "{{ ''|attr('\\U0000005f\\U0000005fclass\\U0000005f\\U0000005f') }}",
    'octal escapes': "{{ ''|attr('\\137\\137class\\137\\137') }}",
    'named escapes': "{{ ''|attr('\\N{LOW LINE}\\N{LOW LINE}class\\N{LOW LINE}\\N{LOW LINE}') }}",
    'list join': "{{ ''|attr(['__cla', 'ss__']|join) }}",
    'join with separator': "{{ ''|attr(['', 'class', '']|join('__')) }}",
    'reverse filter': "{{ ''|attr('__ssalc__'|reverse) }}",
    'slice reverse': "{{ ''|attr('__ssalc__'[::-1]) }}",
    'format filter': "{{ ''|attr('%s%s'|format('__cla', 'ss__')) }}",
    'percent operator': "{{ ''|attr('%sclass%s' % ('__', '__')) }}",
    'char format': "{{ ''|attr('%c%cclass%c%c'|format(95, 95, 95, 95)) }}",
    'str format method': "{{ ''|attr('{}{}'.format('__cla', 'ss__')) }}",
    'str join method': "{{ ''|attr(''.join(['__cla', 'ss__'])) }}",
    'replace filter': "{{ ''|attr('XXclassXX'|replace('X', '_')) }}",
    'lower filter': "{{ ''|attr('__CLASS__'|lower) }}",
    repetition: "{{ ''|attr('_' * 2 ~ 'class' ~ '_' * 2) }}",
    'implicit concatenation': "{{ ''|attr('__cla' 'ss__') }}",
    'set variables': "{% set a = '__cla' %}{% set b = 'ss__' %}{{ ''[a ~ b] }}",
    'block set': "{% set x %}__class__{% endset %}{{ ''|attr(x) }}",
    'namespace attribute': "{% set ns = namespace(a='__cla') %}{{ ''|attr(ns.a ~ 'ss__') }}",
    'list variable join': "{% set parts = ['__ssalc__'] %}{{ ''|attr(parts|first|reverse) }}",
    'string list reverse join': "{{ ''|attr('__ssalc__'|list|reverse|join) }}",
    'os popen': "{{ os.popen('id').read() }}",
    'popen attribute': "{{ x.popen('id') }}",
    'eval call': "{{ eval('1+1') }}",
    'import builtin': "{{ __import__('os').system('id') }}",
    'mro method': "{{ ''.__class__.mro()[1] }}",
    func_globals: '{{ f.func_globals }}',
    'subscript globals': "{{ lipsum['__globals__'] }}",
    'attribute path filter': "{{ messages|map(attribute='__class__')|list }}",
    'map attr filter': "{{ messages|map('attr', '__class__')|list }}",
    selectattr: "{{ messages|selectattr('__class__')|list }}",
    'getattr call': "{{ getattr(x, 'y') }}",
    'range attribute': '{{ range.__init__ }}',
    'dict keyword': '{{ dict(__class__=1)|first }}',
    'request globals': '{{ request.application.__globals__.__builtins__ }}',
    'subscript popen call': "{{ x['popen']('id') }}",
    'subprocess attribute': "{{ x.subprocess.check_output('id') }}",
  };
  for (const [name, template] of Object.entries(critical)) {
    it(`flags ${name} as critical`, () => {
      const verdict = checkChatTemplate(template);
      expect(verdict.isClean).toBe(false);
      expect(verdict.severity, kinds(verdict).join(', ')).toBe('critical');
    });
  }

  it('reports where the escape happens', () => {
    const template = "{{ messages[0]['content'] }}{{ ''.__class__ }}";
    const [issue] = checkChatTemplate(template).issues;
    expect(issue?.index).toBe(template.indexOf('__class__'));
    expect(issue?.excerpt).toContain('__class__');
    expect(issue?.kind).toBe('python-internals');
  });

  it('marks names built from pieces as obfuscated', () => {
    const verdict = checkChatTemplate("{{ ''[('__gl' ~ 'obals__')] }}");
    expect(verdict.issues.map((issue) => issue.kind)).toContain('obfuscated-name');
  });

  it('rates unresolvable attribute names high', () => {
    expect(checkChatTemplate('{{ x|attr(y) }}').severity).toBe('high');
    expect(checkChatTemplate("{{ x|map('attr', name)|list }}").severity).toBe('high');
  });

  it('rates fragments of special names high when they cannot be folded', () => {
    const verdict = checkChatTemplate(
      "{% for p in ['__cla', 'ss__'] %}{% set n = n ~ p %}{% endfor %}{{ x[n] }}",
    );
    expect(verdict.severity).toBe('high');
    expect(verdict.issues.map((issue) => issue.kind)).toContain('name-fragment');
  });

  it('rates unusual but not executing constructs medium', () => {
    for (const template of [
      "{% import 'macros.j2' as m %}",
      "{% include 'other.j2' %}",
      "{% extends 'base.j2' %}",
      "{% from 'x' import y %}",
      '{{ config.items() }}',
      "{{ ''[request.args.a] }}",
      '{% for i in range(999999999) %}{% endfor %}',
      '{% for i in range(10 ** 9) %}{% endfor %}',
      "{{ 'x' * 1000000 }}",
      'a'.repeat(MAX_TEMPLATE_CHARS + 1),
      '{{ x._private }}',
    ]) {
      const verdict = checkChatTemplate(template);
      expect(verdict.severity, template.slice(0, 40)).toBe('medium');
    }
  });

  it('searches the rest of a template beyond the analysed prefix', () => {
    const template = `${'{{ x }}'.repeat(200_000)}{{ lipsum.__globals__ }}`;
    const verdict = checkChatTemplate(template);
    expect(verdict.issues.map((issue) => `${issue.severity}:${issue.kind}`)).toEqual([
      'critical:python-internals',
      'medium:oversized-template',
    ]);
    expect(verdict.issues[0]?.index).toBe(template.indexOf('__globals__'));
  });

  it('searches the untokenized rest of an enormous block', () => {
    const template = `{{ ${'a ~ '.repeat(30_000)} x.__globals__ }}`;
    const verdict = checkChatTemplate(template);
    expect(verdict.severity).toBe('critical');
  });
});

describe('lexTemplate', () => {
  it('ends blocks only outside strings and brackets', () => {
    const segments = lexTemplate("{{ {'a': {'b': '}}'}} }}tail{%- if x -%}y{% endif %}");
    expect(segments.map((segment) => segment.kind)).toEqual([
      'expression',
      'text',
      'statement',
      'text',
      'statement',
    ]);
    const [first] = segments;
    expect(first?.kind === 'expression' ? first.tokens.map((t) => t.value).join(' ') : '').toBe(
      '{ a : { b : }} } }',
    );
  });

  it('decodes Python escapes as Jinja does', () => {
    expect(decodePythonEscapes('\\x41\\u0042\\103\\n\\q')).toEqual({ value: 'ABC\n\\q', isEscaped: true });
    expect(decodePythonEscapes('plain')).toEqual({ value: 'plain', isEscaped: false });
  });
});

describe('checkChatTemplate on random input', () => {
  const pieces = [
    '{{',
    '}}',
    '{%',
    '%}',
    '{#',
    '#}',
    '{{-',
    '-}}',
    "'",
    '"',
    '\\x5f',
    '__',
    'class',
    '~',
    '+',
    '|',
    'attr(',
    ')',
    '(',
    '[',
    ']',
    'join',
    'reverse',
    'set ',
    'x',
    ' = ',
    'endset',
    'for ',
    ' in ',
    'raw',
    'endraw',
    '.',
    ',',
    '*',
    '%',
    '9',
    'range(',
    'format',
    '\n',
    ' ',
    'namespace(',
    'a=',
    "'__cla'",
    "'ss__'",
    '[::-1]',
    '\\N{LOW LINE}',
    '{',
    '}',
  ];

  it('never throws and finishes quickly on random piece soups', () => {
    const random = seededRandom(7);
    const started = Date.now();
    for (let n = 0; n < 1500; n++) {
      let template = '';
      const count = Math.floor(random() * 80);
      for (let k = 0; k < count; k++) template += pieces[Math.floor(random() * pieces.length)] ?? '';
      const verdict = checkChatTemplate(template);
      expect(Array.isArray(verdict.issues)).toBe(true);
    }
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('never throws on mutated real templates', () => {
    const random = seededRandom(11);
    const sources = Object.values(REAL_TEMPLATES);
    for (let n = 0; n < 400; n++) {
      const source = sources[n % sources.length] ?? '';
      const chars = [...source];
      for (let e = 0; e < 1 + Math.floor(random() * 5); e++) {
        const at = Math.floor(random() * chars.length);
        const piece = pieces[Math.floor(random() * pieces.length)] ?? '';
        if (random() < 0.5) chars.splice(at, 1, piece);
        else chars.splice(at, Math.floor(random() * 10));
      }
      expect(() => checkChatTemplate(chars.join(''))).not.toThrow();
    }
  });
});
