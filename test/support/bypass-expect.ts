import { expect } from 'vitest';
import type { Finding } from '../../src/core/findings.js';
import { isAtOrAbove } from '../../src/core/severity.js';
import { describeFindings, scanBytes, topSeverity } from './bypass-samples.js';

// The expectations shared by the red-team test files of the model scanner.

/** Scans bytes and expects a finding at `severity` or above. */
export async function expectAtLeast(
  bytes: Uint8Array,
  severity: 'medium' | 'high',
  name?: string,
): Promise<Finding[]> {
  const findings = await scanBytes(bytes, name);
  const top = topSeverity(findings);
  expect(top !== undefined && isAtOrAbove(top, severity), describeFindings(findings) || 'no findings').toBe(
    true,
  );
  return findings;
}

/** Scans bytes and expects nothing at medium or above. */
export async function expectQuiet(bytes: Uint8Array, name?: string): Promise<void> {
  const findings = await scanBytes(bytes, name);
  expect(describeFindings(findings.filter((f) => isAtOrAbove(f.severity, 'medium')))).toBe('');
}

/** Scans bytes and expects the payload's dangerous call itself (BW-PICKLE-001 naming `call`) at high or above. */
export async function expectPayload(
  bytes: Uint8Array,
  name?: string,
  call = 'os.system',
): Promise<Finding[]> {
  const findings = await scanBytes(bytes, name);
  const found = findings.some(
    (f) => f.ruleId === 'BW-PICKLE-001' && f.message.includes(call) && isAtOrAbove(f.severity, 'high'),
  );
  expect(found, describeFindings(findings) || 'no findings').toBe(true);
  return findings;
}
