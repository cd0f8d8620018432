import { equalBytes } from './merkle.js';
import { CompactRange, hashLeaf } from './merkle.js';
import { verifyNote, type NoteVerifier } from './checkpoint.js';
import type { AuditStorage, CheckpointRecord } from './storage.js';

/** What can be wrong with an audit log, in the order `verifyAuditLog` looks for it. */
export const AUDIT_PROBLEMS = [
  'checkpoint-malformed',
  'checkpoint-unknown-key',
  'checkpoint-bad-signature',
  'checkpoint-mismatch',
  'entry-missing',
  'entry-duplicated',
  'entry-out-of-place',
  'entry-modified',
  'root-mismatch',
  'truncated',
  'unsigned-tail',
  'no-checkpoint',
] as const;

export type AuditProblemKind = (typeof AUDIT_PROBLEMS)[number];

/** The first thing found wrong, naming the entry (`seq`) or the checkpoint (`treeSize`). */
export interface AuditProblem {
  readonly kind: AuditProblemKind;
  readonly message: string;
  readonly seq?: number;
  readonly treeSize?: number;
}

/** Result of recomputing the whole log. */
export type AuditVerdict =
  | { readonly ok: true; readonly size: number; readonly rootHash: Uint8Array; readonly checkpoints: number }
  | { readonly ok: false; readonly problem: AuditProblem; readonly size: number };

/** Options of `verifyAuditLog`. */
export interface VerifyAuditOptions {
  readonly storage: AuditStorage;
  /** Keys whose checkpoint signatures are accepted; a checkpoint signed by none of them fails. */
  readonly trusted: readonly NoteVerifier[];
  /** The checkpoint origin every checkpoint must carry. */
  readonly origin: string;
  /** Checkpoints obtained out of band (a witness, an earlier export) the log must still agree with. */
  readonly external?: readonly string[];
}

const CHUNK = 10_000;

/**
 * Recomputes every leaf hash and tree root of the log and checks them against the signed checkpoints.
 * Reports the first problem, naming the entry: a modified entry, a missing or duplicated one, entries
 * out of place (swapped or renumbered), a truncated log, or a checkpoint that is unsigned, signed by an
 * unknown key, or disagrees with the entries.
 */
export async function verifyAuditLog(options: VerifyAuditOptions): Promise<AuditVerdict> {
  const stored = await options.storage.listCheckpoints();
  const checkpoints: CheckpointRecord[] = [];
  for (const record of stored) {
    const parsed = checkNote(record.note, options);
    if ('kind' in parsed) return fail(parsed, 0);
    if (parsed.treeSize !== record.treeSize || !equalBytes(parsed.rootHash, record.rootHash)) {
      return fail(
        {
          kind: 'checkpoint-mismatch',
          treeSize: record.treeSize,
          message: `checkpoint at size ${record.treeSize}: its stored size or root differs from the signed note`,
        },
        0,
      );
    }
    checkpoints.push(record);
  }
  const external = [];
  for (const note of options.external ?? []) {
    const parsed = checkNote(note, options);
    if ('kind' in parsed) return fail({ ...parsed, message: `external ${parsed.message}` }, 0);
    external.push(parsed);
  }
  const targets = [
    ...checkpoints.map((c) => ({ treeSize: c.treeSize, rootHash: c.rootHash, external: false })),
    ...external.map((c) => ({ ...c, external: true })),
  ].sort((a, b) => a.treeSize - b.treeSize);

  const range = new CompactRange();
  let next = 0;
  let target = 0;
  let lastGood = 0;
  const count = await options.storage.auditEntryCount();
  const highest = Math.max(count, ...targets.map((t) => t.treeSize));
  while (next < highest) {
    const entries = await options.storage.readAuditEntries(next, next + CHUNK);
    if (entries.length === 0) break;
    for (const entry of entries) {
      if (entry.seq > next) {
        return fail(
          { kind: 'entry-missing', seq: next, message: `entry ${next} is missing (deleted)` },
          next,
        );
      }
      if (entry.seq < next) {
        return fail(
          { kind: 'entry-duplicated', seq: entry.seq, message: `entry ${entry.seq} appears twice` },
          next,
        );
      }
      const declared = declaredSeq(entry.payload);
      if (declared !== next) {
        const what = declared === undefined ? 'an unreadable payload' : `the content of entry ${declared}`;
        return fail(
          {
            kind: 'entry-out-of-place',
            seq: next,
            message: `entry ${next} holds ${what} (entries reordered or renumbered)`,
          },
          next,
        );
      }
      const leafHash = hashLeaf(new TextEncoder().encode(entry.payload));
      if (!equalBytes(leafHash, entry.leafHash)) {
        return fail(
          {
            kind: 'entry-modified',
            seq: next,
            message: `entry ${next} was modified: its content does not match its leaf hash`,
          },
          next,
        );
      }
      range.append(leafHash);
      next += 1;
      for (; target < targets.length && targets[target]!.treeSize === next; target++) {
        const t = targets[target]!;
        if (!equalBytes(range.root(), t.rootHash)) {
          const source = t.external ? 'external checkpoint' : 'signed checkpoint';
          return fail(
            {
              kind: 'root-mismatch',
              seq: lastGood,
              treeSize: t.treeSize,
              message:
                `entries ${lastGood}..${t.treeSize - 1} disagree with the ${source} at size ${t.treeSize}: ` +
                `entry ${lastGood} or a later one in that range was modified`,
            },
            next,
          );
        }
        lastGood = t.treeSize;
      }
    }
  }
  const latest = targets.at(-1);
  if (latest && next < latest.treeSize) {
    return fail(
      {
        kind: 'truncated',
        seq: next,
        treeSize: latest.treeSize,
        message: `log truncated: a signed checkpoint covers ${latest.treeSize} entries but entry ${next} onwards is missing`,
      },
      next,
    );
  }
  if (next < count) {
    return fail(
      { kind: 'entry-duplicated', seq: next, message: `entries beyond ${next - 1} are not in sequence` },
      next,
    );
  }
  if (next > lastGood) {
    const kind = targets.length === 0 ? 'no-checkpoint' : 'unsigned-tail';
    return fail(
      {
        kind,
        seq: lastGood,
        message: `entries ${lastGood}..${next - 1} are not covered by any signed checkpoint`,
      },
      next,
    );
  }
  return { ok: true, size: next, rootHash: range.root(), checkpoints: checkpoints.length };
}

/** Verifies a checkpoint note and returns its size and root, or the problem with it. */
function checkNote(
  note: string,
  options: VerifyAuditOptions,
): AuditProblem | { readonly treeSize: number; readonly rootHash: Uint8Array } {
  const verdict = verifyNote(note, options.trusted);
  const size = sizeLine(note);
  const at = size === undefined ? 'checkpoint' : `checkpoint at size ${size}`;
  if (!verdict.ok) {
    const kind =
      verdict.reason === 'unknown-key'
        ? 'checkpoint-unknown-key'
        : verdict.reason === 'bad-signature'
          ? 'checkpoint-bad-signature'
          : 'checkpoint-malformed';
    return { kind, ...(size === undefined ? {} : { treeSize: size }), message: `${at}: ${verdict.message}` };
  }
  if (verdict.checkpoint.origin !== options.origin) {
    return {
      kind: 'checkpoint-mismatch',
      ...(size === undefined ? {} : { treeSize: size }),
      message: `${at}: origin "${verdict.checkpoint.origin}" is not this log's origin "${options.origin}"`,
    };
  }
  return verdict.checkpoint;
}

function sizeLine(note: string): number | undefined {
  const line = note.split('\n')[1];
  return line !== undefined && /^\d+$/.test(line) ? Number(line) : undefined;
}

function declaredSeq(payload: string): number | undefined {
  try {
    const parsed: unknown = JSON.parse(payload);
    if (typeof parsed === 'object' && parsed !== null && 'seq' in parsed && typeof parsed.seq === 'number') {
      return parsed.seq;
    }
  } catch {
    // An unparseable payload is reported as out of place below, with its position.
  }
  return undefined;
}

function fail(problem: AuditProblem, size: number): AuditVerdict {
  return { ok: false, problem, size };
}
