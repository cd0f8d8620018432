import type { Finding, JsonValue } from '../../core/findings.js';
import { findingOf } from '../../core/rules.js';
import { bytesSource, readFully, sliceSource } from '../../core/scan/byte-sources.js';
import type { ByteSource } from '../../core/scan/types.js';
import type { ArtifactContext } from '../artifact.js';
import { resolveCompatName, type PicklePolicy } from './pickle-policy.js';
import {
  BROKEN_PICKLE_STREAM,
  DANGEROUS_PICKLE_GLOBAL,
  DYNAMIC_PICKLE_GLOBAL,
  INDIRECT_PICKLE_CALL,
  PICKLE_EXTENSION_CODE,
  PICKLE_LIMIT_REACHED,
  PICKLE_TRAILING_DATA,
  UNREVIEWED_PICKLE_GLOBAL,
} from './pickle-rules.js';
import { looksLikeZip } from './pickle-vm-embedded.js';
import { usesOf } from './pickle-vm-recorder.js';
import { runPickleVm, type PickleEvent, type PickleImport, type PickleVmResult } from './pickle-vm.js';

/** Options of {@link scanPickle}. */
export interface PickleScanOptions {
  readonly policy: PicklePolicy;
  /**
   * Bytes found inside another pickle that may or may not be a pickle: report only what loading them
   * would import or call, not that they fail to parse.
   */
  readonly embedded?: boolean;
}

/** Embedded byte strings re-scanned as pickles at most, per stream. */
const MAX_EMBEDDED_SCANS = 64;

/**
 * Scans a pickle stream (every pickle in it) and turns what the symbolic machine saw into findings:
 * dangerous globals (critical), globals not on the allowlist (medium), computed imports and calls,
 * extension codes, a broken stream, trailing data. Bytes inside the stream that may be a nested pickle
 * (a `pickle.loads` argument) are scanned too. Offsets are relative to `source`.
 */
export async function scanPickle(
  source: ByteSource,
  ctx: ArtifactContext,
  options: PickleScanOptions,
): Promise<Finding[]> {
  return (await scanPickleStream(source, ctx, options)).findings;
}

/**
 * {@link scanPickle}, also telling where the pickle data ends (after the last top-level pickle, its
 * trailing data excluded), so a caller can tell a second format appended to the stream from bytes
 * inside it.
 */
export async function scanPickleStream(
  source: ByteSource,
  ctx: ArtifactContext,
  options: PickleScanOptions,
): Promise<{ findings: Finding[]; end: number }> {
  const result = await runPickleVm(source, {
    maxOps: ctx.limits.maxPickleOps,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
  const findings = [...importFindings(result, ctx, options.policy), ...eventFindings(result.events, ctx)];
  if (!options.embedded) findings.push(...streamFindings(result, ctx));
  findings.push(...(await embeddedFindings(source, result.events, ctx)));
  const end = result.pickles.reduce((last, p) => (p.nested ? last : Math.max(last, p.end)), 0);
  return { findings, end };
}

/** One finding per distinct global that is dangerous or unknown; allowed globals give none. */
function importFindings(result: PickleVmResult, ctx: ArtifactContext, policy: PicklePolicy): Finding[] {
  const streamProtocol = new Map(result.pickles.map((p) => [p.index, p.protocol]));
  // Python 2 names are mapped by the protocol in force when the global was read (the last PROTO).
  const protocolOf = (entry: PickleImport): number =>
    entry.protocol ?? streamProtocol.get(entry.pickleIndex) ?? 0;
  const seen = new Map<
    string,
    { first: PickleImport; called: PickleImport | undefined; count: number; uses: number; lookups: number }
  >();
  for (const entry of result.imports) {
    const protocol = protocolOf(entry);
    const resolved = resolveCompatName(entry.module, entry.name, protocol);
    const key = `${resolved.module}\n${resolved.name}`;
    const known = seen.get(key);
    const { references: uses, attributeLookups: lookups } = usesOf(entry);
    if (known === undefined)
      seen.set(key, { first: entry, called: entry.called ? entry : undefined, count: 1, uses, lookups });
    else {
      known.count++;
      known.uses += uses;
      known.lookups += lookups;
      if (known.called === undefined && entry.called) known.called = entry;
    }
  }
  const findings: Finding[] = [];
  for (const { first, called, count, uses, lookups } of seen.values()) {
    // getattr used only as `getattr(<global>, '<name>')`: the dotted globals it reached were judged instead.
    if (lookups > 0 && lookups >= uses) continue;
    const protocol = protocolOf(first);
    const resolved = resolveCompatName(first.module, first.name, protocol);
    const verdict = policy.classify(first.module, first.name, protocol);
    if (verdict.kind === 'allowed') continue;
    const qualified = `${resolved.module}.${resolved.name}`;
    const written =
      resolved.module === first.module && resolved.name === first.name
        ? ''
        : ` (written as ${first.module}.${first.name})`;
    const how = called
      ? `calls ${qualified}${written} (${called.callOpcode ?? 'call'})`
      : `imports ${qualified}${written}`;
    const evidence: Record<string, JsonValue> = {
      module: first.module,
      name: first.name,
      global: qualified,
      opcode: first.opcode,
      called: called !== undefined,
      ...(called?.callOpcode ? { callOpcode: called.callOpcode } : {}),
      ...(called?.callOffset !== undefined ? { callOffset: called.callOffset } : {}),
      pickleIndex: first.pickleIndex,
      protocol,
      ...(count > 1 ? { occurrences: count } : {}),
    };
    const location = { ...ctx.location, offset: first.offset };
    if (verdict.kind === 'dangerous') {
      findings.push(
        findingOf(DANGEROUS_PICKLE_GLOBAL, {
          message: `loading this pickle ${how}: ${verdict.reason}`,
          location,
          evidence: { ...evidence, category: verdict.category, reason: verdict.reason },
        }),
      );
    } else {
      findings.push(
        findingOf(UNREVIEWED_PICKLE_GLOBAL, {
          message: `loading this pickle ${how}, which is not on the allowlist (requires review)`,
          location,
          evidence,
        }),
      );
    }
  }
  return findings;
}

function eventFindings(events: readonly PickleEvent[], ctx: ArtifactContext): Finding[] {
  const findings: Finding[] = [];
  for (const event of events) {
    const location = { ...ctx.location, offset: event.offset };
    switch (event.kind) {
      case 'dynamicImport':
        findings.push(
          findingOf(DYNAMIC_PICKLE_GLOBAL, {
            message: `STACK_GLOBAL imports a global computed at load time: ${event.description}`,
            location,
            evidence: { description: event.description, pickleIndex: event.pickleIndex },
          }),
        );
        break;
      case 'indirectCall':
        findings.push(
          findingOf(INDIRECT_PICKLE_CALL, {
            message: `${event.opcode} calls ${event.description}`,
            location,
            evidence: {
              opcode: event.opcode,
              description: event.description,
              pickleIndex: event.pickleIndex,
            },
          }),
        );
        break;
      case 'extension':
        findings.push(
          findingOf(PICKLE_EXTENSION_CODE, {
            message: `the stream imports extension code ${event.code}, resolved through copyreg's registry`,
            location,
            evidence: { code: event.code, pickleIndex: event.pickleIndex },
          }),
        );
        break;
      case 'persistentId':
      case 'embedded':
        break;
    }
  }
  return findings;
}

function streamFindings(result: PickleVmResult, ctx: ArtifactContext): Finding[] {
  const findings: Finding[] = [];
  for (const pickle of result.pickles) {
    if (pickle.status === 'stop') continue;
    const evidence = {
      pickleIndex: pickle.index,
      start: pickle.start,
      status: pickle.status,
      opcodes: pickle.ops,
      ...(pickle.error ? { error: pickle.error } : {}),
    };
    const location = { ...ctx.location, offset: pickle.end };
    if (pickle.status === 'limit') {
      findings.push(
        findingOf(PICKLE_LIMIT_REACHED, {
          message: `the scan stopped after ${pickle.ops} opcodes (limit ${ctx.limits.maxPickleOps}); the rest of the stream was not examined`,
          location,
          evidence,
        }),
      );
    } else {
      const what = pickle.status === 'truncated' ? 'ends before its STOP opcode' : 'turns invalid';
      findings.push(
        findingOf(BROKEN_PICKLE_STREAM, {
          message: `pickle ${pickle.index} ${what} at offset ${pickle.end}${pickle.error ? `: ${pickle.error}` : ''}`,
          location,
          evidence,
        }),
      );
    }
  }
  if (result.trailing !== undefined) {
    findings.push(
      findingOf(PICKLE_TRAILING_DATA, {
        message: `${result.trailing.length} bytes after the end of the pickle stream are not a pickle`,
        location: { ...ctx.location, offset: result.trailing.offset },
        evidence: { offset: result.trailing.offset, length: result.trailing.length },
      }),
    );
  }
  return findings;
}

/** Re-scans byte strings that may be nested pickles, such as the argument of `pickle.loads`. */
async function embeddedFindings(
  source: ByteSource,
  events: readonly PickleEvent[],
  ctx: ArtifactContext,
): Promise<Finding[]> {
  const findings: Finding[] = [];
  let scanned = 0;
  for (const event of events) {
    if (event.kind !== 'embedded') continue;
    if (scanned++ >= MAX_EMBEDDED_SCANS) break;
    const nested =
      event.bytes !== undefined ? bytesSource(event.bytes) : sliceSource(source, event.offset, event.length);
    const head = event.bytes ?? (await readFully(nested, 0, Math.min(nested.size, 4)));
    // A zip is what `torch.load` reads from `_load_from_bytes`: dispatch it by content like a file.
    const as = looksLikeZip(head, nested.size) ? 'sniff' : 'embedded-pickle';
    const found = await ctx.scanNested({ source: nested, baseOffset: event.offset, as });
    for (const finding of found) {
      findings.push({
        ...finding,
        message: `in bytes embedded at offset ${event.offset}: ${finding.message}`,
        evidence: { ...finding.evidence, embeddedAt: event.offset },
      });
    }
  }
  return findings;
}
