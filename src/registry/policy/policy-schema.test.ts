import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { releasePolicySchema } from './policy-schema.js';
import { selectReleasePolicy, trustMaterialOf } from './select-policy.js';

const DOC = fileURLToPath(new URL('../../../docs/release-policy.md', import.meta.url));
const REDTEAM = 'https://bulwark.dev/attestation/redteam/v1';

function docExample(): unknown {
  const markdown = readFileSync(DOC, 'utf8');
  const block = /```yaml\n([\s\S]*?)```/.exec(markdown)?.[1];
  if (block === undefined) throw new Error('docs/release-policy.md has no yaml example');
  return (parse(block) as { release: unknown }).release;
}

/** Every problem as "path: message", the way parseConfig will show them. */
function problems(input: unknown): string[] {
  const result = releasePolicySchema.safeParse(input);
  if (result.success) return [];
  return result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('releasePolicySchema', () => {
  it('accepts the example of docs/release-policy.md and fills in defaults', () => {
    const release = releasePolicySchema.parse(docExample());
    expect(release.defaultPolicy).toBe('deny');
    expect(release.policies).toHaveLength(3);
    const [production, staging, development] = release.policies;
    expect(production?.scan).toEqual({ required: true, failOn: 'high', maxAge: 30 * 24 * 3600 * 1000 });
    expect(production?.attestations[0]?.where).toHaveLength(3);
    expect(staging?.signature).toEqual({ keys: ['keys/release.pub', 'keys/ci.pub'], certificates: [] });
    expect(staging?.scan).toEqual({ required: true, failOn: 'critical' });
    expect(development).toEqual({ name: 'development', aliases: ['dev-*'], attesters: [], attestations: [] });
  });

  it('defaults to deny with no policies', () => {
    expect(releasePolicySchema.parse({})).toEqual({ defaultPolicy: 'deny', policies: [] });
  });

  it('fills in datasets and condition defaults', () => {
    const release = releasePolicySchema.parse({
      policies: [
        {
          aliases: ['x'],
          attesters: ['k.pub'],
          datasets: {},
          attestations: [{ type: REDTEAM, where: [{ field: 'predicate.waiver', op: 'exists' }] }],
        },
      ],
    });
    const entry = release.policies[0];
    expect(entry?.datasets).toEqual({ requireProvenance: true, requireAdmission: true });
    expect(entry?.attestations[0]?.where).toEqual([{ field: 'predicate.waiver', op: 'exists', value: true }]);
  });

  it.each<[string, unknown, string]>([
    [
      'an unknown key',
      { policies: [{ aliases: ['x'], signatures: {} }] },
      'policies.0: Unrecognized key: "signatures"',
    ],
    ['no aliases', { policies: [{ aliases: [] }] }, 'policies.0.aliases: Too small'],
    [
      'an alias with a space',
      { policies: [{ aliases: ['prod eu'] }] },
      'expected an alias name or a pattern',
    ],
    ['a bad default', { defaultPolicy: 'maybe' }, 'defaultPolicy: Invalid option'],
    [
      'a signature with no anchor',
      { policies: [{ aliases: ['x'], signature: {} }] },
      'policies.0.signature: name at least one trust anchor',
    ],
    [
      'an unknown severity',
      { policies: [{ aliases: ['x'], scan: { failOn: 'severe' } }] },
      'policies.0.scan.failOn',
    ],
    [
      'a bad duration',
      { policies: [{ aliases: ['x'], scan: { maxAge: '1 month' } }] },
      'policies.0.scan.maxAge: expected a duration',
    ],
    [
      'evidence without keys',
      { policies: [{ aliases: ['x'], datasets: {} }] },
      'policies.0.datasets.provenanceKeys: training provenance must be signed by a trusted key',
    ],
    [
      'admission without keys',
      { policies: [{ aliases: ['x'], datasets: { provenanceKeys: ['k'] } }] },
      'policies.0.datasets.admissionKeys: a dataset admission must be signed',
    ],
    [
      'an attestation without keys',
      { policies: [{ aliases: ['x'], attestations: [{ type: REDTEAM }] }] },
      'policies.0.attestations.0.keys: an attestation of',
    ],
    [
      'a type twice',
      {
        policies: [
          { aliases: ['x'], attesters: ['k'], attestations: [{ type: REDTEAM }, { type: REDTEAM }] },
        ],
      },
      'policies.0.attestations.1.type: https://bulwark.dev/attestation/redteam/v1 is required twice',
    ],
    [
      'a type that is not a URI',
      { policies: [{ aliases: ['x'], attesters: ['k'], attestations: [{ type: 'redteam' }] }] },
      'expected a predicate type URI',
    ],
    [
      'an unknown op',
      {
        policies: [
          {
            aliases: ['x'],
            attesters: ['k'],
            attestations: [{ type: REDTEAM, where: [{ field: 'a', op: 'equals', value: 1 }] }],
          },
        ],
      },
      'where.0.op: expected op to be one of eq, ne',
    ],
    [
      'lt on a string',
      {
        policies: [
          {
            aliases: ['x'],
            attesters: ['k'],
            attestations: [{ type: REDTEAM, where: [{ field: 'a', op: 'lt', value: 'high' }] }],
          },
        ],
      },
      'where.0.value: Invalid input: expected number',
    ],
    [
      'in without a list',
      {
        policies: [
          {
            aliases: ['x'],
            attesters: ['k'],
            attestations: [{ type: REDTEAM, where: [{ field: 'a', op: 'in', value: 'x' }] }],
          },
        ],
      },
      'where.0.value: Invalid input: expected array',
    ],
    [
      'eq without a value',
      {
        policies: [
          {
            aliases: ['x'],
            attesters: ['k'],
            attestations: [{ type: REDTEAM, where: [{ field: 'a', op: 'eq' }] }],
          },
        ],
      },
      'where.0.value: expected a JSON value',
    ],
    [
      'a bad path',
      {
        policies: [
          {
            aliases: ['x'],
            attesters: ['k'],
            attestations: [{ type: REDTEAM, where: [{ field: 'a..b', op: 'exists' }] }],
          },
        ],
      },
      'where.0.field: unexpected "..b"',
    ],
    [
      'an unsafe pattern',
      {
        policies: [
          {
            aliases: ['x'],
            attesters: ['k'],
            attestations: [{ type: REDTEAM, where: [{ field: 'a', op: 'matches', value: '(a|b)*c' }] }],
          },
        ],
      },
      'where.0.value: "(a|b)*" repeats a group',
    ],
  ])('refuses %s', (_name, input, expected) => {
    expect(problems(input).join('\n')).toContain(expected);
  });

  it('refuses an entry that an earlier entry always shadows', () => {
    expect(problems({ policies: [{ aliases: ['prod*'] }, { aliases: ['staging', 'production'] }] })).toEqual([
      'policies.1.aliases.1: alias "production" can never reach this entry: release.policies[0] (prod*) matches it first; put the more specific entry first',
    ]);
    expect(problems({ policies: [{ aliases: ['*'] }, { aliases: ['canary-*'] }] })).toHaveLength(1);
    expect(problems({ policies: [{ aliases: ['x'] }, { aliases: ['x'] }] })).toHaveLength(1);
    expect(problems({ policies: [{ aliases: ['prod-*'] }, { aliases: ['*-eu', 'staging'] }] })).toEqual([]);
  });

  it('has a JSON Schema that strict Ajv compiles and that agrees on the example', () => {
    const schema = z.toJSONSchema(z.strictObject({ release: releasePolicySchema }), {
      io: 'input',
      unrepresentable: 'any',
    });
    const ajv = new Ajv2020({ strict: true, allErrors: true });
    addFormats.default(ajv);
    const validate = ajv.compile(schema);
    expect(validate({ release: docExample() }), ajv.errorsText(validate.errors)).toBe(true);
    expect(validate({ release: { policies: [{ aliases: ['x'], scan: { failOn: 'severe' } }] } })).toBe(false);
    expect(validate({ release: { policies: [{ aliases: ['x'], nope: 1 }] } })).toBe(false);
  });
});

describe('selectReleasePolicy and trustMaterialOf', () => {
  const release = releasePolicySchema.parse(docExample());

  it('selects the first matching entry, or none', () => {
    expect(selectReleasePolicy(release, 'prod-us')).toMatchObject({ index: 0, label: 'release.policies[0]' });
    expect(selectReleasePolicy(release, 'canary-3')).toMatchObject({
      index: 1,
      label: 'release.policies[1]',
    });
    expect(selectReleasePolicy(release, 'dev-alice')).toMatchObject({ index: 2 });
    expect(selectReleasePolicy(release, 'qa')).toBeUndefined();
  });

  it('lists the trust material to load, evidence keys sorted without duplicates', () => {
    const production = selectReleasePolicy(release, 'production');
    if (production === undefined) throw new Error('no production entry');
    expect(trustMaterialOf(production.entry)).toEqual({
      signature: {
        keys: ['keys/release.pub'],
        certificates: ['keys/release-ca.pem'],
        sigstore: {
          trustedRoot: 'keys/trusted_root.json',
          identities: [{ identity: 'release@acme.example', issuer: 'https://accounts.google.com' }],
        },
      },
      evidenceKeys: ['keys/ci.pub', 'keys/data-governance.pub', 'keys/redteam.pub'],
    });
    const development = release.policies[2];
    if (development === undefined) throw new Error('no development entry');
    expect(trustMaterialOf(development)).toEqual({ evidenceKeys: [] });
  });
});
