/** A package index or registry the organisation trusts: a host (optionally `*.` for subdomains) or a URL prefix. */
export interface TrustedIndex {
  readonly host: string;
  /** `*.example.com` also trusts every subdomain. */
  readonly subdomains: boolean;
  /** Present for URL entries: only URLs under this path (and with this scheme and port) are trusted. */
  readonly prefix?: { readonly protocol: string; readonly port: string; readonly path: string };
}

const HOST = /^(?:\*\.)?[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*(?::\d{1,5})?$/i;

/** Parses one `trustedIndexes` entry (`pypi.org`, `*.corp.example`, `https://nexus.example/pypi/`). */
export function parseTrustedIndex(entry: string): TrustedIndex | undefined {
  const text = entry.trim();
  if (text.includes('://')) {
    const url = parseUrl(text);
    if (url === undefined || (url.protocol !== 'https:' && url.protocol !== 'http:')) return undefined;
    const path = url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`;
    return {
      host: url.hostname,
      subdomains: false,
      prefix: { protocol: url.protocol, port: url.port, path },
    };
  }
  if (!HOST.test(text)) return undefined;
  const wildcard = text.startsWith('*.');
  return { host: (wildcard ? text.slice(2) : text).toLowerCase().replace(/:\d+$/, ''), subdomains: wildcard };
}

/** Tells whether a URL is served by one of the trusted indexes. */
export function isTrustedUrl(url: URL, trusted: readonly TrustedIndex[]): boolean {
  const host = url.hostname.toLowerCase();
  return trusted.some((entry) => {
    const hostMatches = host === entry.host || (entry.subdomains && host.endsWith(`.${entry.host}`));
    if (!hostMatches) return false;
    if (entry.prefix === undefined) return true;
    const path = url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`;
    return (
      url.protocol === entry.prefix.protocol &&
      url.port === entry.prefix.port &&
      path.startsWith(entry.prefix.path)
    );
  });
}

/** Parses an absolute URL; undefined for relative paths, environment placeholders and garbage. */
export function parseUrl(text: string): URL | undefined {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text) || text.includes('${')) return undefined;
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

/** A URL fit for a message: credentials, query and fragment removed, so no token is ever echoed. */
export function redactUrl(url: URL): string {
  const credentials = url.username !== '' || url.password !== '' ? '***@' : '';
  return `${url.protocol}//${credentials}${url.host}${url.pathname}`;
}

/** Tells whether a URL travels in clear text (`http:`), which lets anyone on the path swap packages. */
export function isPlainHttp(url: URL): boolean {
  return url.protocol === 'http:';
}

/** A version-control reference as pip, uv and Poetry write them (`git+https://host/repo.git@ref`). */
export interface VcsReference {
  readonly vcs: 'git' | 'hg' | 'svn' | 'bzr';
  /** The repository URL without the `vcs+` prefix, the ref and the fragment. */
  readonly url: string;
  readonly ref?: string;
}

const VCS_PREFIX = /^(git|hg|svn|bzr)\+/i;

/** Parses a `vcs+scheme://…@ref#fragment` requirement URL, or undefined when it is not one. */
export function parseVcsUrl(text: string): VcsReference | undefined {
  const prefix = VCS_PREFIX.exec(text);
  if (prefix === null) return undefined;
  const vcs = (prefix[1] ?? 'git').toLowerCase() as VcsReference['vcs'];
  const withoutFragment = text.slice(prefix[0].length).split('#')[0] ?? '';
  const schemeEnd = withoutFragment.indexOf('://');
  const pathStart =
    schemeEnd < 0 ? withoutFragment.indexOf(':') : withoutFragment.indexOf('/', schemeEnd + 3);
  const at = withoutFragment.lastIndexOf('@');
  if (pathStart >= 0 && at > pathStart) {
    return { vcs, url: withoutFragment.slice(0, at), ref: withoutFragment.slice(at + 1) };
  }
  return { vcs, url: withoutFragment };
}

/**
 * Tells whether a VCS ref names one immutable revision: a full 40-hex commit (or 64-hex SHA-256
 * object id) for git and Mercurial, a revision number for Subversion. Branches, tags and short
 * hashes can be moved or collide.
 */
export function isImmutableRef(vcs: VcsReference['vcs'], ref: string | undefined): boolean {
  if (ref === undefined) return false;
  if (vcs === 'svn') return /^\d+$/.test(ref);
  return /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i.test(ref);
}
