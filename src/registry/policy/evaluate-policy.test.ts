import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { evaluateRelease, type ReleaseDecision } from './evaluate-policy.js';
import { releasePolicySchema, type ReleaseSettings } from './policy-schema.js';
import type { AttestationFact, ReleaseFacts } from './release-facts.js';

const HEX = 'ab'.repeat(32);
const DIGEST = `sha256:${HEX}`;
const OTHER_DIGEST = `sha256:${'cd'.repeat(32)}`;
const TRAIN = `sha256:${'11'.repeat(32)}`;
const EVAL = `sha256:${'22'.repeat(32)}`;
const RELEASE_KEY = 'a1'.repeat(32);
const CI_KEY = 'c1'.repeat(32);
const GOVERNANCE_KEY = 'd1'.repeat(32);
const REDTEAM_KEY = 'e1'.repeat(32);
const STRANGER_KEY = 'f1'.repeat(32);
const REDTEAM = 'https://bulwark.dev/attestation/redteam/v1';
const NOW = new Date('2025-06-01T00:00:00Z');

const release = (yaml: string): ReleaseSettings => releasePolicySchema.parse(parse(yaml));

const PRODUCTION = release(`
policies:
  - name: production
    aliases: [production, prod-*]
    attesters: [keys/ci.pub]
    signature: { keys: [keys/release.pub] }
    scan: { failOn: high, maxAge: 30d }
    datasets: { admissionKeys: [keys/governance.pub] }
    attestations:
      - type: ${REDTEAM}
        keys: [keys/redteam.pub]
        where:
          - { field: predicate.attackSuccessRate, op: lte, value: 0.05 }
          - { field: predicate.suite, op: eq, value: full }
`);

function redteam(overrides: Partial<AttestationFact> = {}, predicate: object = {}): AttestationFact {
  return {
    id: 'sha256:redteam-1',
    predicateType: REDTEAM,
    statement: {
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name: 'fraud', digest: { sha256: HEX } }],
      predicateType: REDTEAM,
      predicate: { attackSuccessRate: 0.02, suite: 'full', ...predicate },
    },
    signerKeyIds: [REDTEAM_KEY],
    createdAt: '2025-05-30T00:00:00Z',
    ...overrides,
  };
}

/** Facts that meet every requirement of PRODUCTION; each test breaks one thing. */
function passing(overrides: Partial<ReleaseFacts> = {}): ReleaseFacts {
  return {
    alias: 'production',
    model: { name: 'fraud', version: 3, digest: DIGEST },
    signatures: [{ id: 'bundle-1', method: 'key', trusted: true, matchesBytes: true, keyId: RELEASE_KEY }],
    scans: [
      {
        id: 'scan-1',
        digest: DIGEST,
        finishedAt: '2025-05-31T00:00:00Z',
        counts: { critical: 0, high: 0, medium: 2, low: 1 },
      },
    ],
    provenance: [
      {
        id: 'sha256:prov-1',
        signerKeyIds: [CI_KEY],
        createdAt: '2025-05-29T00:00:00Z',
        datasets: [
          { name: 'transactions-2024', digest: TRAIN },
          { name: 'holdout', digest: EVAL },
        ],
      },
    ],
    admissions: [
      {
        id: 'adm-1',
        datasetDigest: TRAIN,
        verdict: 'admitted',
        signerKeyIds: [GOVERNANCE_KEY],
        createdAt: '2025-05-01T00:00:00Z',
      },
      {
        id: 'adm-2',
        datasetDigest: EVAL,
        verdict: 'admitted',
        signerKeyIds: [GOVERNANCE_KEY],
        createdAt: '2025-05-01T00:00:00Z',
      },
    ],
    attestations: [redteam()],
    evidenceKeys: [
      { path: 'keys/ci.pub', keyId: CI_KEY },
      { path: 'keys/governance.pub', keyId: GOVERNANCE_KEY },
      { path: 'keys/redteam.pub', keyId: REDTEAM_KEY },
    ],
    now: NOW,
    ...overrides,
  };
}

function requirement(decision: ReleaseDecision, id: string): { met: boolean; reason: string } {
  const found = decision.requirements.find((r) => r.id === id);
  if (found === undefined)
    throw new Error(`no requirement ${id} in ${JSON.stringify(decision.requirements)}`);
  return { met: found.met, reason: found.reason };
}

function unmetIds(decision: ReleaseDecision): string[] {
  return decision.requirements.filter((r) => !r.met).map((r) => r.id);
}

describe('evaluateRelease: the acceptance cases', () => {
  it('allows a signed, scanned model with admitted datasets and a passing red-team run', () => {
    const decision = evaluateRelease(PRODUCTION, passing());
    expect(decision.allowed).toBe(true);
    expect(decision.policy).toBe('release.policies[0]');
    expect(decision.policyName).toBe('production');
    expect(decision.requirements.map((r) => r.id)).toEqual([
      'signature',
      'scan',
      'provenance',
      'dataset-admission',
      `attestation:${REDTEAM}`,
    ]);
    expect(decision.requirements.every((r) => r.met)).toBe(true);
    expect(requirement(decision, 'signature').reason).toContain(`key ${RELEASE_KEY}`);
    expect(decision.summary).toBe(
      'fraud@3 may be released to production under release.policies[0] (production): all 5 requirement(s) met',
    );
  });

  it('refuses an unsigned model', () => {
    const decision = evaluateRelease(PRODUCTION, passing({ signatures: [] }));
    expect(decision.allowed).toBe(false);
    expect(unmetIds(decision)).toEqual(['signature']);
    expect(requirement(decision, 'signature').reason).toBe(
      `the model is unsigned: no OMS signature is stored for ${DIGEST}`,
    );
  });

  it('refuses a signature by an untrusted key, naming the key', () => {
    const decision = evaluateRelease(
      PRODUCTION,
      passing({
        signatures: [
          {
            id: 'bundle-2',
            method: 'key',
            trusted: false,
            matchesBytes: true,
            keyId: STRANGER_KEY,
            reason: `the bundle was signed by key ${STRANGER_KEY}, which is not a trusted key`,
          },
        ],
      }),
    );
    expect(decision.allowed).toBe(false);
    expect(unmetIds(decision)).toEqual(['signature']);
    const { reason } = requirement(decision, 'signature');
    expect(reason).toContain(`bundle-2 by key ${STRANGER_KEY} is not trusted`);
  });

  it('refuses when the bytes changed after signing, even with a trusted key', () => {
    const decision = evaluateRelease(
      PRODUCTION,
      passing({
        signatures: [
          {
            id: 'bundle-1',
            method: 'key',
            trusted: true,
            matchesBytes: false,
            keyId: RELEASE_KEY,
            reason: 'weights.safetensors: digest differs',
          },
        ],
      }),
    );
    expect(decision.allowed).toBe(false);
    expect(requirement(decision, 'signature').reason).toContain(
      'does not match the stored bytes (they changed after signing) (weights.safetensors: digest differs)',
    );
  });

  it('refuses a model whose latest scan has a critical finding, with the counts', () => {
    const decision = evaluateRelease(
      PRODUCTION,
      passing({
        scans: [
          {
            id: 'scan-9',
            digest: DIGEST,
            finishedAt: '2025-05-31T00:00:00Z',
            counts: { critical: 1, low: 4 },
          },
        ],
      }),
    );
    expect(decision.allowed).toBe(false);
    expect(unmetIds(decision)).toEqual(['scan']);
    expect(requirement(decision, 'scan').reason).toBe(
      'scan scan-9 (2025-05-31T00:00:00Z) found 1 critical finding(s), at or above high (all: 1 critical, 4 low)',
    );
  });

  it('refuses a model trained on a dataset without admission, naming the dataset', () => {
    const decision = evaluateRelease(PRODUCTION, passing({ admissions: passing().admissions.slice(1) }));
    expect(decision.allowed).toBe(false);
    expect(unmetIds(decision)).toEqual(['dataset-admission']);
    expect(requirement(decision, 'dataset-admission').reason).toBe(
      `1 of 2 training dataset(s) lack admission: dataset transactions-2024 (${TRAIN}) has no admission signed by a trusted key`,
    );
  });

  it('lists every unmet requirement, not only the first', () => {
    const decision = evaluateRelease(
      PRODUCTION,
      passing({ signatures: [], scans: [], provenance: [], attestations: [] }),
    );
    expect(unmetIds(decision)).toEqual([
      'signature',
      'scan',
      'provenance',
      'dataset-admission',
      `attestation:${REDTEAM}`,
    ]);
    expect(decision.summary).toBe(
      `fraud@3 is refused for production under release.policies[0] (production): signature, scan, provenance, dataset-admission, attestation:${REDTEAM} not met`,
    );
  });
});

describe('evaluateRelease: signature', () => {
  it('accepts one good signature among bad ones, and names it', () => {
    const decision = evaluateRelease(
      PRODUCTION,
      passing({
        signatures: [
          { id: 'b-untrusted', method: 'key', trusted: false, matchesBytes: true, keyId: STRANGER_KEY },
          {
            id: 'b-cert',
            method: 'certificate',
            trusted: true,
            matchesBytes: true,
            keyId: RELEASE_KEY,
            signer: 'CN=release',
          },
        ],
      }),
    );
    expect(requirement(decision, 'signature')).toEqual({
      met: true,
      reason: `OMS signature b-cert by CN=release (key ${RELEASE_KEY}) is trusted and matches the stored bytes`,
    });
  });

  it('does not count a trusted signature whose bytes were not compared', () => {
    const decision = evaluateRelease(
      PRODUCTION,
      passing({
        signatures: [
          {
            id: 'b',
            method: 'sigstore',
            trusted: true,
            matchesBytes: undefined,
            signer: 'ci@x',
            issuer: 'https://issuer',
          },
        ],
      }),
    );
    expect(requirement(decision, 'signature')).toEqual({
      met: false,
      reason:
        'no OMS signature is both trusted and over the stored bytes: b by ci@x from https://issuer was not compared with the stored bytes',
    });
  });
});

describe('evaluateRelease: scan', () => {
  const at = (id: string, finishedAt: string, counts: object, digest = DIGEST) => ({
    id,
    digest,
    finishedAt,
    counts,
  });

  it('judges the latest scan: a newer finding revokes an older clean scan', () => {
    const decision = evaluateRelease(
      PRODUCTION,
      passing({
        scans: [at('old', '2025-05-20T00:00:00Z', {}), at('new', '2025-05-31T00:00:00Z', { high: 2 })],
      }),
    );
    expect(requirement(decision, 'scan').reason).toContain('scan new ');
    expect(requirement(decision, 'scan').met).toBe(false);
  });

  it('ignores scans of other bytes', () => {
    const decision = evaluateRelease(
      PRODUCTION,
      passing({ scans: [at('other', '2025-05-31T00:00:00Z', {}, OTHER_DIGEST)] }),
    );
    expect(requirement(decision, 'scan')).toEqual({
      met: false,
      reason: `no model scan of ${DIGEST} exists (1 scan(s) of other bytes do not count)`,
    });
  });

  it('refuses a scan older than maxAge', () => {
    const decision = evaluateRelease(PRODUCTION, passing({ scans: [at('s', '2025-04-01T00:00:00Z', {})] }));
    expect(requirement(decision, 'scan')).toEqual({
      met: false,
      reason: 'the latest scan of these bytes (s) is from 2025-04-01T00:00:00Z, older than maxAge 30d',
    });
  });

  it('accepts findings below failOn and fails closed on a malformed count', () => {
    expect(requirement(evaluateRelease(PRODUCTION, passing()), 'scan').reason).toBe(
      'scan scan-1 (2025-05-31T00:00:00Z) found nothing at or above high (2 medium, 1 low)',
    );
    const bad = evaluateRelease(
      PRODUCTION,
      passing({ scans: [at('s', '2025-05-31T00:00:00Z', { high: Number.NaN })] }),
    );
    expect(requirement(bad, 'scan').met).toBe(false);
  });

  it('with required: false, passes when no scan exists but still judges one that does', () => {
    const optional = release(`
policies:
  - aliases: [staging]
    scan: { required: false, failOn: critical }
`);
    const none = evaluateRelease(optional, passing({ alias: 'staging', scans: [] }));
    expect(none.allowed).toBe(true);
    expect(requirement(none, 'scan').reason).toBe(
      `no model scan of ${DIGEST} exists; scan.required is false`,
    );
    const dirty = evaluateRelease(
      optional,
      passing({ alias: 'staging', scans: [at('s', '2025-05-31T00:00:00Z', { critical: 1 })] }),
    );
    expect(dirty.allowed).toBe(false);
  });
});

describe('evaluateRelease: provenance and dataset admission', () => {
  it('refuses provenance signed by an untrusted key, and then cannot know the datasets', () => {
    const decision = evaluateRelease(
      PRODUCTION,
      passing({ provenance: [{ ...passing().provenance[0]!, signerKeyIds: [STRANGER_KEY] }] }),
    );
    expect(unmetIds(decision)).toEqual(['provenance', 'dataset-admission']);
    expect(requirement(decision, 'provenance').reason).toBe(
      `1 training provenance attestation(s) exist, but none is signed by a trusted key (keys/ci.pub (${CI_KEY}))`,
    );
    expect(requirement(decision, 'dataset-admission').reason).toBe(
      'the training datasets are unknown: no training provenance signed by a trusted key exists',
    );
  });

  it('does not accept an admission signed by a key that may sign provenance but not admissions', () => {
    const admissions = passing().admissions.map((a) => ({ ...a, signerKeyIds: [CI_KEY] }));
    const decision = evaluateRelease(PRODUCTION, passing({ admissions }));
    expect(requirement(decision, 'dataset-admission').met).toBe(false);
    expect(requirement(decision, 'dataset-admission').reason).toContain(
      `(trusted keys: keys/governance.pub (${GOVERNANCE_KEY}))`,
    );
  });

  it('lets a later rejection override an earlier admission, and rejection win a tie', () => {
    const later = passing({
      admissions: [
        ...passing().admissions,
        {
          id: 'adm-3',
          datasetDigest: TRAIN,
          verdict: 'rejected',
          signerKeyIds: [GOVERNANCE_KEY],
          createdAt: '2025-05-20T00:00:00Z',
        },
      ],
    });
    expect(requirement(evaluateRelease(PRODUCTION, later), 'dataset-admission').reason).toContain(
      `dataset transactions-2024 (${TRAIN}) was rejected by admission adm-3`,
    );
    const tie = passing({
      admissions: [
        ...passing().admissions,
        {
          id: 'adm-0',
          datasetDigest: EVAL,
          verdict: 'rejected',
          signerKeyIds: [GOVERNANCE_KEY],
          createdAt: '2025-05-01T00:00:00Z',
        },
      ],
    });
    expect(requirement(evaluateRelease(PRODUCTION, tie), 'dataset-admission').met).toBe(false);
    const readmitted = passing({
      admissions: [
        {
          id: 'adm-r',
          datasetDigest: TRAIN,
          verdict: 'rejected',
          signerKeyIds: [GOVERNANCE_KEY],
          createdAt: '2025-04-01T00:00:00Z',
        },
        ...passing().admissions,
      ],
    });
    expect(requirement(evaluateRelease(PRODUCTION, readmitted), 'dataset-admission').met).toBe(true);
  });

  it('takes the datasets of every trusted provenance statement', () => {
    const second = {
      id: 'sha256:prov-2',
      signerKeyIds: [CI_KEY],
      createdAt: '2025-05-30T00:00:00Z',
      datasets: [{ digest: OTHER_DIGEST }],
    };
    const decision = evaluateRelease(PRODUCTION, passing({ provenance: [...passing().provenance, second] }));
    expect(requirement(decision, 'dataset-admission').reason).toBe(
      `1 of 3 training dataset(s) lack admission: dataset ${OTHER_DIGEST} has no admission signed by a trusted key`,
    );
  });

  it('passes admission when trusted provenance names no datasets', () => {
    const decision = evaluateRelease(
      PRODUCTION,
      passing({ provenance: [{ ...passing().provenance[0]!, datasets: [] }], admissions: [] }),
    );
    expect(requirement(decision, 'dataset-admission')).toEqual({
      met: true,
      reason: 'the trusted training provenance names no datasets, so none needs admission',
    });
  });

  it('fails closed when the caller did not load a key the policy names', () => {
    const decision = evaluateRelease(PRODUCTION, passing({ evidenceKeys: [] }));
    expect(unmetIds(decision)).toEqual(['provenance', 'dataset-admission', `attestation:${REDTEAM}`]);
    expect(requirement(decision, 'provenance').reason).toContain('keys/ci.pub (not loaded)');
  });
});

describe('evaluateRelease: attestations', () => {
  const id = `attestation:${REDTEAM}`;

  it('names the failing field and its value', () => {
    const decision = evaluateRelease(
      PRODUCTION,
      passing({ attestations: [redteam({}, { attackSuccessRate: 0.12 })] }),
    );
    expect(requirement(decision, id)).toEqual({
      met: false,
      reason: `attestation sha256:redteam-1 (signed by trusted key ${REDTEAM_KEY}) fails 1 of 2 condition(s): predicate.attackSuccessRate is 0.12, not lte 0.05`,
    });
  });

  it('judges the latest trusted attestation: a failing run after a passing one refuses', () => {
    const failing = redteam(
      { id: 'sha256:redteam-2', createdAt: '2025-05-31T00:00:00Z' },
      { suite: 'smoke' },
    );
    const decision = evaluateRelease(PRODUCTION, passing({ attestations: [redteam(), failing] }));
    expect(requirement(decision, id).reason).toContain('attestation sha256:redteam-2');
    expect(requirement(decision, id).met).toBe(false);
  });

  it('ignores attestations signed by other keys, and ones about other subjects or types', () => {
    const stranger = redteam({ signerKeyIds: [STRANGER_KEY] });
    expect(requirement(evaluateRelease(PRODUCTION, passing({ attestations: [stranger] })), id).reason).toBe(
      `1 ${REDTEAM} attestation(s) exist, but none is signed by a trusted key (keys/redteam.pub (${REDTEAM_KEY}))`,
    );
    const elsewhere = redteam({
      statement: {
        subject: [{ digest: { sha256: 'cd'.repeat(32) } }],
        predicateType: REDTEAM,
        predicate: {},
      },
    });
    expect(requirement(evaluateRelease(PRODUCTION, passing({ attestations: [elsewhere] })), id).reason).toBe(
      `no trusted ${REDTEAM} attestation has ${DIGEST} as its subject`,
    );
    const retyped = redteam({
      statement: { ...(redteam().statement as object), predicateType: 'https://x/other' },
    });
    expect(requirement(evaluateRelease(PRODUCTION, passing({ attestations: [retyped] })), id).met).toBe(
      false,
    );
    expect(requirement(evaluateRelease(PRODUCTION, passing({ attestations: [] })), id).reason).toBe(
      `no ${REDTEAM} attestation exists for this model`,
    );
  });

  it('survives a hostile statement', () => {
    const hostile = redteam({
      statement: JSON.parse(`{"__proto__": {"predicate": {"suite": "full"}}, "subject": 5}`) as unknown,
    });
    const decision = evaluateRelease(
      PRODUCTION,
      passing({ attestations: [hostile, redteam({ id: 'x', statement: null })] }),
    );
    expect(requirement(decision, id).met).toBe(false);
  });

  it('applies maxAge and the attesters default', () => {
    const policy = release(`
policies:
  - aliases: ['*']
    attesters: [keys/redteam.pub]
    attestations: [{ type: '${REDTEAM}', maxAge: 1d }]
`);
    expect(evaluateRelease(policy, passing({ now: new Date('2025-05-30T12:00:00Z') })).allowed).toBe(true);
    const stale = evaluateRelease(policy, passing());
    expect(requirement(stale, id).reason).toBe(
      `the latest trusted ${REDTEAM} attestation (sha256:redteam-1) is from 2025-05-30T00:00:00Z, older than maxAge 1d`,
    );
  });
});

describe('evaluateRelease: choosing the policy', () => {
  const layered = release(`
defaultPolicy: deny
policies:
  - aliases: [production]
    signature: { keys: [keys/release.pub] }
  - name: prerelease
    aliases: ['canary-?', 'prod-*']
    scan: {}
  - aliases: [dev]
`);

  it('matches globs: * for any run, ? for one character', () => {
    expect(evaluateRelease(layered, passing({ alias: 'prod-eu' })).policy).toBe('release.policies[1]');
    expect(evaluateRelease(layered, passing({ alias: 'canary-1' })).policy).toBe('release.policies[1]');
    expect(evaluateRelease(layered, passing({ alias: 'canary-12' })).policy).toBe('release.defaultPolicy');
    expect(evaluateRelease(layered, passing({ alias: 'Production' })).policy).toBe('release.defaultPolicy');
  });

  it('denies an alias no entry names by default', () => {
    const decision = evaluateRelease(layered, passing({ alias: 'shadow' }));
    expect(decision).toMatchObject({ allowed: false, policy: 'release.defaultPolicy' });
    expect(decision.requirements).toEqual([
      {
        id: 'default-policy',
        met: false,
        reason: 'no entry of release.policies names alias "shadow", and release.defaultPolicy is deny',
      },
    ]);
    expect(evaluateRelease(release('{}'), passing()).allowed).toBe(false);
  });

  it('allows it when defaultPolicy is allow', () => {
    const open = release('defaultPolicy: allow');
    expect(evaluateRelease(open, passing({ signatures: [] })).allowed).toBe(true);
  });

  it('uses the first matching entry only', () => {
    const overlapping = release(`
policies:
  - aliases: ['prod-*']
    scan: {}
  - aliases: ['*-eu']
    signature: { keys: [keys/release.pub] }
`);
    const decision = evaluateRelease(overlapping, passing({ alias: 'prod-eu', signatures: [] }));
    expect(decision.allowed).toBe(true);
    expect(decision.requirements.map((r) => r.id)).toEqual(['scan']);
  });

  it('allows under an entry with no requirements, and says so', () => {
    const decision = evaluateRelease(layered, passing({ alias: 'dev', signatures: [], scans: [] }));
    expect(decision).toMatchObject({ allowed: true, policy: 'release.policies[2]', requirements: [] });
    expect(decision.summary).toContain('the entry sets no requirements');
  });

  it('is deterministic whatever the order of the facts', () => {
    const facts = passing({
      signatures: [
        { id: 'b2', method: 'key', trusted: false, matchesBytes: true, keyId: STRANGER_KEY },
        { id: 'b1', method: 'key', trusted: true, matchesBytes: false, keyId: RELEASE_KEY },
      ],
      scans: [
        { id: 's2', digest: DIGEST, finishedAt: '2025-05-31T00:00:00Z', counts: {} },
        { id: 's1', digest: DIGEST, finishedAt: '2025-05-31T00:00:00Z', counts: { high: 1 } },
      ],
    });
    const reversed: ReleaseFacts = {
      ...facts,
      signatures: [...facts.signatures].reverse(),
      scans: [...facts.scans].reverse(),
      admissions: [...facts.admissions].reverse(),
      evidenceKeys: [...facts.evidenceKeys].reverse(),
    };
    expect(evaluateRelease(PRODUCTION, reversed)).toEqual(evaluateRelease(PRODUCTION, facts));
    expect(JSON.parse(JSON.stringify(evaluateRelease(PRODUCTION, facts)))).toEqual(
      evaluateRelease(PRODUCTION, facts),
    );
  });
});
