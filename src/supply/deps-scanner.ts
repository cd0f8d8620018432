import { compareFindings, type Finding } from '../core/findings.js';
import { readFully } from '../core/scan/byte-sources.js';
import type { FileIdentity, ScanContext, Scanner, ScanTarget } from '../core/scan/types.js';
import { depsSettings, FindingSink, type DepsSettings } from './check-context.js';
import { decodeText } from './decode-text.js';
import { manifestKindOf, type ManifestKind } from './manifest-kinds.js';
import { checkNotebook } from './notebook-checks.js';
import { checkPackageLock } from './package-lock-checks.js';
import { checkPipfileLock } from './pipfile-lock-checks.js';
import { checkPoetryLock } from './poetry-lock-checks.js';
import { checkPyproject } from './pyproject-checks.js';
import { checkPythonSource } from './python-checks.js';
import { checkRequirementsText } from './requirements-checks.js';
import { DEP_RULES, MANIFEST_TOO_LARGE } from './rules.js';
import { LineIndex } from './text-lines.js';
import { checkUvLock } from './uv-lock-checks.js';

/** Notebooks may be this many times `maxFileSize` (64 MiB by default). */
export const NOTEBOOK_SIZE_FACTOR = 8;

/**
 * Sniffed kinds a manifest or source can have: TOML and requirement files sniff as text (or as CSV
 * when commas or semicolons line up), lock files as JSON or text, and a requirements file saved as
 * UTF-16 by PowerShell as binary.
 */
const ACCEPTED_KINDS = new Set(['text', 'json', 'jsonl', 'csv', 'tsv', 'python', 'notebook', 'binary']);

/**
 * The dependency supply-chain scanner (`bulwark scan deps`, controls R4 and T3): pip requirement
 * and constraint files, `pyproject.toml`, `poetry.lock`, `uv.lock`, `Pipfile.lock`,
 * `package-lock.json`, and Python sources and notebooks (Hugging Face repo ids,
 * `trust_remote_code`, notebook `pip install` lines). Pure: it reads only through the target's byte
 * source, never follows includes, and turns malformed input into findings.
 */
export const depsScanner: Scanner = {
  id: 'deps',
  description:
    'Dependency supply chain: unpinned or unhashed dependencies, untrusted and extra indexes, typosquats, ' +
    'look-alike Hugging Face repos and trust_remote_code',
  rules: DEP_RULES,
  accepts(identity: FileIdentity): boolean {
    return ACCEPTED_KINDS.has(identity.kind);
  },
  async scan(target: ScanTarget, context: ScanContext): Promise<Finding[]> {
    const kind = manifestKindOf(target.path, target.identity.kind);
    if (kind === undefined) return [];
    if (target.identity.kind === 'binary' && kind !== 'requirements' && kind !== 'constraints') return [];
    const settings = depsSettings(context.options);
    // Notebooks carry their outputs (plots, tables), so they get more room than manifests.
    const limit = settings.options.maxFileSize * (kind === 'notebook' ? NOTEBOOK_SIZE_FACTOR : 1);
    if (target.source.size > limit) return [tooLarge(target, kind, limit, settings)];
    context.signal?.throwIfAborted();
    const text = decodeText(await readFully(target.source, 0, target.source.size));
    return checkText(target.path, kind, text, settings);
  },
};

/**
 * Runs the checks of one manifest kind over its text (the scanner without the byte source); findings
 * come sorted by position.
 */
export function checkText(path: string, kind: ManifestKind, text: string, settings: DepsSettings): Finding[] {
  return runChecks(path, kind, text, settings).sort(compareFindings);
}

function runChecks(path: string, kind: ManifestKind, text: string, settings: DepsSettings): Finding[] {
  if (kind === 'notebook') return checkNotebook(path, text, settings);
  const sink = new FindingSink(path, new LineIndex(text), settings);
  switch (kind) {
    case 'requirements':
    case 'constraints':
      checkRequirementsText(sink, text, { kind, path });
      break;
    case 'pyproject':
      checkPyproject(sink, text);
      break;
    case 'poetry-lock':
      checkPoetryLock(sink, text);
      break;
    case 'uv-lock':
      checkUvLock(sink, text);
      break;
    case 'pipfile-lock':
      checkPipfileLock(sink, text);
      break;
    case 'package-lock':
      checkPackageLock(sink, text);
      break;
    case 'python-source':
      checkPythonSource(sink, text);
      break;
  }
  return sink.findings;
}

function tooLarge(target: ScanTarget, kind: ManifestKind, limit: number, settings: DepsSettings): Finding {
  const sink = new FindingSink(target.path, new LineIndex(''), settings);
  const source = kind === 'python-source' || kind === 'notebook';
  sink.add(MANIFEST_TOO_LARGE, {
    start: 0,
    end: 0,
    severity: source ? 'low' : 'medium',
    message: `${target.path} is ${target.source.size} bytes, over the ${limit}-byte limit of scanners.deps.maxFileSize; it was not checked`,
    evidence: { size: target.source.size, limit, kind },
  });
  return sink.findings[0] as Finding;
}
