import { authenticateApiKey, looksLikeApiKey, type ApiKeyLookup } from './api-key.js';
import type { JwtVerifier } from './jwt.js';
import { principalFromCertificate, type ClientCertificate, type MtlsRule } from './mtls.js';
import { authFailure, type AuthResult } from './principal.js';

/** The credentials of one request. */
export interface PresentedCredentials {
  /** The `Authorization` header as received. */
  readonly authorization?: string;
  /** The client certificate, when the connection is TLS and the client sent one. */
  readonly certificate?: ClientCertificate;
}

/** The identity sources the gateway accepts; a source left out is refused. */
export interface AuthenticatorOptions {
  /** API keys: usually `cachedKeyLookup((p) => store.getGatewayKeyByPrefix(p))`. */
  readonly apiKeys?: ApiKeyLookup;
  /** JWT bearer tokens (see `createJwtVerifier`). */
  readonly jwt?: JwtVerifier;
  /** mTLS client identities, used when a request carries no bearer credential. */
  readonly mtls?: readonly MtlsRule[];
  /** Clock for key expiry. */
  readonly now?: () => Date;
}

/** Authenticates one request's credentials. */
export type Authenticator = (credentials: PresentedCredentials) => Promise<AuthResult>;

/**
 * Builds the gateway's authenticator (control G2). A bearer credential decides: `bw_…` is an API key,
 * anything else a JWT. Without one, a verified client certificate that matches an mTLS rule does.
 * A malformed header is refused rather than ignored, so a typo never falls back to a weaker identity.
 */
export function createAuthenticator(options: AuthenticatorOptions): Authenticator {
  const now = options.now ?? (() => new Date());
  return async ({ authorization, certificate }) => {
    if (authorization !== undefined && authorization.trim() !== '') {
      const token = bearerToken(authorization);
      if (token === undefined)
        return authFailure('credentials-malformed', 'Authorization is not "Bearer <token>"');
      if (looksLikeApiKey(token)) {
        if (options.apiKeys === undefined)
          return authFailure('credentials-malformed', 'API keys are not accepted');
        return authenticateApiKey(token, options.apiKeys, now());
      }
      if (options.jwt === undefined)
        return authFailure('credentials-malformed', 'JWT bearer tokens are not accepted');
      return options.jwt(token);
    }
    if (certificate !== undefined && options.mtls !== undefined)
      return principalFromCertificate(certificate, options.mtls);
    return authFailure('credentials-missing', 'no Authorization header and no usable client certificate');
  };
}

/** The token of an `Authorization: Bearer <token>` header (scheme case-insensitive, RFC 6750 §2.1). */
export function bearerToken(header: string): string | undefined {
  const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(header);
  return match?.[1];
}
