import { describe, expect, it } from 'vitest';
import { isExactPin, parsePep508 } from './pep508.js';

function parsed(text: string): Exclude<ReturnType<typeof parsePep508>, { ok: false }>['requirement'] {
  const result = parsePep508(text);
  if (!result.ok) throw new Error(`${text}: ${result.message}`);
  return result.requirement;
}

describe('parsePep508', () => {
  it('reads names, extras, specifiers and markers with their offsets', () => {
    const text = 'requests [security, socks] >= 2.8.1, == 2.8.* ; python_version < "2.7"';
    const requirement = parsed(text);
    expect(requirement.name).toBe('requests');
    expect(requirement.extras).toEqual(['security', 'socks']);
    expect(requirement.clauses.map((c) => `${c.operator}${c.version}`)).toEqual(['>=2.8.1', '==2.8.*']);
    expect(text.slice(requirement.specifier?.start, requirement.specifier?.end)).toBe('>= 2.8.1, == 2.8.*');
    expect(requirement.marker).toBe('python_version < "2.7"');
  });

  it('reads parenthesised specifiers, local versions and arbitrary equality', () => {
    expect(parsed('name (>=1.0,<2)').clauses).toHaveLength(2);
    expect(parsed('torch==2.3.1+cu121').clauses[0]?.version).toBe('2.3.1+cu121');
    expect(parsed('weird===foo-bar').clauses[0]).toMatchObject({ operator: '===', version: 'foo-bar' });
  });

  it('reads direct references', () => {
    const requirement = parsed(
      'pip @ https://github.com/pypa/pip/archive/22.0.2.zip ; python_version >= "3.7"',
    );
    expect(requirement.url?.value).toBe('https://github.com/pypa/pip/archive/22.0.2.zip');
    expect(requirement.marker).toBe('python_version >= "3.7"');
  });

  it('reports malformed requirements with the offset of the problem', () => {
    expect(parsePep508('foo[bar >= 1')).toMatchObject({ ok: false, offset: 8 });
    expect(parsePep508('foo >= ')).toMatchObject({ ok: false });
    expect(parsePep508('foo bar')).toMatchObject({ ok: false, offset: 4 });
    expect(parsePep508('==1.0')).toMatchObject({ ok: false, offset: 0 });
    expect(parsePep508('foo;')).toMatchObject({ ok: false });
  });

  it('tells exact pins from ranges', () => {
    expect(isExactPin(parsed('a==1.0').clauses)).toBe(true);
    expect(isExactPin(parsed('a===1.0').clauses)).toBe(true);
    expect(isExactPin(parsed('a==1.*').clauses)).toBe(false);
    expect(isExactPin(parsed('a>=1.0').clauses)).toBe(false);
    expect(isExactPin(parsed('a~=1.0').clauses)).toBe(false);
    expect(isExactPin(parsed('a').clauses)).toBe(false);
  });
});
