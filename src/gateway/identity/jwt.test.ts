import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJwtVerifier, type JwtVerifier } from './jwt.js';

const ISSUER = 'https://idp.example';
const AUDIENCE = 'bulwark-gateway';

type SigningKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

describe('JWT bearer tokens via a JWKS', () => {
  let server: Server;
  let url: string;
  let requests = 0;
  let signingKey: SigningKey;
  let strangerKey: SigningKey;
  let publicJwk: JWK;
  let verify: JwtVerifier;

  beforeAll(async () => {
    const pair = await generateKeyPair('ES256');
    signingKey = pair.privateKey;
    strangerKey = (await generateKeyPair('ES256')).privateKey;
    publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
    server = createServer((req, res) => {
      requests += 1;
      if (req.url === '/jwks.json') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ keys: [publicJwk] }));
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
    verify = await createJwtVerifier({
      jwks: { url, timeoutMs: 2000 },
      issuer: ISSUER,
      audience: AUDIENCE,
      claims: { models: 'models', tools: ['bulwark', 'tools'], rpm: 'rpm' },
      defaults: { limits: { tpm: 500 } },
    });
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  function token(
    claims: JWTPayload = {},
    options: {
      key?: SigningKey;
      kid?: string;
      issuer?: string;
      audience?: string;
      expires?: string | number;
    } = {},
  ): Promise<string> {
    return new SignJWT({
      models: ['gpt-4o'],
      bulwark: { tools: 'search fetch' },
      rpm: 30,
      name: 'Ada',
      ...claims,
    })
      .setProtectedHeader({ alg: 'ES256', kid: options.kid ?? 'k1' })
      .setSubject('user-1')
      .setIssuer(options.issuer ?? ISSUER)
      .setAudience(options.audience ?? AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(options.expires ?? '5m')
      .sign(options.key ?? signingKey);
  }

  async function reason(jwt: string): Promise<string> {
    const result = await verify(jwt);
    return result.ok ? 'ok' : result.reason;
  }

  it('verifies a token signed by a key in the JWKS and maps its claims to a principal', async () => {
    expect(await verify(await token())).toEqual({
      ok: true,
      principal: {
        kind: 'jwt',
        id: `${ISSUER}#user-1`,
        name: 'Ada',
        models: ['gpt-4o'],
        tools: ['search', 'fetch'],
        limits: { tpm: 500, rpm: 30 },
      },
    });
    const before = requests;
    expect(await reason(await token())).toBe('ok');
    expect(requests).toBe(before);
  });

  it('refuses a wrong issuer or audience, an expired token and a foreign signature', async () => {
    expect(await reason(await token({}, { issuer: 'https://evil.example' }))).toBe('token-claims');
    expect(await reason(await token({}, { audience: 'someone-else' }))).toBe('token-claims');
    expect(await reason(await token({}, { expires: Math.floor(Date.now() / 1000) - 3600 }))).toBe(
      'token-expired',
    );
    expect(await reason(await token({}, { key: strangerKey }))).toBe('token-signature');
  });

  it('refuses an unknown kid', async () => {
    expect(await reason(await token({}, { kid: 'nope', key: strangerKey }))).toBe('token-key-unknown');
  });

  it('refuses alg none and malformed tokens', async () => {
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const unsigned = `${encode({ alg: 'none', kid: 'k1' })}.${encode({
      sub: 'user-1',
      iss: ISSUER,
      aud: AUDIENCE,
      exp: now + 300,
      models: ['*'],
    })}.`;
    expect(await reason(unsigned)).toBe('token-algorithm');
    expect(await reason('not-a-jwt')).toBe('token-malformed');
  });

  it('refuses claims of the wrong type', async () => {
    expect(await reason(await token({ models: 7 }))).toBe('token-claims');
    expect(await reason(await token({ rpm: 'many' }))).toBe('token-claims');
  });

  it('fails closed when the JWKS cannot be fetched', async () => {
    const broken = await createJwtVerifier({
      jwks: { url: url.replace('/jwks.json', '/missing.json'), timeoutMs: 2000 },
      issuer: ISSUER,
      audience: AUDIENCE,
    });
    expect(await broken(await token())).toMatchObject({ ok: false, reason: 'identity-unavailable' });
  });

  it('reads a JWKS file and gives nothing to a token without model claims by default', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'bulwark-jwks-'));
    try {
      const file = join(folder, 'jwks.json');
      writeFileSync(file, JSON.stringify({ keys: [publicJwk] }));
      const local = await createJwtVerifier({
        jwks: { file },
        issuer: ISSUER,
        audience: [AUDIENCE, 'other'],
      });
      expect(await local(await token({ models: undefined, name: undefined }))).toMatchObject({
        ok: true,
        principal: { name: 'user-1', models: [], tools: [], limits: {} },
      });
      writeFileSync(file, '{"keys": 5}');
      await expect(
        createJwtVerifier({ jwks: { file }, issuer: ISSUER, audience: AUDIENCE }),
      ).rejects.toMatchObject({
        code: 'CONFIG_INVALID',
      });
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('refuses weak algorithms and non-loopback plain HTTP in the configuration', async () => {
    const keys = { keys: [publicJwk] };
    for (const algorithms of [['none'], ['HS256'], []]) {
      await expect(
        createJwtVerifier({ jwks: { keys }, issuer: ISSUER, audience: AUDIENCE, algorithms }),
      ).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    }
    await expect(
      createJwtVerifier({ jwks: { url: 'http://idp.example/jwks' }, issuer: ISSUER, audience: AUDIENCE }),
    ).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
  });
});
