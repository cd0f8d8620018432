// The package ships no types; this is the part Bulwark uses (it throws on an invalid expression).
declare module 'spdx-expression-parse' {
  /** Parses an SPDX licence expression into its tree; throws when the expression is invalid. */
  function parse(source: string): unknown;
  export default parse;
}
