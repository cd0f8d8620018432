import type { Rule } from '../rules.js';
import type { OutputFormat } from './output-format.js';
import { renderJson } from './render-json.js';
import { renderSarif } from './render-sarif.js';
import { renderTable } from './render-table.js';
import type { ScanReport } from './report.js';

/** What the renderers need besides the report. */
export interface RenderOptions {
  /** ANSI colour in the table (see `resolveColor`). */
  readonly color: boolean;
  /** The rule catalogue, listed in SARIF's `tool.driver.rules`. */
  readonly rules: readonly Rule[];
  /** The scan root as an absolute path, recorded in SARIF as `%SRCROOT%`. */
  readonly srcRoot?: string;
}

/** Renders a report in the chosen output format. */
export function renderReport(report: ScanReport, format: OutputFormat, options: RenderOptions): string {
  switch (format) {
    case 'table':
      return renderTable(report, { color: options.color });
    case 'json':
      return renderJson(report);
    case 'sarif':
      return renderSarif(
        report,
        options.rules,
        options.srcRoot === undefined ? {} : { srcRoot: options.srcRoot },
      );
  }
}
