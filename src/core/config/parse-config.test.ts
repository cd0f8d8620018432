import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BulwarkError } from '../errors.js';
import { DEFAULT_CONFIG } from './config-schema.js';
import { parseConfig, type ParseConfigOptions } from './parse-config.js';
import { gatewaySettingsSchema } from '../../gateway/gateway-config.js';

function errorOf(text: string, options?: ParseConfigOptions): BulwarkError {
  try {
    parseConfig(text, 'bulwark.yaml', options);
  } catch (error) {
    expect(error).toBeInstanceOf(BulwarkError);
    return error as BulwarkError;
  }
  throw new Error('expected parseConfig to throw');
}

function messageOf(text: string, options?: ParseConfigOptions): string {
  const error = errorOf(text, options);
  expect(error.code).toBe('CONFIG_INVALID');
  expect(error.message).not.toContain('\n');
  return error.message;
}

describe('parseConfig: defaults', () => {
  it.each(['', '\n', '# only a comment\n', '---\n', '~\n'])('gives the defaults for %j', (text) => {
    expect(parseConfig(text, 'bulwark.yaml')).toEqual(DEFAULT_CONFIG);
  });

  it('has safe defaults', () => {
    expect(DEFAULT_CONFIG).toEqual({
      version: 1,
      scan: {
        maxFileSize: 16 * 1024 ** 3,
        maxDepth: 32,
        maxFiles: 1_000_000,
        ignore: [],
        followSymlinks: false,
      },
      failOn: 'high',
      format: 'table',
      store: {},
      audit: { origin: 'bulwark.local/audit', trustedKeys: [] },
      keys: {},
      registry: {},
      release: { defaultPolicy: 'deny', policies: [] },
      bom: {},
      data: {
        labels: { default: 'internal', categories: {}, entities: {} },
        admission: {
          blockCategories: ['secret'],
          blockEntities: [],
          maxLabel: 'restricted',
          failOn: 'high',
          allowRules: [],
          requireApprover: false,
        },
      },
      prompts: { shield: {} },
      gateway: gatewaySettingsSchema.parse({}),
      rules: {},
      scanners: {},
    });
    expect(Object.isFrozen(DEFAULT_CONFIG.scan)).toBe(true);
  });

  it('fills in what a partial file leaves out', () => {
    const config = parseConfig('scan:\n  maxDepth: 4\n', 'bulwark.yaml');
    expect(config.scan).toEqual({ ...DEFAULT_CONFIG.scan, maxDepth: 4 });
    expect(config.failOn).toBe('high');
  });
});

describe('parseConfig: a full file', () => {
  const text = `version: 1
scan:
  maxFileSize: 2GiB
  maxDepth: 8
  maxFiles: 5000
  ignore: ['*.tmp', 'build/']
  followSymlinks: true
failOn: critical
format: sarif
store:
  url: postgres://bulwark@db/bulwark
audit:
  origin: example.com/ml/audit
  trustedKeys: [keys/audit.pub.pem]
keys:
  default: keys/signing.pem
registry:
  blobs: /srv/blobs
  encryption: { keyEnv: MODEL_KEY }
release:
  policies:
    - aliases: [production]
      signature: { keys: [keys/release.pub] }
bom:
  license: Apache-2.0
data:
  labels:
    default: public
    entities: { EMAIL_ADDRESS: internal }
  admission:
    blockEntities: [US_SSN]
    maxLabel: confidential
    requireApprover: true
prompts:
  shield:
    threshold: { user: 0.8, document: 0.7 }
    model: { path: models/pg2, threads: 2 }
rules:
  BW-FILE-001: { severity: low }
  BW-PKL-002:
    enabled: false
scanners:
  pickle: { maxOps: 1000 }
`;

  it('reads every setting', () => {
    expect(parseConfig(text, 'bulwark.yaml')).toEqual({
      version: 1,
      scan: {
        maxFileSize: 2 * 1024 ** 3,
        maxDepth: 8,
        maxFiles: 5000,
        ignore: ['*.tmp', 'build/'],
        followSymlinks: true,
      },
      failOn: 'critical',
      format: 'sarif',
      store: { url: 'postgres://bulwark@db/bulwark' },
      audit: { origin: 'example.com/ml/audit', trustedKeys: ['keys/audit.pub.pem'] },
      keys: { default: 'keys/signing.pem' },
      registry: { blobs: '/srv/blobs', encryption: { keyEnv: 'MODEL_KEY' } },
      release: {
        defaultPolicy: 'deny',
        policies: [
          {
            aliases: ['production'],
            attesters: [],
            signature: { keys: ['keys/release.pub'], certificates: [] },
            attestations: [],
          },
        ],
      },
      bom: { license: 'Apache-2.0' },
      data: {
        labels: { default: 'public', categories: {}, entities: { EMAIL_ADDRESS: 'internal' } },
        admission: {
          blockCategories: ['secret'],
          blockEntities: ['US_SSN'],
          maxLabel: 'confidential',
          failOn: 'high',
          allowRules: [],
          requireApprover: true,
        },
      },
      prompts: {
        shield: { threshold: { user: 0.8, document: 0.7 }, model: { path: 'models/pg2', threads: 2 } },
      },
      gateway: gatewaySettingsSchema.parse({}),
      rules: { 'BW-FILE-001': { severity: 'low' }, 'BW-PKL-002': { enabled: false } },
      scanners: { pickle: { maxOps: 1000 } },
    });
  });

  it('accepts known rule and scanner ids', () => {
    const known = { ruleIds: ['BW-FILE-001', 'BW-PKL-002'], scannerIds: ['pickle'] };
    expect(parseConfig(text, 'bulwark.yaml', { known }).rules['BW-PKL-002']).toEqual({ enabled: false });
  });

  it('takes a byte count as a number too', () => {
    expect(parseConfig('scan: { maxFileSize: 1048576 }', 'b.yaml').scan.maxFileSize).toBe(1_048_576);
  });
});

describe('parseConfig: errors name the file, line, column and key', () => {
  it('reports an unknown top-level key with a suggestion', () => {
    expect(messageOf('failOn: low\nfail_on: high\n')).toBe(
      'bulwark.yaml:2:1: fail_on: unknown key (did you mean "failOn"?)',
    );
  });

  it('reports an unknown nested key at the key', () => {
    expect(messageOf('scan:\n  maxDepth: 3\n  maxFileSze: 10\n')).toBe(
      'bulwark.yaml:3:3: scan.maxFileSze: unknown key (did you mean "maxFileSize"?)',
    );
  });

  it('reports an unknown key without a suggestion when nothing is close', () => {
    expect(messageOf('colour: yes\n')).toBe('bulwark.yaml:1:1: colour: unknown key');
  });

  it('reports an unknown key inside a rule entry', () => {
    expect(messageOf('rules:\n  BW-FILE-001:\n    severty: low\n')).toBe(
      'bulwark.yaml:3:5: rules.BW-FILE-001.severty: unknown key (did you mean "severity"?)',
    );
  });

  it('reports a bad severity with the allowed values and a suggestion', () => {
    expect(messageOf('format: json\nfailOn: hgh\n')).toBe(
      'bulwark.yaml:2:9: failOn: expected one of critical, high, medium, low, info, got "hgh" (did you mean "high"?)',
    );
  });

  it('reports a wrong type at the value', () => {
    expect(messageOf('scan:\n  followSymlinks: "yes"\n')).toBe(
      'bulwark.yaml:2:19: scan.followSymlinks: expected a boolean, got "yes"',
    );
    expect(messageOf('scan: [1, 2]\n')).toBe('bulwark.yaml:1:7: scan: expected a mapping, got a list');
  });

  it('reports an unreadable size', () => {
    expect(messageOf('scan:\n  maxFileSize: lots\n')).toBe(
      'bulwark.yaml:2:16: scan.maxFileSize: expected a whole number of bytes or a size such as "512MiB" or "2GiB"',
    );
    expect(messageOf('scan:\n  maxFileSize: 0\n')).toMatch(/^bulwark\.yaml:2:16: scan\.maxFileSize: /);
    expect(messageOf('scan:\n  maxFileSize: 99999999TiB\n')).toMatch(/at most 9007199254740991 bytes/);
  });

  it('reports numbers out of range', () => {
    expect(messageOf('scan:\n  maxDepth: -1\n')).toBe(
      'bulwark.yaml:2:13: scan.maxDepth: expected a number >= 0, got -1',
    );
    expect(messageOf('scan:\n  maxFiles: 1.5\n')).toMatch(
      /^bulwark\.yaml:2:13: scan\.maxFiles: expected an integer/,
    );
  });

  it('reports a list item by index', () => {
    expect(messageOf('audit:\n  trustedKeys:\n    - a.pem\n    - 42\n')).toBe(
      'bulwark.yaml:4:7: audit.trustedKeys[1]: expected a string, got 42',
    );
  });

  it('reports an unsupported version', () => {
    expect(messageOf('version: 2\n')).toBe(
      'bulwark.yaml:1:10: version: unsupported config version; this bulwark reads version 1',
    );
  });

  it('reports a malformed rule id at the key', () => {
    expect(messageOf('rules:\n  pickle-001: { enabled: false }\n')).toBe(
      'bulwark.yaml:2:3: rules.pickle-001: expected a rule id such as BW-FILE-001',
    );
  });

  it('reports an unknown rule or scanner id when the caller knows the ids', () => {
    const known = { ruleIds: ['BW-FILE-001', 'BW-PKL-001'], scannerIds: ['pickle', 'safetensors'] };
    expect(messageOf('rules:\n  BW-FILE-002: { enabled: false }\n', { known })).toBe(
      'bulwark.yaml:2:3: rules.BW-FILE-002: unknown rule id (did you mean "BW-FILE-001"?)',
    );
    expect(messageOf('scanners:\n  pickel: {}\n', { known })).toBe(
      'bulwark.yaml:2:3: scanners.pickel: unknown scanner id (did you mean "pickle"?)',
    );
  });

  it("validates a scanner's section with its schema, pointing at the line, and applies its defaults", () => {
    const scannerOptions = {
      model: z.strictObject({ allow: z.array(z.string()).default([]), depth: z.int().min(1).default(4) }),
    };
    const known = { scannerIds: ['model', 'deps'], scannerOptions };
    expect(messageOf('scanners:\n  model:\n    depth: 0\n', { known })).toBe(
      'bulwark.yaml:3:12: scanners.model.depth: expected a number >= 1, got 0',
    );
    expect(messageOf('scanners:\n  model:\n    alow: []\n', { known })).toBe(
      'bulwark.yaml:3:5: scanners.model.alow: unknown key (did you mean "allow"?)',
    );
    const config = parseConfig('scanners:\n  model:\n    allow: [a:b]\n  deps: { x: 1 }\n', 'b.yaml', {
      known,
    });
    expect(config.scanners).toEqual({ model: { allow: ['a:b'], depth: 4 }, deps: { x: 1 } });
  });

  it('reports an origin that cannot be a checkpoint origin', () => {
    expect(messageOf('audit:\n  origin: "a b"\n')).toMatch(
      /^bulwark\.yaml:2:11: audit\.origin: expected a schema-less URL/,
    );
    expect(messageOf('audit:\n  origin: "a+b"\n')).toMatch(/audit\.origin/);
  });

  it('reports the first problem in file order and counts the rest', () => {
    expect(messageOf('format: xml\nscan:\n  maxDepth: x\nfailOn: nope\n')).toBe(
      'bulwark.yaml:1:9: format: expected one of table, json, sarif, got "xml" (and 2 more problems)',
    );
  });

  it('reports a root that is not a mapping', () => {
    expect(messageOf('- a\n- b\n')).toBe(
      'bulwark.yaml:1:1: (root): expected a mapping of settings, got a list',
    );
    expect(messageOf('just text\n')).toBe(
      'bulwark.yaml:1:1: (root): expected a mapping of settings, got "just text"',
    );
  });

  it('quotes keys that are not plain words', () => {
    expect(messageOf('scan:\n  "max files": 3\n')).toBe(
      'bulwark.yaml:2:3: scan["max files"]: unknown key (did you mean "maxFiles"?)',
    );
  });

  it('escapes control characters of the input in the message', () => {
    const message = messageOf('failOn: "\\u001b[31mred"\n');
    expect(message).not.toContain('\u001b');
    expect(message).toContain('\\u001b[31mred');
  });
});

describe('parseConfig: YAML syntax errors', () => {
  it('gives the line and column of the error', () => {
    const message = messageOf('scan:\n  maxDepth: 3\n ignore: [a, b\n');
    expect(message).toMatch(/^bulwark\.yaml:3:\d+: YAML syntax error: /);
  });

  it('refuses duplicate keys', () => {
    expect(messageOf('failOn: low\nfailOn: high\n')).toMatch(
      /^bulwark\.yaml:2:1: YAML syntax error: Map keys must be unique/,
    );
  });

  it('refuses several documents', () => {
    expect(messageOf('failOn: low\n---\nfailOn: high\n')).toBe(
      'bulwark.yaml:2:1: YAML syntax error: a config file holds one YAML document',
    );
  });

  it('refuses an alias bomb instead of expanding it', () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i += 1) {
      const refs = Array.from({ length: 10 }, () => `*a${i - 1}`).join(', ');
      lines.push(`a${i}: &a${i} [${refs}]`);
    }
    expect(messageOf(lines.join('\n'))).toBe(
      'bulwark.yaml:1:1: (root): Excessive alias count indicates a resource exhaustion attack',
    );
  });

  it('refuses an alias without its anchor', () => {
    expect(messageOf('failOn: *level\n')).toMatch(/^bulwark\.yaml:\d+:\d+: .*alias/);
  });
});
