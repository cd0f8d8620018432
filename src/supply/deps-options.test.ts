import { describe, expect, it } from 'vitest';
import { expectFault } from '../../test/support/expect-fault.js';
import {
  DEFAULT_MAX_MANIFEST_BYTES,
  DEFAULT_TRUSTED_INDEXES,
  depsOptionsSchema,
  parseDepsOptions,
} from './deps-options.js';
import { isTrustedUrl, parseTrustedIndex } from './urls.js';

describe('parseDepsOptions', () => {
  it('fills every default', () => {
    expect(parseDepsOptions(undefined)).toEqual({
      trustedIndexes: [...DEFAULT_TRUSTED_INDEXES],
      popularPackages: [],
      popularModels: [],
      ignore: [],
      maxFileSize: DEFAULT_MAX_MANIFEST_BYTES,
    });
    expect(parseDepsOptions(null)).toEqual(parseDepsOptions({}));
  });

  it('keeps valid settings', () => {
    const options = parseDepsOptions({
      trustedIndexes: ['https://nexus.example.com/repository/pypi/', '*.corp.example'],
      popularPackages: ['acme-core', '@acme/sdk'],
      popularModels: ['acme-ml/fraud-detector'],
      ignore: ['pymssql'],
      maxFileSize: 1048576,
    });
    expect(options.trustedIndexes).toHaveLength(2);
    expect(options.ignore).toEqual(['pymssql']);
  });

  it('throws one CONFIG_INVALID line naming the setting', () => {
    expectFault(
      () => parseDepsOptions({ trustedIndexes: ['pypi.org', 'not a host'] }),
      'CONFIG_INVALID',
      /^scanners\.deps\.trustedIndexes\[1\]: expected a host/,
    );
    expectFault(
      () => parseDepsOptions({ popularModels: ['llama'] }),
      'CONFIG_INVALID',
      /^scanners\.deps\.popularModels\[0\]: expected a Hugging Face repo id/,
    );
    expectFault(
      () => parseDepsOptions({ trustedIndex: [] }),
      'CONFIG_INVALID',
      /^scanners\.deps: unknown key trustedIndex$/,
    );
    expectFault(
      () => parseDepsOptions({ maxFileSize: 'big' }),
      'CONFIG_INVALID',
      /^scanners\.deps\.maxFileSize: /,
    );
    expectFault(() => parseDepsOptions('yes'), 'CONFIG_INVALID', /^scanners\.deps: /);
  });

  it('publishes a JSON Schema for bulwark.yaml', () => {
    expect(depsOptionsSchema.toJSONSchema({ io: 'input' })).toMatchObject({ type: 'object' });
  });
});

describe('trusted indexes', () => {
  const trusted = ['pypi.org', '*.corp.example', 'https://nexus.example.com/repository/pypi/'].flatMap(
    (e) => parseTrustedIndex(e) ?? [],
  );
  const check = (url: string): boolean => isTrustedUrl(new URL(url), trusted);

  it('matches hosts, wildcard subdomains and URL prefixes', () => {
    expect(check('https://pypi.org/simple')).toBe(true);
    expect(check('https://PYPI.org/simple')).toBe(true);
    expect(check('https://test.pypi.org/simple')).toBe(false);
    expect(check('https://pypi.corp.example/simple')).toBe(true);
    expect(check('https://corp.example.evil.com/simple')).toBe(false);
    expect(check('https://nexus.example.com/repository/pypi/simple')).toBe(true);
    expect(check('https://nexus.example.com/repository/pypi-evil/simple')).toBe(false);
    expect(check('http://nexus.example.com/repository/pypi/simple')).toBe(false);
  });
});
