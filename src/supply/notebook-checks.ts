import type { Finding } from '../core/findings.js';
import { FindingSink, type DepsSettings } from './check-context.js';
import { parseJsonDocument } from './json-support.js';
import { memberOf } from './json-tree.js';
import { checkPythonSource } from './python-checks.js';
import { checkRequirementEntries } from './requirements-checks.js';
import { parseRequirements, type RequirementsEntry } from './requirements-parser.js';
import { LineIndex } from './text-lines.js';

/** Cells of one notebook checked at most (a notebook with more is still checked up to here). */
export const MAX_NOTEBOOK_CELLS = 10_000;

/** Arguments of `pip install` lines read at most per cell. */
const MAX_INSTALL_WORDS = 1000;
const PIP_INSTALL = /^[ \t]*(?:!|%)[ \t]*(?:python3?[ \t]+-m[ \t]+)?pip3?[ \t]+install[ \t]+(.*)$/gm;
const FLAG_NAMES = [
  'upgrade',
  'quiet',
  'verbose',
  'user',
  'pre',
  'no-deps',
  'force-reinstall',
  'no-cache-dir',
  'ignore-installed',
  'break-system-packages',
  'no-build-isolation',
];
const FLAG_OPTIONS = new RegExp(
  `^-(?:[UqvIE]+|-(?:${FLAG_NAMES.join('|')}|upgrade-strategy=\\S*|progress-bar=\\S*))$`,
);

/**
 * Checks a Jupyter notebook: each code cell as Python source, and its `!pip install` / `%pip
 * install` lines as requirements (unpinned at low, typosquats, extra or untrusted indexes,
 * `--trusted-host`). Findings name the cell (`member: "cells[3]"`) and the line and column inside
 * the cell's source, which is what notebook viewers show.
 */
export function checkNotebook(path: string, text: string, settings: DepsSettings): Finding[] {
  const fileSink = new FindingSink(path, new LineIndex(text), settings);
  const root = parseJsonDocument(fileSink, text, 'notebook');
  if (root === undefined) return fileSink.findings;
  const cells = memberOf(root, 'cells')?.value;
  if (cells?.kind !== 'array') return fileSink.findings;
  const findings = [...fileSink.findings];
  cells.items.slice(0, MAX_NOTEBOOK_CELLS).forEach((cell, index) => {
    const type = memberOf(cell, 'cell_type')?.value;
    if (type?.kind !== 'string' || type.value !== 'code') return;
    const source = memberOf(cell, 'source')?.value;
    const code =
      source?.kind === 'string'
        ? source.value
        : source?.kind === 'array'
          ? source.items.map((item) => (item.kind === 'string' ? item.value : '')).join('')
          : '';
    if (code.trim() === '') return;
    const sink = new FindingSink(path, new LineIndex(code), settings, `cells[${index}]`);
    checkPythonSource(sink, code);
    checkPipInstalls(sink, code);
    findings.push(...sink.findings);
  });
  return findings;
}

/** Checks `!pip install …` lines of a cell as requirements, each argument at its place in the cell. */
function checkPipInstalls(sink: FindingSink, code: string): void {
  const entries: RequirementsEntry[] = [];
  let budget = MAX_INSTALL_WORDS;
  for (const match of code.matchAll(PIP_INSTALL)) {
    const args = match[1] ?? '';
    const argsStart = (match.index ?? 0) + match[0].length - args.length;
    const words = [...args.matchAll(/"[^"]*"|'[^']*'|[^\s"']+/g)].slice(0, 200);
    for (let i = 0; i < words.length && budget > 0; i++, budget--) {
      const word = words[i];
      if (word === undefined) continue;
      const quoted = /^["']/.test(word[0]);
      const text = quoted ? word[0].slice(1, -1) : word[0];
      const start = argsStart + (word.index ?? 0) + (quoted ? 1 : 0);
      if (text === '' || FLAG_OPTIONS.test(text)) continue;
      const pieces = [{ text, start }];
      const next = words[i + 1];
      if (
        text.startsWith('-') &&
        !text.includes('=') &&
        next !== undefined &&
        /^-(?:[rcefi]|-[a-z-]+)$/.test(text)
      ) {
        pieces.push({ text: next[0], start: argsStart + (next.index ?? 0) });
        i++;
      }
      entries.push(...parseRequirements(placed(code.length, pieces)));
    }
  }
  if (entries.length > 0) checkRequirementEntries(sink, entries, { kind: 'install', path: sink.path });
}

/** A text as long as the cell, blank except for `pieces` at their offsets, so parsed offsets are the cell's. */
function placed(length: number, pieces: readonly { text: string; start: number }[]): string {
  let text = '';
  for (const piece of pieces) {
    text += ' '.repeat(Math.max(0, Math.min(length, piece.start) - text.length)) + piece.text;
  }
  return text;
}
