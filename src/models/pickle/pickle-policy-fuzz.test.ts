import { describe, expect, it } from 'vitest';
import {
  DANGER_CATEGORIES,
  createPicklePolicy,
  parseAllowEntry,
  type GlobalVerdict,
} from './pickle-policy.js';
import { seededRandom as prng } from '../../../test/support/seeded-random.js';

const VOCABULARY = [
  'os',
  'system',
  'torch',
  'serialization',
  '_utils',
  '_rebuild_tensor_v2',
  'builtins',
  '__builtin__',
  'eval',
  'getattr',
  'numpy',
  'core',
  'multiarray',
  '_reconstruct',
  'copyreg',
  'copy_reg',
  '_reconstructor',
  'six',
  'moves',
  'path',
  'posixpath',
  'subprocess',
  'Popen',
  'collections',
  'OrderedDict',
  '__class__',
  '__init__',
  '__globals__',
  '__x__',
  '__',
  '',
  ' ',
  'constructor',
  '__proto__',
  'hasOwnProperty',
  'toString',
  'é',
  '💥',
  'a',
  'b',
  'code',
  'signal',
  'load',
  'loads',
  'sklearn',
  'hub',
  'x'.repeat(300),
  '\n',
  '\u0000',
  ':',
  '*',
];
const PROTOCOLS = [undefined, 0, 1, 2, 3, 4, 5, -1, Number.NaN, 1e9];

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

function randomPath(random: () => number): string {
  const parts: string[] = [];
  const count = 1 + Math.floor(random() * 5);
  for (let i = 0; i < count; i++) {
    parts.push(
      random() < 0.1 ? String.fromCharCode(Math.floor(random() * 0x3000)) : pick(random, VOCABULARY),
    );
  }
  return parts.join(random() < 0.9 ? '.' : ' ');
}

function checkVerdict(v: GlobalVerdict): void {
  switch (v.kind) {
    case 'allowed':
      expect(v.library.length).toBeGreaterThan(0);
      break;
    case 'dangerous':
      expect(DANGER_CATEGORIES).toContain(v.category);
      expect(v.reason.length).toBeGreaterThan(10);
      expect(v.reason.length).toBeLessThan(1000);
      break;
    case 'unknown':
      break;
  }
}

describe('pickle policy under random and mutated input', () => {
  it('classifies random names without throwing, deterministically', () => {
    const random = prng(0xb01a);
    const policy = createPicklePolicy({ allow: [{ module: 'mypkg', name: '*' }] });
    const fresh = createPicklePolicy({ allow: [{ module: 'mypkg', name: '*' }] });
    const started = Date.now();
    for (let i = 0; i < 20_000; i++) {
      const module = randomPath(random);
      const name = randomPath(random);
      const protocol = pick(random, PROTOCOLS);
      const v = policy.classify(module, name, protocol);
      checkVerdict(v);
      expect(policy.classify(module, name, protocol)).toEqual(v);
      if (i % 10 === 0) expect(fresh.classify(module, name, protocol)).toEqual(v);
    }
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('never makes a dangerous name safe by walking further into it', () => {
    const random = prng(7);
    const policy = createPicklePolicy();
    let dangerous = 0;
    for (let i = 0; i < 20_000; i++) {
      const module = randomPath(random);
      const name = randomPath(random);
      if (policy.classify(module, name, 4).kind !== 'dangerous') continue;
      dangerous++;
      expect(policy.classify(module, `${name}.${pick(random, VOCABULARY)}x`, 4).kind).toBe('dangerous');
    }
    expect(dangerous).toBeGreaterThan(100);
  });

  it('finds a dangerous module wherever a dotted name reaches it', () => {
    const random = prng(42);
    const policy = createPicklePolicy({ allow: [{ module: 'anything', name: '*' }] });
    const targets = [
      'os.system',
      'subprocess.Popen',
      'builtins.eval',
      'sys.modules',
      'pickle.loads',
      'importlib',
    ];
    for (let i = 0; i < 5_000; i++) {
      const module = pick(random, ['anything', 'torch', 'numpy', 'collections', 'sklearn.pipeline']);
      const prefix = Array.from({ length: Math.floor(random() * 4) }, () =>
        pick(random, ['a', 'Inner', 'helpers']),
      );
      const name = [...prefix, pick(random, targets)].join('.');
      expect(policy.classify(module, name, 4).kind, `${module} ${name}`).toBe('dangerous');
    }
  });

  it('stays linear on enormous names', () => {
    const policy = createPicklePolicy();
    const started = Date.now();
    const manySegments = Array.from({ length: 200_000 }, (_, i) => (i % 7 === 0 ? 'os' : 'a')).join('.');
    expect(policy.classify('torch', manySegments, 4).kind).toBe('dangerous');
    expect(policy.classify('torch', 'a.'.repeat(200_000) + 'b', 4).kind).toBe('unknown');
    expect(policy.classify('x'.repeat(2_000_000), 'y'.repeat(2_000_000), 4).kind).toBe('unknown');
    expect(parseAllowEntry(`${'a.'.repeat(100_000)}b:C`)).toBeDefined();
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('parses random allow entries without throwing', () => {
    const random = prng(99);
    for (let i = 0; i < 20_000; i++) {
      const text = `${randomPath(random)}${pick(random, [':', '', '::'])}${randomPath(random)}`;
      const entry = parseAllowEntry(text);
      if (entry !== undefined) {
        expect(entry.module).not.toContain(':');
        expect(entry.name === '*' || !entry.name.includes('*')).toBe(true);
      }
    }
  });
});
