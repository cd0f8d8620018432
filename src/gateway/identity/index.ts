export {
  API_KEY_PREFIX_LENGTH,
  API_KEY_SECRET_LENGTH,
  authenticateApiKey,
  cachedKeyLookup,
  createApiKey,
  hashApiKey,
  looksLikeApiKey,
  parseApiKey,
  principalOfKey,
  type ApiKeyLookup,
  type ApiKeySpec,
  type CreatedApiKey,
  type KeyCacheOptions,
} from './api-key.js';
export {
  bearerToken,
  createAuthenticator,
  type Authenticator,
  type AuthenticatorOptions,
  type PresentedCredentials,
} from './authenticate.js';
export { authorize, matchesAny, type AccessDecision, type AccessRequest } from './authorize.js';
export {
  createJwtVerifier,
  DEFAULT_JWT_ALGORITHMS,
  type ClaimPath,
  type JwksSource,
  type JwtClaimMapping,
  type JwtVerifier,
  type JwtVerifierOptions,
} from './jwt.js';
export { principalFromCertificate, type ClientCertificate, type MtlsRule } from './mtls.js';
export {
  AUTH_FAILURE_REASONS,
  authErrorResponse,
  authFailure,
  PRINCIPAL_KINDS,
  type AuthErrorResponse,
  type AuthFailure,
  type AuthFailureReason,
  type AuthResult,
  type OpenAiErrorBody,
  type Principal,
  type PrincipalKind,
  type PrincipalLimits,
} from './principal.js';
