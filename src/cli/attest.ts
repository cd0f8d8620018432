import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { buildStatement, verifyAttestation, type SubjectInput } from '../core/attestation.js';
import { isDigest, type Digest } from '../core/digest.js';
import { BulwarkError } from '../core/errors.js';
import { loadTrustedKey } from '../core/keys.js';
import type { TrustedKey } from '../core/signer.js';
import { withContext, type CliContext } from './context.js';
import { emit, readUserFile } from './files.js';
import { digestFile } from './digest-file.js';
import { signAndStore, signerFromOptions } from './signed-evidence.js';
import type { CliIo } from './io.js';
import { collect } from './options.js';
import { registerTraining } from './training.js';

/** `bulwark attest create|verify|list`: in-toto attestations in DSSE envelopes, kept by subject digest. */
export function registerAttest(program: Command, io: CliIo): void {
  const attest = program.command('attest').description('sign, store and verify in-toto attestations (DSSE)');
  attest
    .command('create')
    .description('sign an in-toto Statement v1 about one or more subjects, store it and log it')
    .requiredOption(
      '-s, --subject <file|digest>',
      'subject file (hashed) or sha256:<hex>; repeatable',
      collect,
      [],
    )
    .requiredOption('-t, --predicate-type <uri>', 'predicate type URI')
    .requiredOption('-p, --predicate <file>', 'predicate JSON object file (- for stdin is not supported)')
    .requiredOption('-k, --key <file>', 'private key (PEM) to sign with')
    .option('--passphrase-env <var>', 'passphrase of an encrypted private key')
    .option('-o, --output <file>', 'also write the DSSE envelope to this file')
    .action(async function (this: Command, opts: CreateOptions) {
      await withContext(io, this, (ctx) => createAttestation(ctx, opts));
    });
  attest
    .command('verify')
    .description('verify an envelope file, or every stored attestation of a subject; exit 1 if any fails')
    .argument('[envelope]', 'DSSE envelope JSON file')
    .option('-s, --subject <file|digest>', 'subject the attestation must be about (file or sha256:<hex>)')
    .requiredOption('-k, --key <file>', 'trusted public key (PEM); repeatable', collect, [])
    .option('-t, --predicate-type <uri>', 'required predicate type')
    .option('--threshold <n>', 'distinct trusted keys that must have signed', '1')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .action(async function (this: Command, envelope: string | undefined, opts: VerifyOptions) {
      await withContext(io, this, (ctx) => verifyAttestations(ctx, envelope, opts));
    });
  registerTraining(attest, io);
  attest
    .command('list')
    .description('list stored attestations, newest first')
    .option('-s, --subject <file|digest>', 'only attestations about this subject')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .action(async function (this: Command, opts: { subject?: string; format: string }) {
      await withContext(io, this, async (ctx) => {
        const store = await ctx.store();
        const subjectDigest = opts.subject
          ? await subjectOf(io, opts.subject).then((s) => s.digest)
          : undefined;
        const rows = await store.listAttestations(subjectDigest ? { subjectDigest } : {});
        if (opts.format === 'json')
          return emit(
            io,
            `${JSON.stringify(
              rows.map(({ envelope: _e, ...r }) => r),
              null,
              2,
            )}\n`,
          );
        if (rows.length === 0) return emit(io, 'no attestations\n');
        return emit(
          io,
          rows.map((r) => `${r.createdAt}  ${r.subjectDigest}  ${r.predicateType}  ${r.id}\n`).join(''),
        );
      });
    });
}

interface CreateOptions {
  subject: string[];
  predicateType: string;
  predicate: string;
  key: string;
  passphraseEnv?: string;
  output?: string;
}

interface VerifyOptions {
  subject?: string;
  key: string[];
  predicateType?: string;
  threshold: string;
  format: string;
}

async function createAttestation(ctx: CliContext, opts: CreateOptions): Promise<void> {
  const { io } = ctx;
  const subjects = await Promise.all(opts.subject.map((s) => subjectOf(io, s)));
  const predicateText = await readUserFile(resolve(io.cwd, opts.predicate), 'predicate file');
  let predicate: unknown;
  try {
    predicate = JSON.parse(predicateText);
  } catch {
    throw new BulwarkError('INPUT_INVALID', `predicate file ${opts.predicate} is not valid JSON`);
  }
  if (typeof predicate !== 'object' || predicate === null || Array.isArray(predicate)) {
    throw new BulwarkError('INPUT_INVALID', `predicate file ${opts.predicate} must hold a JSON object`);
  }
  const signer = await signerFromOptions(ctx, opts);
  const statement = buildStatement({ subjects, predicateType: opts.predicateType, predicate });
  const { envelope, payloadDigest } = await signAndStore(ctx, statement, signer);
  if (opts.output) await emit(io, envelope, opts.output);
  io.stdout.write(
    `attestation ${payloadDigest} stored for ${subjects.length} subject(s), signed by ${signer.keyId}\n`,
  );
}

async function verifyAttestations(
  ctx: CliContext,
  envelopeFile: string | undefined,
  opts: VerifyOptions,
): Promise<void> {
  const { io } = ctx;
  const threshold = Number(opts.threshold);
  if (!Number.isSafeInteger(threshold) || threshold < 1)
    throw new BulwarkError('USAGE', '--threshold must be a whole number >= 1');
  const trusted: TrustedKey[] = await Promise.all(
    opts.key.map(async (k) => loadTrustedKey(await readUserFile(resolve(io.cwd, k), 'public key'))),
  );
  const subjectDigest: Digest | undefined = opts.subject
    ? (await subjectOf(io, opts.subject)).digest
    : undefined;
  let envelopes: { source: string; json: string }[];
  if (envelopeFile !== undefined) {
    envelopes = [
      { source: envelopeFile, json: await readUserFile(resolve(io.cwd, envelopeFile), 'envelope file') },
    ];
  } else {
    if (!subjectDigest)
      throw new BulwarkError('USAGE', 'give an envelope file or --subject to verify stored attestations');
    const rows = await (await ctx.store()).listAttestations({ subjectDigest });
    if (rows.length === 0)
      throw new BulwarkError('NOT_FOUND', `no stored attestation about ${subjectDigest}`);
    envelopes = rows.map((r) => ({ source: `attestation ${r.id}`, json: r.envelope }));
  }
  const results = envelopes.map(({ source, json }) => {
    const verdict = verifyAttestation(json, trusted, {
      threshold,
      ...(subjectDigest ? { subjectDigest } : {}),
      ...(opts.predicateType ? { predicateType: opts.predicateType } : {}),
    });
    return verdict.ok
      ? {
          source,
          ok: true,
          predicateType: verdict.statement.predicateType,
          keyIds: verdict.verifiedKeyIds,
          payloadDigest: verdict.payloadDigest,
        }
      : { source, ok: false, reason: verdict.reason, message: verdict.message };
  });
  if (results.some((r) => !r.ok)) io.exitCode = 1;
  if (opts.format === 'json') {
    await emit(io, `${JSON.stringify(results, null, 2)}\n`);
    return;
  }
  for (const r of results) {
    io.stdout.write(
      r.ok
        ? `verified  ${r.source}: ${r.predicateType} signed by ${(r.keyIds ?? []).join(', ')}\n`
        : `FAILED    ${r.source}: ${r.reason}: ${r.message}\n`,
    );
  }
}

/** A subject given as `sha256:<hex>` or as a file path (hashed while streaming). */
async function subjectOf(io: CliIo, value: string): Promise<SubjectInput> {
  if (value.startsWith('sha256:')) {
    if (!isDigest(value)) throw new BulwarkError('USAGE', `not a sha256 digest: ${value}`);
    return { name: value, digest: value };
  }
  const digest = await digestFile(resolve(io.cwd, value));
  return { name: value, digest };
}
