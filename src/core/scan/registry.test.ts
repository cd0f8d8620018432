import { describe, expect, it } from 'vitest';
import { BulwarkError } from '../errors.js';
import { defineRule } from '../rules.js';
import { ScannerRegistry } from './registry.js';
import { SCAN_RULES } from './rules.js';
import type { FileIdentity, Scanner } from './types.js';

const RULE_A = defineRule({
  id: 'BW-TEST-001',
  name: 'test-a',
  title: 'Test A',
  defaultSeverity: 'high',
  controls: ['R1'],
  description: 'A rule for tests.',
  remediation: 'None.',
});

function scanner(id: string, kinds: string[], rules = [RULE_A]): Scanner {
  return {
    id,
    description: `scans ${kinds.join(', ')}`,
    rules,
    accepts: (identity: FileIdentity) => kinds.includes(identity.kind),
    scan: () => Promise.resolve([]),
  };
}

describe('ScannerRegistry', () => {
  it('lists scanners in registration order and picks those accepting an identity', () => {
    const registry = new ScannerRegistry();
    registry.register(scanner('pickle', ['pickle']));
    registry.register(scanner('archive', ['zip', 'pickle']));
    expect(registry.list().map((s) => s.id)).toEqual(['pickle', 'archive']);
    expect(registry.forIdentity({ kind: 'pickle', mediaType: 'x' }).map((s) => s.id)).toEqual([
      'pickle',
      'archive',
    ]);
    expect(registry.forIdentity({ kind: 'zip', mediaType: 'x' }).map((s) => s.id)).toEqual(['archive']);
    expect(registry.forIdentity({ kind: 'text', mediaType: 'x' })).toEqual([]);
  });

  it('refuses a duplicate scanner id', () => {
    const registry = new ScannerRegistry();
    registry.register(scanner('pickle', ['pickle']));
    expect(() => registry.register(scanner('pickle', ['zip']))).toThrow(BulwarkError);
  });

  it('refuses a different rule under an id already declared', () => {
    const registry = new ScannerRegistry();
    registry.register(scanner('a', ['pickle']));
    const clash = defineRule({ ...RULE_A, title: 'Another meaning' });
    expect(() => registry.register(scanner('b', ['zip'], [clash]))).toThrow(/BW-TEST-001/);
    expect(() => registry.register(scanner('c', ['zip'], [SCAN_RULES[0]!]))).not.toThrow();
  });

  it('returns the framework rules and every scanner rule once, sorted by id', () => {
    const registry = new ScannerRegistry();
    registry.register(scanner('a', ['pickle']));
    registry.register(scanner('b', ['zip']));
    const ids = registry.rules().map((r) => r.id);
    expect(ids).toEqual([...SCAN_RULES.map((r) => r.id), 'BW-TEST-001'].sort());
  });
});
