import { describe, expect, it } from 'vitest';
import { isOutputFormat, OUTPUT_FORMATS } from './output-format.js';
import { renderJson } from './render-json.js';
import { renderReport } from './render-report.js';
import { renderSarif } from './render-sarif.js';
import { renderTable } from './render-table.js';
import { buildReport } from './report.js';

const report = buildReport({
  toolVersion: '0.1.0',
  scanId: 's',
  startedAt: '2025-01-01T00:00:00Z',
  finishedAt: '2025-01-01T00:00:01Z',
  targets: ['.'],
  filesScanned: 1,
  filesSkipped: 0,
  bytesScanned: 10,
  findings: [{ ruleId: 'BW-X-001', severity: 'low', message: 'm', location: { path: 'a' }, controls: [] }],
});

describe('renderReport', () => {
  it('dispatches to the renderer of each format', () => {
    expect(renderReport(report, 'table', { color: true, rules: [] })).toBe(
      renderTable(report, { color: true }),
    );
    expect(renderReport(report, 'json', { color: false, rules: [] })).toBe(renderJson(report));
    expect(renderReport(report, 'sarif', { color: false, rules: [], srcRoot: '/r' })).toBe(
      renderSarif(report, [], { srcRoot: '/r' }),
    );
  });
});

describe('isOutputFormat', () => {
  it('knows the three formats', () => {
    expect(OUTPUT_FORMATS).toEqual(['table', 'json', 'sarif']);
    expect(isOutputFormat('sarif')).toBe(true);
    expect(isOutputFormat('xml')).toBe(false);
  });
});
