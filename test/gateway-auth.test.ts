/**
 * `bulwark serve` with the identities of `gateway.auth` over `gateway.tls`: JWT bearer tokens
 * verified against a JWKS served on loopback (Keycloak-style role claims), client certificates
 * mapped by mTLS rules, API keys switched off, and the refusals a misconfiguration gets. The CA,
 * server and client certificates are made here with the `openssl` CLI.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startServe, type RunningServe } from './support/run-cli.js';

const ISSUER = 'https://idp.example/realms/acme';
const AUDIENCE = 'bulwark-gateway';
const MODEL = 'bulwark-demo';

type SigningKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

let dir: string;
let jwks: Server;
let signingKey: SigningKey;
let baseUrl: string;
let serve: RunningServe;
const agents: Agent[] = [];

/** Runs openssl in `dir`, failing with its own message. */
function openssl(...args: string[]): void {
  execFileSync('openssl', args, { cwd: join(dir, 'tls'), stdio: ['ignore', 'ignore', 'pipe'] });
}

/** A P-256 key and a certificate for `cn`, signed by `ca` (or self-signed), with `extensions`. */
function issue(name: string, cn: string, extensions: string, ca = 'ca'): void {
  openssl('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', `${name}.key`);
  openssl('req', '-new', '-key', `${name}.key`, '-subj', `/CN=${cn}`, '-out', `${name}.csr`);
  writeFileSync(join(dir, 'tls', `${name}.ext`), extensions);
  openssl(
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    ...(ca === name ? ['-signkey', `${name}.key`] : ['-CA', `${ca}.pem`, '-CAkey', `${ca}.key`]),
    '-set_serial',
    String(Math.floor(Math.random() * 1e9) + 1),
    '-days',
    '2',
    '-extfile',
    `${name}.ext`,
    '-out',
    `${name}.pem`,
  );
}

const CA_EXT = 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n';
const CLIENT_EXT = (san: string): string =>
  `basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=clientAuth\nsubjectAltName=${san}\n`;

function tlsFile(name: string): string {
  return readFileSync(join(dir, 'tls', name), 'utf8');
}

/** An undici agent trusting the test CA, presenting the client certificate `name` when given. */
function agent(name?: string): Agent {
  const created = new Agent({
    connect: {
      ca: tlsFile('ca.pem'),
      ...(name === undefined ? {} : { cert: tlsFile(`${name}.pem`), key: tlsFile(`${name}.key`) }),
    },
  });
  agents.push(created);
  return created;
}

function token(claims: JWTPayload = {}, audience = AUDIENCE): Promise<string> {
  return new SignJWT({
    preferred_username: 'ada',
    resource_access: { [AUDIENCE]: { roles: [MODEL] } },
    ...claims,
  })
    .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
    .setSubject('0b7c5a9e-user-ada')
    .setIssuer(ISSUER)
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(signingKey);
}

/** POST /v1/chat/completions through `dispatcher`, with an Authorization header when given. */
async function chat(
  dispatcher: Agent,
  authorization?: string,
): Promise<{ status: number; body: { choices?: { message: { content: string } }[]; error?: unknown } }> {
  const response = await request(`${baseUrl}/v1/chat/completions`, {
    method: 'POST',
    dispatcher,
    headers: {
      'content-type': 'application/json',
      ...(authorization === undefined ? {} : { authorization }),
    },
    body: JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: 'repeat: hello mesh' }] }),
  });
  return { status: response.statusCode, body: (await response.body.json()) as never };
}

const UNAUTHENTICATED = {
  error: {
    message: 'Invalid or missing credentials.',
    type: 'invalid_request_error',
    param: null,
    code: 'invalid_api_key',
  },
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bulwark-auth-'));
  mkdirSync(join(dir, 'tls'));
  issue('ca', 'Bulwark Test CA', CA_EXT, 'ca');
  issue(
    'server',
    'localhost',
    'basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n',
  );
  issue('svc-a', 'svc-a', CLIENT_EXT('URI:spiffe://acme/svc-a'));
  issue('svc-b', 'svc-b', CLIENT_EXT('URI:spiffe://acme/svc-b'));
  // A client certificate with the right name from a CA the gateway does not trust.
  issue('rogue-ca', 'Rogue CA', CA_EXT, 'rogue-ca');
  issue('rogue', 'svc-a', CLIENT_EXT('URI:spiffe://acme/svc-a'), 'rogue-ca');

  const pair = await generateKeyPair('ES256');
  signingKey = pair.privateKey;
  const publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
  jwks = createServer((req, res) => {
    if (req.url === '/certs') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: [publicJwk] }));
    } else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
  const jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/certs`;

  writeFileSync(
    join(dir, 'bulwark.yaml'),
    [
      'gateway:',
      '  auth:',
      '    apiKeys: false',
      '    jwt:',
      `      jwksUrl: ${jwksUrl}`,
      `      issuer: ${ISSUER}`,
      `      audience: ${AUDIENCE}`,
      '      claims:',
      '        name: preferred_username',
      `        models: [resource_access, ${AUDIENCE}, roles]`,
      '    mtls:',
      '      rules:',
      '        - id: svc-a',
      '          subject: svc-a',
      '          san: URI:spiffe://acme/svc-a',
      `          models: [${MODEL}]`,
      '  tls:',
      '    cert: tls/server.pem',
      '    key: tls/server.key',
      '    ca: tls/ca.pem',
      '    requestCert: true',
      '',
    ].join('\n'),
  );

  serve = await startServe(['--demo', '--port', '0'], dir);
  baseUrl = serve.address;
});

afterAll(async () => {
  await serve.stop();
  await Promise.all(agents.map((a) => a.close()));
  jwks.closeAllConnections();
  await new Promise<void>((resolve) => jwks.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

describe('bulwark serve with JWT and mTLS', () => {
  it('listens with HTTPS', () => {
    expect(baseUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  });

  it('lets a JWT whose role claim names the model reach it', async () => {
    const answer = await chat(agent(), `Bearer ${await token()}`);
    expect(answer.status).toBe(200);
    expect(answer.body.choices?.[0]?.message.content).toContain('hello mesh');
  });

  it('refuses a JWT for another audience with 401 and no detail', async () => {
    const answer = await chat(agent(), `Bearer ${await token({}, 'another-app')}`);
    expect(answer).toEqual({ status: 401, body: UNAUTHENTICATED });
  });

  it('refuses a valid JWT whose roles do not name the model with 403', async () => {
    const answer = await chat(
      agent(),
      `Bearer ${await token({ resource_access: { [AUDIENCE]: { roles: ['other-model'] } } })}`,
    );
    expect(answer.status).toBe(403);
    expect(answer.body.error).toMatchObject({ type: 'permission_error', code: 'forbidden' });
  });

  it('refuses an API key when apiKeys is off', async () => {
    const created = await runCli(
      ['gateway', 'key', 'create', '--name', 'ci', '--models', MODEL, '--format', 'json'],
      dir,
    );
    expect(created.code, created.stderr).toBe(0);
    const key = (JSON.parse(created.stdout) as { key: string }).key;
    expect(await chat(agent(), `Bearer ${key}`)).toEqual({ status: 401, body: UNAUTHENTICATED });
  });

  it('lets a client certificate that matches a rule through, without a bearer token', async () => {
    const answer = await chat(agent('svc-a'));
    expect(answer.status).toBe(200);
    expect(answer.body.choices?.[0]?.message.content).toContain('hello mesh');
  });

  it('refuses a client without a certificate with 401', async () => {
    expect(await chat(agent())).toEqual({ status: 401, body: UNAUTHENTICATED });
  });

  it('refuses a trusted certificate that matches no rule', async () => {
    expect(await chat(agent('svc-b'))).toEqual({ status: 401, body: UNAUTHENTICATED });
  });

  it('refuses a certificate with the right name from an untrusted CA', async () => {
    expect(await chat(agent('rogue'))).toEqual({ status: 401, body: UNAUTHENTICATED });
  });

  it('records who was admitted and why others were refused in the audit log', async () => {
    expect(await serve.stop()).toBe(0);
    const exported = await runCli(['audit', 'export'], dir);
    expect(exported.code, exported.stderr).toBe(0);
    const events = exported.stdout
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { data: Record<string, unknown> }).data)
      .filter((data) => data['type'] === 'gateway.request')
      .map((data) => [data['outcome'], data['principalKind'] ?? null, data['reason'] ?? null]);
    expect(events).toEqual([
      ['allowed', 'jwt', null],
      ['refused', null, 'token-claims'],
      ['refused', 'jwt', 'model-not-allowed'],
      ['refused', null, 'credentials-malformed'],
      ['allowed', 'mtls', null],
      ['refused', null, 'credentials-missing'],
      ['refused', null, 'certificate-unknown'],
      ['refused', null, 'certificate-unverified'],
    ]);
  });
});

describe('gateway.auth and gateway.tls misconfigured', () => {
  let bad: string;

  beforeAll(() => {
    bad = mkdtempSync(join(tmpdir(), 'bulwark-auth-bad-'));
    writeFileSync(join(bad, 'server.pem'), tlsFile('server.pem'));
    writeFileSync(join(bad, 'server.key'), tlsFile('server.key'));
    writeFileSync(join(bad, 'garbage.pem'), 'not a certificate\n');
  });

  afterAll(() => {
    rmSync(bad, { recursive: true, force: true });
  });

  async function serveWith(gateway: string[]): Promise<{ code: number; stderr: string }> {
    writeFileSync(join(bad, 'bulwark.yaml'), ['gateway:', ...gateway.map((l) => `  ${l}`), ''].join('\n'));
    return runCli(['serve', '--port', '0'], bad);
  }

  it('refuses mTLS rules without a TLS listener that asks for certificates', async () => {
    const run = await serveWith(['auth:', '  mtls:', '    rules: [{ id: a, subject: a, models: [m] }]']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/gateway\.auth\.mtls needs gateway\.tls with requestCert/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses requestCert without a client CA, and a rule that names no field', async () => {
    const noCa = await serveWith(['tls: { cert: server.pem, key: server.key, requestCert: true }']);
    expect(noCa.code).toBe(2);
    expect(noCa.stderr).toMatch(/requestCert needs ca/);
    const anyClient = await serveWith(['auth:', '  mtls:', '    rules: [{ id: a, models: [m] }]']);
    expect(anyClient.code).toBe(2);
    expect(anyClient.stderr).toMatch(/needs subject, san or fingerprint256/);
  });

  it('refuses a gateway that accepts no credential, and a JWT config without keys', async () => {
    const none = await serveWith(['auth: { apiKeys: false }']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/at least one kind of credential/);
    const noKeys = await serveWith(['auth: { jwt: { issuer: i, audience: a } }']);
    expect(noKeys.code).toBe(2);
    expect(noKeys.stderr).toMatch(/exactly one of jwksUrl and jwksFile/);
  });

  it('refuses a JWKS URL over plain HTTP off loopback, HS256, and a missing JWKS file', async () => {
    const http = await serveWith([
      'auth: { jwt: { jwksUrl: "http://idp.example/certs", issuer: i, audience: a } }',
    ]);
    expect(http.code).toBe(2);
    expect(http.stderr).toMatch(/gateway\.auth\.jwt: the JWKS URL must use https/);
    const hmac = await serveWith([
      'auth: { jwt: { jwksUrl: "https://idp.example/certs", issuer: i, audience: a, algorithms: [HS256] } }',
    ]);
    expect(hmac.code).toBe(2);
    expect(hmac.stderr).toMatch(/refused: HS256/);
    const missing = await serveWith(['auth: { jwt: { jwksFile: nowhere.json, issuer: i, audience: a } }']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read the JWKS file .*nowhere\.json/);
  });

  it('refuses TLS files that are missing or not PEM, in one line', async () => {
    const missing = await serveWith(['tls: { cert: absent.pem, key: server.key }']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/gateway TLS certificate not found: .*absent\.pem/);
    const garbage = await serveWith(['tls: { cert: garbage.pem, key: server.key }']);
    expect(garbage.code).toBe(2);
    expect(garbage.stderr).toMatch(/^bulwark: .*gateway\.tls: /m);
    expect(garbage.stderr).not.toMatch(/\n\s+at /);
  });
});
