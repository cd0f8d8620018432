import { describe, expect, it } from 'vitest';
import { readDependencies, type PackageRef } from './dependency-readers.js';

const H1 = 'a'.repeat(64);
const H2 = 'b'.repeat(64);

function byName(packages: readonly PackageRef[], name: string): PackageRef | undefined {
  return packages.find((p) => p.name === name);
}

describe('readDependencies', () => {
  it('reads requirements: exact pins get a version, ranges do not, hashes are kept', () => {
    const list = readDependencies(
      'deps.txt',
      `# comment\nrequests==2.32.3 \\\n  --hash=sha256:${H1}\nnumpy>=1.26,<2\nfoo==1.*\nbar===1.0\ngit+https://example.com/x.git\n-c constraints.txt\nnot valid ((\n`,
    );
    expect(list.kind).toBe('requirements');
    expect(byName(list.packages, 'requests')).toEqual({
      ecosystem: 'pypi',
      name: 'requests',
      version: '2.32.3',
      hashes: [{ alg: 'SHA-256', content: H1 }],
      fileHashes: [],
      isDevelopment: false,
    });
    expect(byName(list.packages, 'numpy')?.version).toBeUndefined();
    expect(byName(list.packages, 'foo')?.version).toBeUndefined();
    expect(byName(list.packages, 'bar')?.version).toBe('1.0');
    expect(list.warnings).toEqual([
      'deps.txt: skipped a requirement without a package name: git+https://example.com/x.git',
      'deps.txt: --constraint constraints.txt is not followed; pass it with --requirements',
      expect.stringMatching(/^deps.txt: skipped: /),
    ]);
  });

  it('keeps several wheel hashes as file hashes, not as the package hash', () => {
    const list = readDependencies(
      'requirements.txt',
      `six==1.16.0 --hash=sha256:${H1} --hash=sha256:${H2}\n`,
    );
    expect(list.packages[0]).toMatchObject({ hashes: [], fileHashes: [{ content: H1 }, { content: H2 }] });
  });

  it('reads pyproject.toml: project, optional and group dependencies, poetry tables', () => {
    const list = readDependencies(
      'pyproject.toml',
      `[project]\ndependencies = ["httpx==0.27.0", "pydantic>=2"]\n[project.optional-dependencies]\ngpu = ["triton==3.0.0"]\n[dependency-groups]\ndev = ["pytest==8.3.2"]\n[tool.poetry.dependencies]\npython = "^3.11"\nrich = "13.7.1"\nclick = { version = "^8.1" }\n`,
    );
    expect(list.packages.map((p) => [p.name, p.version ?? null, p.isDevelopment])).toEqual([
      ['httpx', '0.27.0', false],
      ['pydantic', null, false],
      ['triton', '3.0.0', false],
      ['pytest', '8.3.2', true],
      ['rich', '13.7.1', false],
      ['click', null, false],
    ]);
  });

  it('reads poetry.lock (2.x files and 1.x metadata.files) and uv.lock, skipping the project itself', () => {
    const poetry = readDependencies(
      'poetry.lock',
      `[[package]]\nname = "idna"\nversion = "3.7"\nfiles = [{file = "idna-3.7.whl", hash = "sha256:${H1}"}]\n\n[[package]]\nname = "old"\nversion = "1.0"\ncategory = "dev"\n\n[metadata.files]\nold = [{file = "old.whl", hash = "sha256:${H2}"}, {file = "old.tar.gz", hash = "sha256:${H1}"}]\n`,
    );
    expect(poetry.packages).toEqual([
      expect.objectContaining({ name: 'idna', version: '3.7', hashes: [{ alg: 'SHA-256', content: H1 }] }),
      expect.objectContaining({ name: 'old', version: '1.0', hashes: [], isDevelopment: true }),
    ]);
    expect(poetry.packages[1]?.fileHashes).toHaveLength(2);
    const uv = readDependencies(
      'uv.lock',
      `version = 1\n[[package]]\nname = "app"\nversion = "0.1.0"\nsource = { virtual = "." }\n\n[[package]]\nname = "anyio"\nversion = "4.4.0"\nsource = { registry = "https://pypi.org/simple" }\nsdist = { url = "https://x/anyio.tar.gz", hash = "sha256:${H1}" }\nwheels = [{ url = "https://x/anyio.whl", hash = "sha256:${H2}" }]\n`,
    );
    expect(uv.packages.map((p) => p.name)).toEqual(['anyio']);
    expect(uv.packages[0]?.fileHashes).toHaveLength(2);
  });

  it('reads Pipfile.lock and package-lock.json version 1', () => {
    const pipfile = readDependencies(
      'Pipfile.lock',
      JSON.stringify({
        _meta: { sources: [] },
        default: { flask: { version: '==3.0.3', hashes: [`sha256:${H1}`] } },
        develop: { black: { version: '==24.4.2', hashes: [] } },
      }),
    );
    expect(pipfile.packages).toEqual([
      expect.objectContaining({ name: 'flask', version: '3.0.3', hashes: [{ alg: 'SHA-256', content: H1 }] }),
      expect.objectContaining({ name: 'black', version: '24.4.2', isDevelopment: true }),
    ]);
    const integrity = `sha1-${Buffer.from('x'.repeat(20)).toString('base64')}`;
    const lock = readDependencies(
      'npm-shrinkwrap.json',
      JSON.stringify({
        lockfileVersion: 1,
        dependencies: {
          a: { version: '1.0.0', integrity, dependencies: { b: { version: '2.0.0', dev: true } } },
        },
      }),
    );
    expect(lock.packages).toEqual([
      expect.objectContaining({
        ecosystem: 'npm',
        name: 'a',
        version: '1.0.0',
        hashes: [{ alg: 'SHA-1', content: '78'.repeat(20) }],
      }),
      expect.objectContaining({ name: 'b', version: '2.0.0', isDevelopment: true }),
    ]);
  });

  it('fails with one line on files it cannot parse or that are not manifests', () => {
    expect(() => readDependencies('package-lock.json', '{ broken')).toThrow(
      /package-lock.json is not valid JSON/,
    );
    expect(() => readDependencies('poetry.lock', '[[package]\n')).toThrow(/cannot parse poetry.lock/);
    expect(() => readDependencies('train.py', 'import torch\n')).toThrow(/not a dependency manifest/);
  });
});
