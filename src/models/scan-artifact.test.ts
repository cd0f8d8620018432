import { describe, expect, it } from 'vitest';
import { bytesSource } from '../core/scan/byte-sources.js';
import { DEFAULT_MODEL_SCAN_LIMITS } from './artifact.js';
import { createPicklePolicy } from './pickle/pickle-policy.js';
import { scanArtifact, type ArtifactScanSettings } from './scan-artifact.js';

const settings: ArtifactScanSettings = { policy: createPicklePolicy(), limits: DEFAULT_MODEL_SCAN_LIMITS };

function latin1(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

/** `module.name('arg')` as protocol 0 GLOBAL + REDUCE. */
function reduceCall(module: string, name: string, arg: string): string {
  return `c${module}\n${name}\n(S'${arg}'\ntR.`;
}

async function scan(bytes: Uint8Array, path = 'model.bin') {
  return scanArtifact(bytesSource(bytes), { path }, settings);
}

describe('scanArtifact on pickles', () => {
  it('reports a dangerous call as critical at the offset of its GLOBAL, with the category', async () => {
    const findings = await scan(latin1(`N0${reduceCall('posix', 'system', 'id')}`));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      ruleId: 'BW-PICKLE-001',
      severity: 'critical',
      location: { path: 'model.bin', offset: 2 },
      evidence: { global: 'posix.system', called: true, callOpcode: 'REDUCE', category: 'process-control' },
    });
  });

  it('maps Python 2 names by protocol: __builtin__.eval is builtins.eval at protocol 2', async () => {
    const findings = await scan(latin1(`\x80\x02c__builtin__\neval\n(S'1'\ntR.`));
    expect(findings[0]).toMatchObject({ ruleId: 'BW-PICKLE-001', evidence: { global: 'builtins.eval' } });
    expect(findings[0]?.message).toContain('written as __builtin__.eval');
  });

  it('gives medium for a global that is not on the allowlist and nothing for an allowed one', async () => {
    const unknown = await scan(latin1(reduceCall('mypkg.models', 'Net', 'x')));
    expect(unknown.map((f) => [f.ruleId, f.severity])).toEqual([['BW-PICKLE-002', 'medium']]);
    const allowed = await scan(latin1(`ccollections\nOrderedDict\n)R.`));
    expect(allowed).toEqual([]);
  });

  it('finds the payload before a broken stream and reports the break', async () => {
    const findings = await scan(latin1(`${reduceCall('os', 'system', 'id').slice(0, -1)}\xff\xff`));
    expect(findings.map((f) => f.ruleId).sort()).toEqual(['BW-PICKLE-001', 'BW-PICKLE-006']);
  });

  it('scans a pickle hidden in bytes handed to pickle.loads, at the offset of the bytes', async () => {
    const inner = latin1(reduceCall('subprocess', 'check_output', 'id'));
    const outer = new Uint8Array([
      ...latin1('\x80\x03cpickle\nloads\nC'),
      inner.length,
      ...inner,
      ...latin1('\x85R.'),
    ]);
    const findings = await scan(outer);
    const nested = findings.find((f) => f.evidence?.['global'] === 'subprocess.check_output');
    // Offsets inside the embedded bytes are made absolute: the REDUCE is byte 33 of the inner pickle.
    expect(nested).toMatchObject({
      ruleId: 'BW-PICKLE-001',
      location: { offset: 18 },
      evidence: { callOffset: 18 + 33 },
    });
    expect(nested?.message).toMatch(/^in bytes embedded at offset 18: /);
    expect(findings.some((f) => f.evidence?.['global'] === 'pickle.loads')).toBe(true);
  });

  it('honours user allow entries but never for dangerous globals', async () => {
    const policy = createPicklePolicy({
      allow: [
        { module: 'mypkg.models', name: 'Net' },
        { module: 'os', name: '*' },
      ],
    });
    const run = (text: string) =>
      scanArtifact(bytesSource(latin1(text)), { path: 'm' }, { ...settings, policy });
    expect(await run(reduceCall('mypkg.models', 'Net', 'x'))).toEqual([]);
    expect((await run(reduceCall('os', 'system', 'id')))[0]?.severity).toBe('critical');
  });

  it('never throws on random bytes handed to it as a pickle-looking file', async () => {
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let i = 0; i < 300; i++) {
      const bytes = Uint8Array.from({ length: 1 + (next() % 300) }, () => next() % 256);
      bytes[0] = 0x80;
      bytes[1] = next() % 6;
      await expect(scan(bytes)).resolves.toBeInstanceOf(Array);
    }
  });
});
