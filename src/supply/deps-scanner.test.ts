import { describe, expect, it } from 'vitest';
import {
  cleanPyproject,
  fakeSha256,
  notebook,
  packageLockV1,
  packageLockV3,
  pipCompileRequirements,
  pipfileLock,
  poetryLock,
  uvLock,
} from '../../test/fixtures/deps/manifests.js';
import { seededRandom, textAt } from '../../test/fixtures/deps/text-at.js';
import { bytesSource } from '../core/scan/byte-sources.js';
import { runScan } from '../core/scan/engine.js';
import { ScannerRegistry } from '../core/scan/registry.js';
import { identityOf, type FileKind } from '../core/scan/file-kinds.js';
import { DEFAULT_SCAN_LIMITS } from '../core/scan/types.js';
import type { Finding } from '../core/findings.js';
import { depsSettings } from './check-context.js';
import { checkText, depsScanner } from './deps-scanner.js';
import type { ManifestKind } from './manifest-kinds.js';

const encoder = new TextEncoder();

async function scan(
  path: string,
  text: string | Uint8Array,
  kind: FileKind = 'text',
  options?: unknown,
): Promise<Finding[]> {
  const bytes = typeof text === 'string' ? encoder.encode(text) : text;
  return depsScanner.scan(
    { path, source: bytesSource(bytes), identity: identityOf(kind) },
    { limits: DEFAULT_SCAN_LIMITS, options },
  );
}

/** Rule, severity and the exact text each finding points at. */
function summary(text: string, findings: readonly Finding[]): string[] {
  return findings.map((f) => `${f.ruleId} ${f.severity} ${textAt(text, f.location)}`);
}

describe('depsScanner on a clean project', () => {
  it.each([
    ['requirements.txt', pipCompileRequirements(), 'text'],
    ['poetry.lock', poetryLock(), 'text'],
    ['uv.lock', uvLock(), 'text'],
    ['Pipfile.lock', pipfileLock(), 'json'],
    ['package-lock.json', packageLockV3(), 'json'],
    ['npm-shrinkwrap.json', packageLockV1(), 'json'],
    ['pyproject.toml', cleanPyproject(), 'text'],
  ] as const)('%s has no finding', async (path, text, kind) => {
    expect(await scan(path, text, kind)).toEqual([]);
  });

  it('ignores files that are not manifests', async () => {
    expect(await scan('notes.txt', 'torchh>=1\n')).toEqual([]);
    expect(await scan('package.json', '{"dependencies":{"opena1":"*"}}', 'json')).toEqual([]);
    expect(depsScanner.accepts(identityOf('pickle'))).toBe(false);
    expect(depsScanner.accepts(identityOf('csv'))).toBe(true);
  });
});

describe('requirements files', () => {
  it('reports every problem at the offending text', async () => {
    const text = [
      '--index-url http://mirror.example.com/simple',
      '--extra-index-url https://internal.example.com/simple',
      '--trusted-host mirror.example.com',
      'numpy==1.26.4',
      'torchh==2.3.1',
      'pandas>=2.0',
      'requests',
      'scipy==1.*',
      'mylib @ git+https://github.com/acme/mylib@v1.2',
      '-r https://example.com/more-requirements.txt',
      '',
    ].join('\n');
    expect(summary(text, await scan('requirements.txt', text))).toEqual([
      'BW-DEP-005 medium --index-url http://mirror.example.com/simple',
      'BW-DEP-006 high --index-url http://mirror.example.com/simple',
      'BW-DEP-004 high --extra-index-url https://internal.example.com/simple',
      'BW-DEP-007 high --trusted-host mirror.example.com',
      'BW-DEP-002 low numpy==1.26.4',
      'BW-DEP-008 high torchh',
      'BW-DEP-001 medium >=2.0',
      'BW-DEP-001 medium requests',
      'BW-DEP-001 medium ==1.*',
      'BW-DEP-001 medium mylib @ git+https://github.com/acme/mylib@v1.2',
      'BW-DEP-015 medium -r https://example.com/more-requirements.txt',
    ]);
  });

  it('reports unhashed lines as high when other lines have hashes', async () => {
    const text = `${pipCompileRequirements().trimEnd()}\nextra-package==1.0\n`;
    expect(summary(text, await scan('requirements/prod.txt', text))).toEqual([
      'BW-DEP-002 high extra-package==1.0',
    ]);
  });

  it('reports weak hashes', async () => {
    const text = `a==1.0 --hash=md5:${fakeSha256('a').slice(0, 32)}\n`;
    expect(
      summary(text, await scan('requirements.txt', text)).map((s) => s.split(' ').slice(0, 2).join(' ')),
    ).toEqual(['BW-DEP-003 low']);
  });

  it('does not ask for hashes in constraints files, and skips ignored packages', async () => {
    expect(await scan('constraints.txt', 'numpy==1.26.4\n')).toEqual([]);
    const findings = await scan('dev.requirements.txt', 'torchh\n', 'text', { ignore: ['torchh'] });
    expect(findings).toEqual([]);
  });

  it('reports includes outside the scan at info and follows none', async () => {
    const text = '-r ../../shared/base.txt\n-r common.txt\n';
    expect(summary(text, await scan('svc/requirements.txt', text))).toEqual([
      'BW-DEP-015 info -r ../../shared/base.txt',
    ]);
  });

  it('gives one "could not parse" finding for broken lines and checks the rest', async () => {
    const text = 'numpy==1.26.4\nfoo[bar >= 1\nbaz (>=1\ntorchh==1.0\n';
    const findings = await scan('requirements.txt', text);
    const broken = findings.filter((f) => f.ruleId === 'BW-DEP-013');
    expect(broken).toHaveLength(1);
    expect(broken[0]).toMatchObject({ severity: 'medium', location: { line: 2 } });
    expect(broken[0]?.message).toMatch(/could not parse.*and 1 more/);
    expect(findings.some((f) => f.ruleId === 'BW-DEP-008')).toBe(true);
  });

  it('reads UTF-16 files written by PowerShell, with columns after the BOM', async () => {
    const text = 'torchh==1.0\r\n';
    const bytes = new Uint8Array(2 + text.length * 2);
    bytes.set([0xff, 0xfe]);
    for (let i = 0; i < text.length; i++) bytes[2 + i * 2] = text.charCodeAt(i);
    const findings = await scan('requirements.txt', bytes, 'binary');
    expect(findings.find((f) => f.ruleId === 'BW-DEP-008')?.location).toMatchObject({
      line: 1,
      column: 1,
      endColumn: 7,
    });
  });
});

describe('pyproject.toml', () => {
  it('reports ranges at info, missing constraints at low, and real problems at full severity', async () => {
    const text = [
      '[build-system]',
      'requires = ["setuptools>=61"]',
      '',
      '[project]',
      'name = "lib"',
      'dependencies = ["numpy>=1.26", "requests", "transfomers==4.41.0", "x @ git+https://github.com/a/x@main"]',
      '',
      '[tool.poetry.dependencies]',
      'python = "^3.10"',
      'pandas = "^2.2"',
      'torch = { git = "https://github.com/pytorch/pytorch.git", branch = "main" }',
      '',
      '[[tool.poetry.source]]',
      'name = "internal"',
      'url = "https://pypi.internal.example.com/simple"',
      'priority = "supplemental"',
      '',
      '[tool.uv]',
      'extra-index-url = ["http://old.example.com/simple"]',
      '',
      '[[tool.pdm.source]]',
      'name = "corp"',
      'url = "https://corp.example.com/simple"',
      'verify_ssl = false',
      '',
    ].join('\n');
    expect(summary(text, await scan('pyproject.toml', text))).toEqual([
      'BW-DEP-001 info >=61',
      'BW-DEP-001 info >=1.26',
      'BW-DEP-001 low requests',
      'BW-DEP-008 high transfomers',
      'BW-DEP-001 medium git+https://github.com/a/x@main',
      'BW-DEP-001 info "^2.2"',
      'BW-DEP-001 medium "https://github.com/pytorch/pytorch.git"',
      'BW-DEP-004 high "https://pypi.internal.example.com/simple"',
      'BW-DEP-005 medium "https://pypi.internal.example.com/simple"',
      'BW-DEP-004 low "http://old.example.com/simple"',
      'BW-DEP-005 medium "http://old.example.com/simple"',
      'BW-DEP-006 high "http://old.example.com/simple"',
      'BW-DEP-004 high "https://corp.example.com/simple"',
      'BW-DEP-005 medium "https://corp.example.com/simple"',
      'BW-DEP-007 high verify_ssl',
    ]);
  });

  it('gives one "could not parse" finding at the TOML error', async () => {
    const text = '[project]\nname = "x"\ndependencies = ["a",\n[tool.x]\n';
    const findings = await scan('pyproject.toml', text);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ ruleId: 'BW-DEP-013', severity: 'medium', location: { line: 4 } });
  });
});

describe('lock files', () => {
  it('poetry.lock: untrusted source, missing and weak hashes, git without commit', async () => {
    const extra = [
      '[[package]]',
      'name = "internal-lib"',
      'version = "1.0.0"',
      'description = ""',
      'optional = false',
      'python-versions = "*"',
      'files = []',
      '',
      '[package.source]',
      'type = "legacy"',
      'url = "https://pypi.internal.example.com/simple"',
      'reference = "internal"',
      '',
      '[[package]]',
      'name = "old-lib"',
      'version = "0.1"',
      'description = ""',
      'optional = false',
      'python-versions = "*"',
      'files = [',
      '    {file = "old_lib-0.1.tar.gz", hash = "md5:0123456789abcdef0123456789abcdef"},',
      ']',
      '',
      '[[package]]',
      'name = "forked"',
      'version = "2.0"',
      'description = ""',
      'optional = false',
      'python-versions = "*"',
      'files = []',
      '',
      '[package.source]',
      'type = "git"',
      'url = "https://github.com/acme/forked.git"',
      'reference = "main"',
      'resolved_reference = "main"',
    ].join('\n');
    const text = poetryLock(undefined, extra);
    expect(summary(text, await scan('poetry.lock', text))).toEqual([
      'BW-DEP-002 medium "internal-lib"',
      'BW-DEP-005 medium "https://pypi.internal.example.com/simple"',
      'BW-DEP-003 low "old-lib"',
      'BW-DEP-001 medium "https://github.com/acme/forked.git"',
    ]);
  });

  it('uv.lock: typosquat, untrusted registry once per host, missing hashes, git pinned by commit', async () => {
    const commit = fakeSha256('commit').slice(0, 40);
    const extra = [
      '[[package]]',
      'name = "reqeusts"',
      'version = "2.31.0"',
      'source = { registry = "https://mirror.example.com/simple" }',
      '',
      '[[package]]',
      'name = "other"',
      'version = "1.0"',
      'source = { registry = "https://mirror.example.com/simple" }',
      `sdist = { url = "https://mirror.example.com/files/other-1.0.tar.gz", hash = "sha256:${fakeSha256('o')}", size = 10 }`,
      '',
      '[[package]]',
      'name = "tool"',
      'version = "0.3.0"',
      `source = { git = "https://github.com/acme/tool?rev=v0.3#${commit}" }`,
    ].join('\n');
    const text = uvLock(undefined, extra);
    expect(summary(text, await scan('uv.lock', text))).toEqual([
      'BW-DEP-002 medium "reqeusts"',
      'BW-DEP-008 high "reqeusts"',
      'BW-DEP-005 medium "https://mirror.example.com/simple"',
    ]);
  });

  it('Pipfile.lock: verify_ssl false, unpinned version, missing hashes, git ref', async () => {
    const base = JSON.parse(
      pipfileLock([], {
        torchvison: { hashes: [`sha256:${fakeSha256('tv')}`], version: '==0.18.0' },
        loose: { hashes: [], version: '*' },
        gitdep: { git: 'https://github.com/acme/gitdep.git', ref: 'v1.0' },
      }),
    ) as { _meta: { sources: { verify_ssl: boolean }[] } };
    const first = base._meta.sources[0];
    if (first) first.verify_ssl = false;
    const text = `${JSON.stringify(base, null, 4)}\n`;
    expect(summary(text, await scan('Pipfile.lock', text, 'json'))).toEqual([
      'BW-DEP-007 high "verify_ssl": false',
      'BW-DEP-008 high torchvison',
      'BW-DEP-002 medium "loose"',
      'BW-DEP-001 medium "version": "*"',
      'BW-DEP-001 medium "git": "https://github.com/acme/gitdep.git"',
    ]);
  });

  it('package-lock.json v3: untrusted registry, missing and sha1 integrity, root typosquat', async () => {
    const text = packageLockV3([{ name: '0penai', version: '1.0.0' }], {
      'node_modules/left-pad': {
        version: '1.3.0',
        resolved: 'http://npm.example.com/left-pad/-/left-pad-1.3.0.tgz',
      },
      'node_modules/old': {
        version: '0.0.1',
        resolved: 'https://registry.npmjs.org/old/-/old-0.0.1.tgz',
        integrity: 'sha1-2jmj7l5rSw0yVb/vlWAYkK/YBwk=',
      },
      'node_modules/linked': { resolved: 'packages/linked', link: true },
      'node_modules/gitdep': { version: '1.0.0', resolved: 'git+ssh://git@github.com/acme/gitdep.git#main' },
    });
    expect(summary(text, await scan('package-lock.json', text, 'json'))).toEqual([
      'BW-DEP-008 high 0penai',
      'BW-DEP-002 medium "node_modules/left-pad"',
      'BW-DEP-005 medium "http://npm.example.com/left-pad/-/left-pad-1.3.0.tgz"',
      'BW-DEP-006 high "http://npm.example.com/left-pad/-/left-pad-1.3.0.tgz"',
      'BW-DEP-003 low "sha1-2jmj7l5rSw0yVb/vlWAYkK/YBwk="',
      'BW-DEP-001 medium "git+ssh://git@github.com/acme/gitdep.git#main"',
    ]);
  });

  it('package-lock.json v1: nested dependencies are checked too', async () => {
    const text = packageLockV1(undefined, {
      wrapper: {
        version: '1.0.0',
        resolved: 'https://registry.npmjs.org/wrapper/-/wrapper-1.0.0.tgz',
        integrity: 'sha512-AAAA',
        dependencies: { inner: { version: '1.0.0', resolved: 'https://evil.example.com/inner-1.0.0.tgz' } },
      },
    });
    expect(summary(text, await scan('package-lock.json', text, 'json'))).toEqual([
      'BW-DEP-002 medium "inner"',
      'BW-DEP-005 medium "https://evil.example.com/inner-1.0.0.tgz"',
    ]);
  });

  it.each([
    ['poetry.lock', '[[package]]\nname = "a"\nversion = \n', 'text', 3],
    ['uv.lock', 'version = 1\n[[package]\nname = "a"\n', 'text', 2],
    ['Pipfile.lock', '{\n    "default": {\n        "a": {"version": "==1"}\n    ,\n}\n', 'json', 5],
    ['package-lock.json', '{\n  "lockfileVersion": 3,\n  "packages": {\n    "": {\n  }\n', 'json', 6],
  ] as const)(
    'a broken %s gives one medium "could not parse" finding with its line',
    async (path, text, kind, line) => {
      const findings = await scan(path, text, kind);
      expect(findings).toHaveLength(1);
      expect(findings[0]).toMatchObject({
        ruleId: 'BW-DEP-013',
        severity: 'medium',
        location: { path, line },
      });
      expect(findings[0]?.message).toMatch(/^could not parse/);
    },
  );
});

describe('notebooks', () => {
  it('checks code cells and pip install lines, located by cell', async () => {
    const text = notebook([
      '# Fine-tuning',
      '!pip install -q transformers==4.41.0 torchh\n',
      'from transformers import AutoModel\nmodel = AutoModel.from_pretrained("someone/model", trust_remote_code=True)\n',
    ]);
    const findings = await scan('nb/train.ipynb', text, 'notebook');
    expect(
      findings.map((f) => [f.ruleId, f.severity, f.location.member, f.location.line, f.location.column]),
    ).toEqual([
      ['BW-DEP-001', 'low', 'cells[1]', 1, 38],
      ['BW-DEP-008', 'high', 'cells[1]', 1, 38],
      ['BW-DEP-011', 'info', 'cells[2]', 2, 35],
      ['BW-DEP-012', 'high', 'cells[2]', 2, 52],
    ]);
  });

  it('gives one finding for a broken notebook', async () => {
    const findings = await scan('a.ipynb', '{"cells": [', 'notebook');
    expect(findings.map((f) => [f.ruleId, f.severity])).toEqual([['BW-DEP-013', 'medium']]);
  });
});

describe('limits and options', () => {
  it('refuses manifests over the size limit with one finding', async () => {
    const findings = await scan('requirements.txt', 'a==1\n'.repeat(400), 'text', { maxFileSize: 1024 });
    expect(findings.map((f) => [f.ruleId, f.severity, f.location.line])).toEqual([
      ['BW-DEP-014', 'medium', 1],
    ]);
  });

  it('reads the trusted indexes from the options', async () => {
    const text =
      '--index-url https://nexus.example.com/repository/pypi/simple\nnumpy==1.26.4 --hash=sha256:00\n';
    expect(
      await scan('requirements.txt', text, 'text', {
        trustedIndexes: ['https://nexus.example.com/repository/pypi/'],
      }),
    ).toEqual([]);
    expect(await scan('requirements.txt', text, 'text', { trustedIndexes: ['*.example.com'] })).toEqual([]);
    expect((await scan('requirements.txt', text)).map((f) => f.ruleId)).toEqual(['BW-DEP-005']);
  });

  it('protects extra popular packages', async () => {
    const findings = await scan(
      'requirements.txt',
      'acme-core==1.0 --hash=sha256:00\nacme-c0re==1.0 --hash=sha256:00\n',
      'text',
      {
        popularPackages: ['acme-core'],
      },
    );
    expect(findings.map((f) => [f.ruleId, f.location.line])).toEqual([['BW-DEP-008', 2]]);
  });

  it('declares every rule it reports, with controls R4 (and T3 for model repos)', () => {
    const ids = depsScanner.rules.map((r) => r.id);
    expect(ids).toEqual([...new Set(ids)]);
    for (const rule of depsScanner.rules) expect(rule.controls).toContain('R4');
    expect(depsScanner.rules.find((r) => r.id === 'BW-DEP-009')?.controls).toContain('T3');
  });
});

async function* asAsync<T>(items: readonly T[]): AsyncGenerator<T> {
  for (const item of items) yield await Promise.resolve(item);
}

describe('through the scan engine', () => {
  it('receives every manifest kind from content sniffing and reports at exact locations', async () => {
    const files: Record<string, string> = {
      'app/requirements.txt':
        'torch==2.3.1; python_version >= "3.9"\ntransformers[torch,sentencepiece]>=4.40\n',
      'app/pyproject.toml': cleanPyproject(),
      'app/poetry.lock': poetryLock(),
      'app/uv.lock': uvLock(),
      'app/Pipfile.lock': pipfileLock(),
      'web/package-lock.json': packageLockV3(),
      'app/load.py': 'm = AutoModel.from_pretrained("Qwen/Qwen2.5-7B-Instruct", trust_remote_code=True)\n',
      'nb/explore.ipynb': notebook(['# Explore', '!pip install pandaz\n']),
    };
    const entries = Object.entries(files).map(([path, text]) => {
      const bytes = encoder.encode(text);
      return {
        kind: 'file' as const,
        path,
        size: bytes.length,
        open: () => Promise.resolve({ ...bytesSource(bytes), close: () => Promise.resolve() }),
      };
    });
    const registry = new ScannerRegistry();
    registry.register(depsScanner);
    const outcome = await runScan({
      entries: asAsync(entries),
      registry,
      limits: DEFAULT_SCAN_LIMITS,
    });
    expect(outcome.files.every((f) => f.scanners.includes('deps'))).toBe(true);
    const byPath = outcome.findings.map(
      (f) =>
        `${f.location.path} ${f.ruleId} ${f.severity} ${textAt(files[f.location.path] ?? '', f.location)}`,
    );
    expect(byPath).toEqual([
      'app/load.py BW-DEP-011 info "Qwen/Qwen2.5-7B-Instruct"',
      'app/load.py BW-DEP-012 medium trust_remote_code=True',
      'app/requirements.txt BW-DEP-002 low torch==2.3.1; python_version >= "3.9"',
      'app/requirements.txt BW-DEP-001 medium >=4.40',
      expect.stringMatching(/^nb\/explore\.ipynb BW-DEP-001 low /),
      expect.stringMatching(/^nb\/explore\.ipynb BW-DEP-008 high /),
    ]);
  });
});

describe('robustness', () => {
  it('never throws on mutated manifests of every kind, and every finding has a text region', () => {
    const random = seededRandom(0xdead);
    const samples: [string, ManifestKind, string][] = [
      ['requirements.txt', 'requirements', pipCompileRequirements()],
      ['pyproject.toml', 'pyproject', cleanPyproject()],
      ['poetry.lock', 'poetry-lock', poetryLock()],
      ['uv.lock', 'uv-lock', uvLock()],
      ['Pipfile.lock', 'pipfile-lock', pipfileLock()],
      ['package-lock.json', 'package-lock', packageLockV3()],
      [
        'a.ipynb',
        'notebook',
        notebook(['# x', 'm = AutoModel.from_pretrained("a/b", trust_remote_code=True)\n']),
      ],
    ];
    const alphabet = '[]{}"\'=.,:#\n\\ -@abc019';
    const settings = depsSettings(undefined);
    let checked = 0;
    for (const [path, kind, seed] of samples) {
      for (let round = 0; round < 120; round++) {
        const chars = [...seed];
        for (let m = 0; m < 1 + Math.floor(random() * 8); m++) {
          const at = Math.floor(random() * chars.length);
          if (random() < 0.5) chars[at] = alphabet[Math.floor(random() * alphabet.length)] ?? '';
          else chars.splice(at, Math.floor(random() * 40));
        }
        for (const finding of checkText(path, kind, chars.join(''), settings)) {
          expect(finding.location.line).toBeGreaterThanOrEqual(1);
          expect(finding.location.column).toBeGreaterThanOrEqual(1);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(0);
  });
});
