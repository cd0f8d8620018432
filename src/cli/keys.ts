import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { BulwarkError } from '../core/errors.js';
import { generateKeyPair, isEncryptedPrivateKeyPem, loadSigner, loadTrustedKey } from '../core/keys.js';
import { KEY_ALGORITHMS, type KeyAlgorithm } from '../core/signer.js';
import { emit, passphraseFrom, pathExists, readUserFile, writeFileAtomic } from './files.js';
import type { CliIo } from './io.js';

/** `bulwark keys generate|show`: signing keys for attestations. */
export function registerKeys(program: Command, io: CliIo): void {
  const keys = program.command('keys').description('create and inspect signing keys');
  keys
    .command('generate')
    .description('generate a signing key pair: PREFIX.key (private, mode 0600) and PREFIX.pub')
    .addOption(
      new Option('-a, --algorithm <algorithm>', 'key algorithm').choices(KEY_ALGORITHMS).default('ed25519'),
    )
    .requiredOption('-o, --out <prefix>', 'path prefix of the key files, e.g. keys/release')
    .option(
      '--passphrase-env <var>',
      'encrypt the private key with the passphrase in this environment variable',
    )
    .option('-f, --force', 'overwrite existing key files', false)
    .action(
      async (opts: { algorithm: KeyAlgorithm; out: string; passphraseEnv?: string; force: boolean }) => {
        const prefix = resolve(io.cwd, opts.out.replace(/\.(key|pub)$/, ''));
        const privatePath = `${prefix}.key`;
        const publicPath = `${prefix}.pub`;
        if (!opts.force && ((await pathExists(privatePath)) || (await pathExists(publicPath)))) {
          throw new BulwarkError('USAGE', `${privatePath} or ${publicPath} exists: use --force to overwrite`);
        }
        const passphrase = passphraseFrom(io, opts.passphraseEnv);
        const pair = generateKeyPair(opts.algorithm, passphrase === undefined ? {} : { passphrase });
        await writeFileAtomic(privatePath, pair.privateKeyPem, 0o600);
        await writeFileAtomic(publicPath, pair.publicKeyPem, 0o644);
        io.stdout.write(
          `${pair.algorithm} key ${pair.keyId}\n  private: ${privatePath}${passphrase ? ' (encrypted)' : ''}\n  public:  ${publicPath}\n`,
        );
      },
    );
  keys
    .command('show')
    .description('print the algorithm and key id of a public or private key file')
    .argument('<file>', 'PEM key file')
    .option('--passphrase-env <var>', 'passphrase of an encrypted private key')
    .option('--format <format>', 'table or json', 'table')
    .action(async (file: string, opts: { passphraseEnv?: string; format: string }) => {
      const pem = await readUserFile(resolve(io.cwd, file), 'key file');
      const isPrivate = /PRIVATE KEY-----/.test(pem);
      const passphrase = passphraseFrom(io, opts.passphraseEnv);
      const key = isPrivate
        ? loadSigner(pem, passphrase === undefined ? {} : { passphrase })
        : loadTrustedKey(pem);
      const info = {
        keyId: key.keyId,
        algorithm: key.algorithm,
        kind: isPrivate ? 'private' : 'public',
        encrypted: isPrivate && isEncryptedPrivateKeyPem(pem),
      };
      await emit(
        io,
        opts.format === 'json'
          ? `${JSON.stringify(info, null, 2)}\n`
          : `${info.algorithm} ${info.kind} key ${info.keyId}${info.encrypted ? ' (encrypted)' : ''}\n`,
      );
    });
}
