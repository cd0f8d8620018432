/** Output formats of `bulwark` commands: a table for people, JSON and SARIF 2.1.0 for machines. */
export const OUTPUT_FORMATS = ['table', 'json', 'sarif'] as const;

export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** Tells whether a string names an output format. */
export function isOutputFormat(value: string): value is OutputFormat {
  return (OUTPUT_FORMATS as readonly string[]).includes(value);
}
