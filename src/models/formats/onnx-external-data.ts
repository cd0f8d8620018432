/** URL schemes a loader or a helper script might follow instead of reading a file next to the model. */
const URL_LIKE = /^(?:[a-z][a-z0-9+.-]*:\/\/|(?:file|https?|ftp|s3|gs|hdfs|smb|data|jar):)/i;
const DRIVE = /^[a-z]:/i;
// eslint-disable-next-line no-control-regex -- control characters are exactly what is looked for
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * Why an ONNX external data `location` could make the loader read outside the model folder, or
 * undefined when it is a plain relative path inside it. ONNX specifies a POSIX path relative to the
 * model's directory; anything else is either a traversal (CVE-2022-25882, CVE-2024-27318) or a
 * platform trick, so backslashes are treated as separators too (Windows loaders do).
 */
export function externalLocationProblem(location: string): string | undefined {
  if (location.length === 0) return 'empty path';
  if (CONTROL.test(location)) return 'control characters in the path';
  if (location.startsWith('\\\\') || location.startsWith('//')) return 'network (UNC) path';
  if (URL_LIKE.test(location)) return 'URL instead of a relative path';
  if (DRIVE.test(location)) return 'Windows drive path';
  if (location.startsWith('/') || location.startsWith('\\')) return 'absolute path';
  if (location.startsWith('~')) return 'home-directory path';
  let depth = 0;
  for (const segment of location.split(/[\\/]/)) {
    if (segment === '..') depth--;
    else if (segment !== '' && segment !== '.') depth++;
    if (depth < 0) return 'path climbs out of the model folder with ..';
  }
  return undefined;
}
