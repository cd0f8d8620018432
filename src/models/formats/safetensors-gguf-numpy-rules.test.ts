import { describe, expect, it } from 'vitest';
import { RuleCatalogue } from '../../core/rules.js';
import { FindingCollector } from '../finding-collector.js';
import { SAFETENSORS_GGUF_NUMPY_RULES } from './safetensors-gguf-numpy-rules.js';
import { GGUF_DUPLICATE_KEY } from './gguf-rules.js';

describe('SAFETENSORS_GGUF_NUMPY_RULES', () => {
  it('uses BW-MODEL-010…019 for safetensors, 020…029 for GGUF and 030…039 for NumPy, without duplicates', () => {
    const ids = new RuleCatalogue(SAFETENSORS_GGUF_NUMPY_RULES).list().map((rule) => rule.id);
    expect(ids).toHaveLength(SAFETENSORS_GGUF_NUMPY_RULES.length);
    for (const id of ids) expect(id).toMatch(/^BW-MODEL-0[123]\d$/);
    expect(ids.filter((id) => id.startsWith('BW-MODEL-01'))).toHaveLength(10);
    expect(ids.filter((id) => id.startsWith('BW-MODEL-02'))).toHaveLength(10);
  });

  it('documents every rule and maps it to R1 or D7', () => {
    const names = new Set<string>();
    for (const rule of SAFETENSORS_GGUF_NUMPY_RULES) {
      expect(rule.name).toMatch(/^[a-z]+(?:-[a-z]+)*$/);
      expect(names.has(rule.name)).toBe(false);
      names.add(rule.name);
      expect(rule.description.length).toBeGreaterThan(120);
      expect(rule.remediation.length).toBeGreaterThan(40);
      expect(rule.controls.some((control) => control === 'R1' || control === 'D7')).toBe(true);
      expect(rule.mappings.owaspLlm.length).toBeGreaterThan(0);
    }
  });

  it('rates template injection critical and malformed files at least medium', () => {
    const byId = new Map(SAFETENSORS_GGUF_NUMPY_RULES.map((rule) => [rule.id, rule]));
    expect(byId.get('BW-MODEL-025')?.defaultSeverity).toBe('critical');
    for (const id of ['BW-MODEL-010', 'BW-MODEL-011', 'BW-MODEL-020', 'BW-MODEL-021', 'BW-MODEL-030'])
      expect(byId.get(id)?.defaultSeverity).toBe('medium');
  });
});

describe('FindingCollector', () => {
  it('keeps the first findings of a rule and summarises the rest with the worst severity', () => {
    const collector = new FindingCollector(2);
    for (let i = 0; i < 5; i++)
      collector.add(GGUF_DUPLICATE_KEY, {
        message: `m${i}`,
        location: { path: 'a', offset: i },
        ...(i === 3 ? { severity: 'high' as const } : {}),
      });
    const findings = collector.list();
    expect(collector.size).toBe(5);
    expect(findings.map((f) => f.message)).toEqual([
      'm0',
      'm1',
      '3 more findings of this rule were not listed; the first: m2',
    ]);
    expect(findings[2]?.severity).toBe('high');
    expect(findings[2]?.evidence).toEqual({ omitted: 3 });
  });
});
