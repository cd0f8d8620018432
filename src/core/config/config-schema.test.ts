import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { configJsonSchema, configSchema, DEFAULT_CONFIG } from './config-schema.js';

const ajv = new Ajv2020({ strict: true, allErrors: true });
addFormats.default(ajv);
const validate = ajv.compile(configJsonSchema());

describe('configJsonSchema', () => {
  it('accepts what parseConfig accepts', () => {
    const doc: unknown = parse(`
version: 1
scan: { maxFileSize: 2GiB, maxDepth: 0, maxFiles: 10, ignore: ['*.tmp'], followSymlinks: false }
failOn: medium
format: json
store: { url: 'postgres://db/bulwark' }
audit: { origin: example.com/log, trustedKeys: [k.pem] }
keys: { default: key.pem }
rules: { BW-FILE-001: { severity: low, enabled: true } }
scanners: { pickle: { anything: [1, 2] } }
`);
    expect(validate(doc), ajv.errorsText(validate.errors)).toBe(true);
    expect(configSchema.safeParse(doc).success).toBe(true);
    expect(validate({})).toBe(true);
    expect(validate({ scan: { maxFileSize: 1024 } })).toBe(true);
  });

  it.each([
    ['an unknown key', { colour: true }],
    ['an unknown nested key', { scan: { maxFileSze: 1 } }],
    ['a bad severity', { failOn: 'fatal' }],
    ['a bad format', { format: 'xml' }],
    ['a bad size', { scan: { maxFileSize: 'lots' } }],
    ['a zero size', { scan: { maxFileSize: 0 } }],
    ['a malformed rule id', { rules: { pickle: { enabled: false } } }],
    ['another version', { version: 2 }],
    ['an origin with a space', { audit: { origin: 'a b' } }],
  ])('rejects %s, as parseConfig does', (_name, doc) => {
    expect(validate(doc)).toBe(false);
    expect(configSchema.safeParse(doc).success).toBe(false);
  });

  it('documents the defaults', () => {
    interface Property {
      readonly default?: unknown;
      readonly properties?: Record<string, Property>;
    }
    const schema = configJsonSchema() as { properties: Record<string, Property> };
    expect(schema.properties.failOn?.default).toBe(DEFAULT_CONFIG.failOn);
    expect(schema.properties.scan?.properties?.maxFileSize?.default).toBe(DEFAULT_CONFIG.scan.maxFileSize);
    expect(schema.properties.audit?.properties?.origin?.default).toBe('bulwark.local/audit');
  });
});
