/** The package version, written into reports, SARIF and OCSF events. Kept equal to package.json by a test. */
export const VERSION = '0.1.0';
