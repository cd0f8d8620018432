import { resolve } from 'node:path';
import { signStatement, type Statement } from '../core/attestation.js';
import type { Digest } from '../core/digest.js';
import type { JsonValue } from '../core/findings.js';
import { loadSigner } from '../core/keys.js';
import type { Signer } from '../core/signer.js';
import type { CliContext } from './context.js';
import { passphraseFrom, readUserFile } from './files.js';

/** Loads the private key of `--key FILE`, decrypting it with the passphrase in `--passphrase-env VAR`. */
export async function signerFromOptions(
  ctx: CliContext,
  opts: { readonly key: string; readonly passphraseEnv?: string },
): Promise<Signer> {
  const passphrase = passphraseFrom(ctx.io, opts.passphraseEnv);
  return loadSigner(
    await readUserFile(resolve(ctx.io.cwd, opts.key), 'private key'),
    passphrase ? { passphrase } : {},
  );
}

/** A statement once signed and kept: its envelope, payload digest and stored ids (one per subject). */
export interface StoredStatement {
  readonly envelope: string;
  readonly payloadDigest: Digest;
  readonly ids: readonly string[];
  readonly keyId: string;
}

/**
 * Signs a statement (DSSE), stores it once per subject and appends one `attestation` entry to the
 * audit log with `auditData` alongside the ids: the one way verbs produce signed evidence.
 */
export async function signAndStore(
  ctx: CliContext,
  statement: Statement,
  signer: Signer,
  auditData: { readonly [key: string]: JsonValue } = {},
): Promise<StoredStatement> {
  const signed = signStatement(statement, [signer]);
  const envelope = `${JSON.stringify(signed.envelope, null, 2)}\n`;
  const store = await ctx.store();
  const ids: string[] = [];
  for (const subject of statement.subject) {
    ids.push(
      await store.putAttestation({
        subjectDigest: `sha256:${subject.digest.sha256}`,
        predicateType: statement.predicateType,
        envelope,
        keyIds: [signer.keyId],
        payloadDigest: signed.payloadDigest,
      }),
    );
  }
  await (
    await ctx.auditLog()
  ).append({
    kind: 'attestation',
    data: {
      attestationIds: ids,
      subjects: statement.subject.map((s) => `sha256:${s.digest.sha256}`),
      predicateType: statement.predicateType,
      payloadDigest: signed.payloadDigest,
      keyIds: [signer.keyId],
      ...auditData,
    },
  });
  return { envelope, payloadDigest: signed.payloadDigest, ids, keyId: signer.keyId };
}
