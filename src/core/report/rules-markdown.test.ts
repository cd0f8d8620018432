import { describe, expect, it } from 'vitest';
import { defineRule } from '../rules.js';
import { GENERATED_BANNER, renderRulesMarkdown } from './rules-markdown.js';

const pickle = defineRule({
  id: 'BW-PKL-001',
  name: 'pickle-dangerous-import',
  title: 'Pickle imports a dangerous callable',
  defaultSeverity: 'critical',
  controls: ['R1'],
  description: 'Loading this pickle runs code.',
  remediation: 'Convert the model to safetensors.',
});
const file = defineRule({
  id: 'BW-FILE-001',
  name: 'unreadable-file',
  title: 'File could not be read',
  defaultSeverity: 'medium',
  controls: ['D7'],
  description: 'A file could not be read.',
  remediation: 'Grant read access.',
});
const bare = defineRule({
  id: 'BW-GOV-001',
  name: 'bare',
  title: 'No mappings',
  defaultSeverity: 'info',
  controls: [],
  description: 'Nothing.',
  remediation: 'Nothing.',
});

describe('renderRulesMarkdown', () => {
  const markdown = renderRulesMarkdown([pickle, file, bare]);

  it('starts with the generated-file banner and a table of contents sorted by id', () => {
    expect(markdown.startsWith(`${GENERATED_BANNER}\n\n# Bulwark rules\n`)).toBe(true);
    expect(markdown).toContain(
      [
        '## Contents',
        '',
        '- [BW-FILE-001](#bw-file-001) — File could not be read (medium)',
        '- [BW-GOV-001](#bw-gov-001) — No mappings (info)',
        '- [BW-PKL-001](#bw-pkl-001) — Pickle imports a dangerous callable (critical)',
      ].join('\n'),
    );
  });

  it('writes each rule with its severity, named mappings, description and remediation', () => {
    expect(markdown).toContain(
      [
        '## BW-PKL-001',
        '',
        '**Pickle imports a dangerous callable** (`pickle-dangerous-import`)',
        '',
        '- **Default severity:** critical',
        '- **Controls:** R1 Model artifact scanning',
        '- **OWASP Top 10 for LLM Applications 2025:** LLM03 Supply Chain; LLM04 Data and Model Poisoning',
        '- **MITRE ATLAS:** AML.T0010.003 AI Supply Chain Compromise: Model; AML.T0011.000 User Execution: Unsafe AI Artifacts; AML.T0018.002 Manipulate AI Model: Embed Malware',
        '- **NIST AI RMF:** GOVERN 6.1; MEASURE 2.7',
        '',
        'Loading this pickle runs code.',
        '',
        '**Remediation:** Convert the model to safetensors.',
      ].join('\n'),
    );
    expect(markdown).toContain('- **Controls:** none\n- **OWASP Top 10 for LLM Applications 2025:** none');
    expect(markdown.endsWith('**Remediation:** Convert the model to safetensors.\n')).toBe(true);
    expect(markdown.indexOf('## BW-FILE-001')).toBeLessThan(markdown.indexOf('## BW-PKL-001'));
  });

  it('refuses two rules with one id', () => {
    expect(() => renderRulesMarkdown([file, file])).toThrow(/duplicate rule id BW-FILE-001/);
  });
});
