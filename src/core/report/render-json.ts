import type { ScanReport } from './report.js';

/** Renders a report as the versioned JSON output: 2-space indentation and a trailing newline. */
export function renderJson(report: ScanReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
