import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../test/fixtures/deps/text-at.js';
import { pipCompileRequirements } from '../../test/fixtures/deps/manifests.js';
import { parseRequirements, type RequirementsEntry } from './requirements-parser.js';

type Requirement = Extract<RequirementsEntry, { kind: 'requirement' }>;

function requirements(text: string): Requirement[] {
  return parseRequirements(text).filter((e): e is Requirement => e.kind === 'requirement');
}

describe('parseRequirements', () => {
  it('joins continuation lines and keeps the hashes with their requirement', () => {
    const text = pipCompileRequirements();
    const found = requirements(text);
    expect(found.map((r) => r.requirement?.name)).toEqual([
      'certifi',
      'charset-normalizer',
      'idna',
      'numpy',
      'requests',
      'safetensors',
      'urllib3',
    ]);
    for (const r of found) expect(r.hashes).toHaveLength(2);
    const first = found[0];
    expect(text.slice(first?.span.start, first?.span.end)).toBe('certifi==2024.2.2');
    const hash = first?.hashes[1];
    expect(text.slice(hash?.start, hash?.end)).toMatch(/^--hash=sha256:[0-9a-f]{64}$/);
  });

  it('drops comments but not URL fragments', () => {
    const found = requirements(
      'foo==1.0  # pinned for reasons\n# just a comment\nbar @ https://x.example/bar-1.0.tar.gz#sha256=abc\n',
    );
    expect(found.map((r) => r.text)).toEqual([
      'foo==1.0',
      'bar @ https://x.example/bar-1.0.tar.gz#sha256=abc',
    ]);
  });

  it('does not continue a line that ends in a comment', () => {
    const found = requirements('foo==1.0 # note \\\nbar==2.0\n');
    expect(found.map((r) => r.text)).toEqual(['foo==1.0', 'bar==2.0']);
  });

  it('reads every option spelling', () => {
    const text = [
      '-i https://pypi.org/simple',
      '--index-url=https://pypi.org/simple',
      '--extra-index-url https://x.example/simple',
      '-fhttps://x.example/links',
      '--trusted-host x.example',
      '-r base.txt',
      '--requirement=other.txt',
      '-c constraints.txt',
      '--no-binary :all:',
      '--pre',
    ].join('\n');
    const options = parseRequirements(text).map((e) =>
      e.kind === 'option' ? `${e.option} ${e.value ?? ''}`.trim() : e.kind,
    );
    expect(options).toEqual([
      '--index-url https://pypi.org/simple',
      '--index-url https://pypi.org/simple',
      '--extra-index-url https://x.example/simple',
      '--find-links https://x.example/links',
      '--trusted-host x.example',
      '--requirement base.txt',
      '--requirement other.txt',
      '--constraint constraints.txt',
      '--no-binary :all:',
      '--pre',
    ]);
  });

  it('reads editable installs, bare URLs and VCS references', () => {
    const found = requirements(
      '-e .\n-e git+https://github.com/org/repo.git@v1#egg=repo\n./wheels/x-1.0-py3-none-any.whl\ngit+https://github.com/org/lib@main\n',
    );
    expect(found.map((r) => [r.editable, r.location])).toEqual([
      [true, '.'],
      [true, 'git+https://github.com/org/repo.git@v1#egg=repo'],
      [false, './wheels/x-1.0-py3-none-any.whl'],
      [false, 'git+https://github.com/org/lib@main'],
    ]);
  });

  it('turns malformed lines into invalid entries at the right place', () => {
    const text = 'good==1.0\nfoo[bar >= 1\n';
    const invalid = parseRequirements(text).find((e) => e.kind === 'invalid');
    expect(invalid?.kind).toBe('invalid');
    if (invalid?.kind === 'invalid') expect(text.slice(invalid.span.start, invalid.span.end)).toBe('>= 1');
  });

  it('handles CRLF line ends and a missing final newline', () => {
    const text = 'a==1 \\\r\n    --hash=sha256:00\r\nb==2';
    const found = requirements(text);
    expect(found.map((r) => r.text)).toEqual(['a==1', 'b==2']);
    expect(text.slice(found[0]?.hashes[0]?.start, found[0]?.hashes[0]?.end)).toBe('--hash=sha256:00');
  });

  it('never throws or hangs on random and mutated input', () => {
    const random = seededRandom(0x5eed);
    const alphabet = 'abcxyz019 \t\n\r\\#-=<>!~*.,;@[]()/:"\'+%$_{}\u00e9';
    const seedText =
      pipCompileRequirements() +
      '-e git+https://h/x@v#egg=x\n--extra-index-url https://i/s\nfoo[a,b]>=1;python_version<"3"\n';
    const started = Date.now();
    let bad = 0;
    for (let round = 0; round < 2000; round++) {
      let text: string;
      if (round % 2 === 0) {
        text = Array.from(
          { length: Math.floor(random() * 300) },
          () => alphabet[Math.floor(random() * alphabet.length)],
        ).join('');
      } else {
        const chars = [...seedText];
        for (let m = 0; m < 1 + Math.floor(random() * 12); m++) {
          const at = Math.floor(random() * chars.length);
          const op = random();
          if (op < 0.4) chars[at] = alphabet[Math.floor(random() * alphabet.length)] ?? '';
          else if (op < 0.7) chars.splice(at, Math.floor(random() * 20));
          else
            chars.splice(
              at,
              0,
              ...chars.slice(Math.floor(random() * chars.length), Math.floor(random() * chars.length)),
            );
        }
        text = chars.join('');
      }
      const entries = parseRequirements(text);
      for (const entry of entries) {
        if (entry.span.start < 0 || entry.span.end > text.length || entry.span.end < entry.span.start) bad++;
      }
    }
    expect(bad).toBe(0);
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});
