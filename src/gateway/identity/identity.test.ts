import { describe, expect, it } from 'vitest';
import type { GatewayKeyRecord } from '../../store/store.js';
import { createApiKey } from './api-key.js';
import { bearerToken, createAuthenticator } from './authenticate.js';
import { authorize, matchesAny } from './authorize.js';
import { principalFromCertificate, type MtlsRule } from './mtls.js';
import { AUTH_FAILURE_REASONS, authErrorResponse, type Principal } from './principal.js';

const principal: Principal = {
  kind: 'api-key',
  id: 'k1',
  name: 'ci',
  models: ['gpt-4o', 'llama-3*'],
  tools: ['search'],
  limits: {},
};

describe('authorize', () => {
  it('allows listed models and tools and refuses the rest with a reason', () => {
    expect(authorize(principal, { model: 'gpt-4o', tools: ['search'] })).toEqual({ ok: true });
    expect(authorize(principal, { model: 'llama-3.1-8b' })).toEqual({ ok: true });
    expect(authorize(principal, { model: 'gpt-4o-mini' })).toMatchObject({ reason: 'model-not-allowed' });
    expect(authorize(principal, { model: 'gpt-4o', tools: ['search', 'shell'] })).toMatchObject({
      reason: 'tool-not-allowed',
      detail: expect.stringContaining('shell') as string,
    });
    expect(authorize({ ...principal, tools: [] }, { model: 'gpt-4o', tools: ['search'] })).toMatchObject({
      reason: 'tool-not-allowed',
    });
  });

  it('treats only a trailing * as a wildcard', () => {
    expect(matchesAny(['*'], 'anything')).toBe(true);
    expect(matchesAny(['a*'], 'abc')).toBe(true);
    expect(matchesAny(['a?c', 'a.c'], 'abc')).toBe(false);
    expect(matchesAny([], 'a')).toBe(false);
  });
});

describe('mTLS', () => {
  const rules: MtlsRule[] = [
    { id: 'empty', models: ['*'] },
    {
      id: 'svc',
      subject: 'svc.internal',
      san: 'URI:spiffe://corp/svc',
      models: ['gpt-4o'],
      limits: { rpm: 5 },
    },
    { id: 'pinned', fingerprint256: 'aa:bb:cc', models: ['m'] },
  ];

  it('maps a verified certificate to the first rule all of whose fields match', () => {
    const result = principalFromCertificate(
      {
        authorized: true,
        subject: { CN: 'svc.internal' },
        subjectaltname: 'DNS:svc.internal, URI:spiffe://corp/svc',
        fingerprint256: '11:22',
      },
      rules,
    );
    expect(result).toEqual({
      ok: true,
      principal: { kind: 'mtls', id: 'svc', name: 'svc', models: ['gpt-4o'], tools: [], limits: { rpm: 5 } },
    });
    expect(principalFromCertificate({ authorized: true, fingerprint256: 'AA:BB:CC' }, rules)).toMatchObject({
      principal: { id: 'pinned' },
    });
  });

  it('refuses unverified, partially matching and unmatched certificates', () => {
    expect(principalFromCertificate({ authorized: false, fingerprint256: 'AA:BB:CC' }, rules)).toMatchObject({
      reason: 'certificate-unverified',
    });
    expect(
      principalFromCertificate(
        { authorized: true, subject: { CN: 'svc.internal' }, subjectaltname: 'DNS:x' },
        rules,
      ),
    ).toMatchObject({ reason: 'certificate-unknown' });
    expect(principalFromCertificate({ authorized: true }, rules)).toMatchObject({
      reason: 'certificate-unknown',
    });
  });
});

describe('createAuthenticator', () => {
  const created = createApiKey({ name: 'ci', models: ['*'] });
  const record: GatewayKeyRecord = { ...created.record, createdAt: '2025-01-01T00:00:00.000Z' };
  const apiKeys = (prefix: string) => Promise.resolve(prefix === record.prefix ? record : undefined);
  const jwtPrincipal: Principal = { ...principal, kind: 'jwt', id: 'iss#sub' };
  const jwt = (token: string) =>
    Promise.resolve(
      token === 'a.b.c'
        ? ({ ok: true, principal: jwtPrincipal } as const)
        : ({ ok: false, reason: 'token-malformed', detail: '' } as const),
    );
  const mtls: MtlsRule[] = [{ id: 'svc', subject: 'svc', models: ['*'] }];

  it('routes bw_ keys to the key store, other bearer tokens to the JWT verifier, else mTLS', async () => {
    const auth = createAuthenticator({ apiKeys, jwt, mtls });
    expect(await auth({ authorization: `Bearer ${created.key}` })).toMatchObject({
      principal: { id: record.id },
    });
    expect(await auth({ authorization: 'bearer a.b.c' })).toMatchObject({ principal: { id: 'iss#sub' } });
    const certificate = { authorized: true, subject: { CN: 'svc' } };
    expect(await auth({ certificate })).toMatchObject({ principal: { kind: 'mtls' } });
    // A bearer credential decides even when a certificate is present.
    expect(await auth({ authorization: 'Bearer x.y.z', certificate })).toMatchObject({
      reason: 'token-malformed',
    });
  });

  it('refuses missing, malformed and unconfigured credentials', async () => {
    const reasonOf = async (auth: ReturnType<typeof createAuthenticator>, authorization?: string) => {
      const result = await auth(authorization === undefined ? {} : { authorization });
      return result.ok ? 'ok' : result.reason;
    };
    const full = createAuthenticator({ apiKeys, jwt, mtls });
    expect(await reasonOf(full)).toBe('credentials-missing');
    expect(await reasonOf(full, 'Basic dXNlcjpwYXNz')).toBe('credentials-malformed');
    expect(await reasonOf(full, `Bearer ${created.key} extra`)).toBe('credentials-malformed');
    expect(await reasonOf(createAuthenticator({ jwt }), `Bearer ${created.key}`)).toBe(
      'credentials-malformed',
    );
    expect(await reasonOf(createAuthenticator({ apiKeys }), 'Bearer a.b.c')).toBe('credentials-malformed');
  });

  it('parses bearer headers per RFC 6750', () => {
    expect(bearerToken('Bearer abc.DEF-_~+/=')).toBe('abc.DEF-_~+/=');
    expect(bearerToken('Bearer  ')).toBeUndefined();
    expect(bearerToken('Token abc')).toBeUndefined();
  });
});

describe('authErrorResponse', () => {
  it('answers every authentication failure with the same 401 and never names the reason', () => {
    const bodies = new Set<string>();
    for (const reason of AUTH_FAILURE_REASONS) {
      const response = authErrorResponse(reason);
      const text = JSON.stringify(response.body);
      expect(text).not.toContain(reason);
      expect(Object.keys(response.body.error).sort()).toEqual(['code', 'message', 'param', 'type']);
      if (response.status === 401) bodies.add(text);
    }
    expect(bodies.size).toBe(1);
    expect(authErrorResponse('key-revoked')).toMatchObject({
      status: 401,
      headers: { 'www-authenticate': 'Bearer' },
    });
    expect(authErrorResponse('model-not-allowed')).toMatchObject({
      status: 403,
      body: { error: { type: 'permission_error', param: 'model' } },
    });
    expect(authErrorResponse('identity-unavailable').status).toBe(503);
  });
});
