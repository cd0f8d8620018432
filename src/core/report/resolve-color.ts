/** The environment variables that decide colour; `process.env` fits. */
export type ColorEnv = Readonly<Record<string, string | undefined>>;

/**
 * Decides whether human output may use ANSI colour. `NO_COLOR` set to anything but the empty string
 * always wins (https://no-color.org); then `FORCE_COLOR` (`0` or `false` turns colour off, any other
 * value, the empty string included, turns it on, as in Node.js); then colour only on a terminal that
 * is not `TERM=dumb`.
 */
export function resolveColor(stream: { readonly isTTY?: boolean }, env: ColorEnv): boolean {
  const noColor = env.NO_COLOR;
  if (noColor !== undefined && noColor !== '') return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  if (env.TERM === 'dumb') return false;
  return stream.isTTY === true;
}
