import { describe, expect, it } from 'vitest';
import {
  ALLOWLIST_STATS,
  BUILTIN_ALLOWLISTS,
  builtinAllowlistLibrary,
  listBuiltinAllowlist,
} from './allowlist.js';
import { createPicklePolicy } from './pickle-policy.js';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const entries = listBuiltinAllowlist();

describe('built-in allowlist', () => {
  it('holds only exact dotted identifiers, no wildcards', () => {
    for (const { module, name } of entries) {
      for (const part of [...module.split('.'), ...name.split('.')]) expect(part).toMatch(IDENTIFIER);
    }
  });

  it('lists every global once', () => {
    const keys = entries.map((e) => `${e.module}:${e.name}`);
    const duplicates = keys.filter((k, i) => keys.indexOf(k) !== i);
    expect(duplicates).toEqual([]);
  });

  it('never allows what the denylist calls dangerous', () => {
    const policy = createPicklePolicy();
    const conflicts = entries.filter((e) => policy.classify(e.module, e.name, 4).kind !== 'allowed');
    expect(conflicts).toEqual([]);
    // Below protocol 3 a few names are remapped, but none becomes dangerous.
    expect(entries.filter((e) => policy.classify(e.module, e.name, 2).kind === 'dangerous')).toEqual([]);
  });

  it('tags each entry with its library', () => {
    for (const entry of entries)
      expect(builtinAllowlistLibrary(entry.module, entry.name)).toBe(entry.library);
    expect(builtinAllowlistLibrary('os', 'system')).toBeUndefined();
    expect(builtinAllowlistLibrary('constructor', '__proto__')).toBeUndefined();
  });

  it('counts globals per library for the docs', () => {
    const libraries = BUILTIN_ALLOWLISTS.map((l) => l.library);
    expect(Object.keys(ALLOWLIST_STATS).sort()).toEqual([...new Set(libraries)].sort());
    const total = Object.values(ALLOWLIST_STATS).reduce((a, b) => a + b, 0);
    expect(total).toBe(entries.length);
    expect(ALLOWLIST_STATS['scikit-learn']).toBeGreaterThanOrEqual(150);
  });

  it('covers what PyTorch writes for tensors, storages and layouts', () => {
    for (const name of [
      '_rebuild_tensor',
      '_rebuild_tensor_v2',
      '_rebuild_tensor_v3',
      '_rebuild_parameter',
    ]) {
      expect(builtinAllowlistLibrary('torch._utils', name)).toBe('pytorch');
    }
    for (const name of ['FloatStorage', 'UntypedStorage', 'float32', 'int64', 'strided', 'channels_last']) {
      expect(builtinAllowlistLibrary('torch', name)).toBe('pytorch');
    }
    expect(builtinAllowlistLibrary('torch._tensor', '_rebuild_from_type_v2')).toBe('pytorch');
    expect(builtinAllowlistLibrary('torch.nn.parameter', 'Parameter')).toBe('pytorch');
    expect(builtinAllowlistLibrary('torch.nn.modules.container', 'Sequential')).toBe('pytorch');
  });

  it('leaves out scipy.stats distributions, whose __setstate__ runs exec', () => {
    expect(builtinAllowlistLibrary('scipy.stats._continuous_distns', 'norm_gen')).toBeUndefined();
    expect(
      createPicklePolicy().classify('scipy.stats._distn_infrastructure', 'rv_continuous_frozen', 4).kind,
    ).toBe('dangerous');
  });
});
