import { describe, expect, it } from 'vitest';
import { expectFault } from '../../../test/support/expect-fault.js';
import { parsePositionedJson, rawOffsets } from './json-positions.js';
import { notebookUnits, type NotebookUnit } from './notebook.js';
import { createSecretAnalyzer } from './secret-analyzer.js';

const TOKEN = 'ghp_Zx9Kq2Lm7Np4Rt8Vw1Yb5Cd3Fg6Hj0Kl2Mn4';

function notebook(cells: object[]): string {
  return JSON.stringify({ cells, metadata: {}, nbformat: 4, nbformat_minor: 5 }, null, 1);
}

/** The raw text a unit's region points at. */
function rawAt(raw: string, unit: NotebookUnit, start: number, end: number): string {
  const lines = raw.split('\n');
  const r = unit.locate(start, end);
  expect(r.endLine).toBe(r.line);
  return (lines[r.line - 1] ?? '').slice(r.column - 1, r.endColumn - 1);
}

describe('notebookUnits', () => {
  const raw = notebook([
    { cell_type: 'markdown', metadata: {}, source: ['# Title\n', 'Some *text*\n'] },
    {
      cell_type: 'code',
      execution_count: 1,
      metadata: {},
      source: 'import os\nprint("caf\u00e9")\ntoken = "' + TOKEN + '"',
      outputs: [
        { output_type: 'stream', name: 'stdout', text: ['caf\u00e9\n', `token=${TOKEN}\n`] },
        {
          output_type: 'execute_result',
          data: { 'text/plain': [`'${TOKEN}'`], 'image/png': 'iVBORw0KGgo=' },
          metadata: {},
        },
        { output_type: 'error', ename: 'E', evalue: 'bad', traceback: [`\u001b[0;31mE\u001b[0m: ${TOKEN}`] },
      ],
    },
  ]);
  const units = notebookUnits(raw);

  it('splits sources and text outputs into lines with cell, part, field and row', () => {
    expect(units.map((u) => [u.cell, u.part, u.field, u.row, u.text])).toEqual([
      [0, 'source', 'cells[0].source', 1, '# Title'],
      [0, 'source', 'cells[0].source', 2, 'Some *text*'],
      [1, 'source', 'cells[1].source', 1, 'import os'],
      [1, 'source', 'cells[1].source', 2, 'print("café")'],
      [1, 'source', 'cells[1].source', 3, `token = "${TOKEN}"`],
      [1, 'output', 'cells[1].outputs[0].text', 1, 'café'],
      [1, 'output', 'cells[1].outputs[0].text', 2, `token=${TOKEN}`],
      [1, 'output', 'cells[1].outputs[1].data["text/plain"]', 1, `'${TOKEN}'`],
      [1, 'output', 'cells[1].outputs[2].ename', 1, 'E'],
      [1, 'output', 'cells[1].outputs[2].evalue', 1, 'bad'],
      [1, 'output', 'cells[1].outputs[2].traceback', 1, `E: ${TOKEN}`],
    ]);
    for (const u of units) expect(u.kind).toBe('cell');
  });

  it('maps every match back to the exact raw line and column, through JSON escapes', () => {
    const analyzer = createSecretAnalyzer();
    const hits = units.flatMap((u) => analyzer.analyze(u.text).map((m) => ({ u, m })));
    expect(hits.map(({ u }) => u.field)).toEqual([
      'cells[1].source',
      'cells[1].outputs[0].text',
      'cells[1].outputs[1].data["text/plain"]',
      'cells[1].outputs[2].traceback',
    ]);
    for (const { u, m } of hits) expect(rawAt(raw, u, m.start, m.end)).toBe(TOKEN);
    // `print("café")` is `print(\"caf\u00e9\")` in the raw file when escaped: escapes take raw columns.
    const escaped = JSON.stringify({
      cells: [{ cell_type: 'code', source: ['x = "\u00e9\\t"; key="' + TOKEN + '"'] }],
    }).replace('\u00e9', '\\u00e9');
    const [unit] = notebookUnits(escaped);
    const at = unit?.text.indexOf(TOKEN) ?? -1;
    expect(unit && rawAt(escaped, unit, at, at + TOKEN.length)).toBe(TOKEN);
    expect(unit?.locate(0, 1)).toEqual({
      line: 1,
      column: escaped.indexOf('x = ') + 1,
      endLine: 1,
      endColumn: escaped.indexOf('x = ') + 2,
    });
  });

  it('reads nbformat 3 worksheets', () => {
    const v3 = JSON.stringify({
      worksheets: [{ cells: [{ cell_type: 'code', input: ['a = 1\n'], outputs: [{ text: ['1\n'] }] }] }],
    });
    expect(notebookUnits(v3).map((u) => [u.field, u.text])).toEqual([
      ['cells[0].source', 'a = 1'],
      ['cells[0].outputs[0].text', '1'],
    ]);
  });

  it('refuses invalid JSON, non-notebooks, too deep and too large input with one clear error', () => {
    expectFault(() => notebookUnits('{"cells": [1, }'), 'INPUT_INVALID', /invalid JSON at offset 14/);
    expectFault(() => notebookUnits('{"metadata": {}}'), 'INPUT_INVALID', /not a Jupyter notebook/);
    expectFault(
      () => notebookUnits(`{"cells": ${'['.repeat(300)}${']'.repeat(300)}}`),
      'INPUT_INVALID',
      /nesting deeper/,
    );
    expectFault(() => notebookUnits(notebook([]), { maxLength: 10 }), 'LIMIT_EXCEEDED', /larger than 10/);
  });
});

describe('parsePositionedJson', () => {
  it('is strict JSON', () => {
    for (const bad of ['{"a":1,}', "{'a':1}", '[01]', '"a\tb"', '"\\x41"', 'nul', '{"a" 1}', '[1] 2']) {
      expectFault(() => parsePositionedJson(bad), 'INPUT_INVALID', /invalid JSON/);
    }
    expect(parsePositionedJson(' {"a": [1.5e3, true, null, "x"]} ').kind).toBe('object');
  });

  it('records raw offsets of every decoded character of a string', () => {
    const text = '["a\\"b\\u00e9c"]';
    const node = parsePositionedJson(text);
    if (node.kind !== 'array' || node.items[0]?.kind !== 'string') throw new Error('unexpected shape');
    const str = node.items[0];
    expect(str.value).toBe('a"béc');
    expect([...rawOffsets(text, str)]).toEqual([2, 3, 5, 6, 12, 13]);
  });
});
