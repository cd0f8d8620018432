import { authFailure, type AuthResult, type PrincipalLimits } from './principal.js';

/**
 * The parts of a client certificate the gateway maps, in the shape of Node's `tls` API: pass
 * `{ authorized: socket.authorized, ...socket.getPeerCertificate() }`.
 */
export interface ClientCertificate {
  /** Whether TLS verified the chain against the configured client CA. */
  readonly authorized: boolean;
  readonly subject?: { readonly CN?: string | readonly string[] };
  /** Node's text form: `DNS:a.example, URI:spiffe://example/svc`. */
  readonly subjectaltname?: string;
  /** SHA-256 fingerprint as `AB:CD:…` (case and colons are ignored). */
  readonly fingerprint256?: string;
}

/** One configured client identity: what a certificate must carry (every given field) and what it may do. */
export interface MtlsRule {
  /** Principal id for limits and the audit log. */
  readonly id: string;
  readonly name?: string;
  /** Required subject common name. */
  readonly subject?: string;
  /** Required subject alternative name, as Node writes it (`DNS:…`, `URI:…`, `email:…`, `IP Address:…`). */
  readonly san?: string;
  /** Required SHA-256 fingerprint (pins one certificate). */
  readonly fingerprint256?: string;
  readonly models: readonly string[];
  readonly tools?: readonly string[];
  readonly limits?: PrincipalLimits;
}

/**
 * Maps a verified client certificate to the principal of the first rule it satisfies. An unverified
 * certificate never maps, and a rule naming no field matches nothing (it would admit any client).
 */
export function principalFromCertificate(
  certificate: ClientCertificate,
  rules: readonly MtlsRule[],
): AuthResult {
  if (!certificate.authorized)
    return authFailure('certificate-unverified', 'the client certificate chain is not trusted');
  const names = commonNames(certificate);
  const sans = subjectAltNames(certificate.subjectaltname);
  const fingerprint = normalizeFingerprint(certificate.fingerprint256);
  for (const rule of rules) {
    if (rule.subject === undefined && rule.san === undefined && rule.fingerprint256 === undefined) continue;
    if (rule.subject !== undefined && !names.includes(rule.subject)) continue;
    if (rule.san !== undefined && !sans.includes(rule.san)) continue;
    if (rule.fingerprint256 !== undefined && normalizeFingerprint(rule.fingerprint256) !== fingerprint)
      continue;
    return {
      ok: true,
      principal: {
        kind: 'mtls',
        id: rule.id,
        name: rule.name ?? rule.id,
        models: rule.models,
        tools: rule.tools ?? [],
        limits: rule.limits ?? {},
      },
    };
  }
  return authFailure(
    'certificate-unknown',
    `no mTLS rule matches CN=${names.join('|')} fingerprint ${fingerprint}`,
  );
}

function commonNames(certificate: ClientCertificate): string[] {
  const cn = certificate.subject?.CN;
  if (cn === undefined) return [];
  return typeof cn === 'string' ? [cn] : [...cn];
}

function subjectAltNames(text: string | undefined): string[] {
  if (text === undefined || text === '') return [];
  return text.split(/,\s*/).map((item) => item.trim());
}

function normalizeFingerprint(value: string | undefined): string {
  return (value ?? '').replace(/:/g, '').toLowerCase();
}
