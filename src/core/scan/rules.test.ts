import { describe, expect, it } from 'vitest';
import { RuleCatalogue } from '../rules.js';
import { SCAN_RULES } from './rules.js';

describe('SCAN_RULES', () => {
  it('numbers the rules BW-FILE-001 onwards without gaps or duplicates', () => {
    expect(new RuleCatalogue(SCAN_RULES).list().map((r) => r.id)).toEqual(
      SCAN_RULES.map((_, i) => `BW-FILE-${String(i + 1).padStart(3, '0')}`),
    );
  });

  it('documents every rule and maps it to D7 and its frameworks', () => {
    for (const rule of SCAN_RULES) {
      expect(rule.controls).toContain('D7');
      expect(rule.name).toMatch(/^[a-z]+(?:-[a-z]+)*$/);
      expect(rule.description.length).toBeGreaterThan(120);
      expect(rule.remediation.length).toBeGreaterThan(40);
      expect(rule.mappings.owaspLlm).toContain('LLM03');
      expect(rule.mappings.atlas).toContain('AML.T0011.000');
    }
  });

  it('maps the content mismatch to R1 as well', () => {
    const mismatch = SCAN_RULES.find((r) => r.id === 'BW-FILE-006');
    expect(mismatch?.name).toBe('content-extension-mismatch');
    expect(mismatch?.controls).toEqual(['D7', 'R1']);
    expect(mismatch?.defaultSeverity).toBe('high');
  });
});
