/**
 * Bulwark as a library: the engines the CLI and the gateway run, with typed results. Engines are pure
 * (no file system or network of their own); see docs/ for each capability.
 */
export * from './prompts/index.js';
export * from './vectors/index.js';
export type { Finding, Location } from './core/findings.js';
export type { Rule } from './core/rules.js';
export { allRules } from './catalogue.js';
export { VERSION } from './version.js';
