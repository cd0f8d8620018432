import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { AuditLog } from '../audit/log.js';
import { allRules } from '../catalogue.js';
import { defaultRegistry, scannerOptionSchemas } from '../scanners.js';
import { noteVerifierOf, parseVerifierKey, type NoteVerifier } from '../audit/checkpoint.js';
import { parseConfig } from '../core/config/parse-config.js';
import { DEFAULT_CONFIG, type Config } from '../core/config/config-schema.js';
import { generateKeyPair, loadSigner, loadTrustedKey } from '../core/keys.js';
import type { Signer } from '../core/signer.js';
import { openStore, resolveStoreLocation } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import { pathExists, readUserFile, writeFileAtomic } from './files.js';
import type { CliIo } from './io.js';

/** What every command shares: the validated configuration, the evidence folder and the store. */
export interface CliContext {
  readonly io: CliIo;
  readonly config: Config;
  /** The folder of `bulwark.yaml` (the working directory when there is none): config paths are relative to it. */
  readonly configDir: string;
  /** The evidence folder (`$BULWARK_HOME` or `./.bulwark`): SQLite database and the audit key. */
  readonly home: string;
  /** Opens the store once; later calls return the same one. */
  store(): Promise<Store>;
  /** The audit log writer, signing with the log key (created on first use). */
  auditLog(): Promise<AuditLog>;
  /** Keys trusted for checkpoints: `--key` files, else `audit.trustedKeys`, else the local log key. */
  auditVerifiers(keyFiles: readonly string[]): Promise<NoteVerifier[]>;
  close(): Promise<void>;
}

/** Loads the configuration named by `--config` (or ./bulwark.yaml) and sets up the context. */
export async function openContext(io: CliIo, command: Command): Promise<CliContext> {
  const globals = command.optsWithGlobals<{ config?: string }>();
  const config = await loadConfig(io, globals.config);
  const location = resolveStoreLocation(io.env, io.cwd);
  const url = location.url ?? config.store.url;
  const home = resolve(io.cwd, location.home);
  let store: Promise<Store> | undefined;
  let log: AuditLog | undefined;
  const keyPath = io.env['BULWARK_AUDIT_KEY'] ?? join(home, 'keys', 'audit.key');

  const context: CliContext = {
    io,
    config,
    configDir: dirname(resolve(io.cwd, globals.config ?? 'bulwark.yaml')),
    home,
    store: () => (store ??= openStore(url === undefined ? { home } : { url, home })),
    async auditLog() {
      log ??= new AuditLog({
        storage: await context.store(),
        origin: config.audit.origin,
        signer: await auditSigner(keyPath),
      });
      return log;
    },
    async auditVerifiers(keyFiles) {
      const sources = keyFiles.length > 0 ? keyFiles : config.audit.trustedKeys;
      if (sources.length === 0) {
        const publicPath = keyPath.replace(/\.key$/, '') + '.pub';
        if (!(await pathExists(publicPath))) return [];
        return [
          noteVerifierOf(
            config.audit.origin,
            loadTrustedKey(await readUserFile(publicPath, 'audit public key')),
          ),
        ];
      }
      return Promise.all(sources.map((source) => verifierFrom(io, config.audit.origin, source)));
    },
    async close() {
      if (store) await (await store).close();
    },
  };
  return context;
}

async function loadConfig(io: CliIo, explicit: string | undefined): Promise<Config> {
  const path = resolve(io.cwd, explicit ?? 'bulwark.yaml');
  if (explicit === undefined && !(await pathExists(path))) return DEFAULT_CONFIG;
  const text = await readUserFile(path, 'configuration file');
  const scanners = defaultRegistry().list();
  return parseConfig(text, explicit ?? 'bulwark.yaml', {
    known: {
      ruleIds: allRules().map((r) => r.id),
      scannerIds: scanners.map((s) => s.id),
      scannerOptions: scannerOptionSchemas(),
    },
  });
}

/** The audit log's signing key: created (Ed25519, mode 0600) the first time the log is written. */
async function auditSigner(keyPath: string): Promise<Signer> {
  if (!(await pathExists(keyPath))) {
    const pair = generateKeyPair('ed25519');
    await mkdir(resolve(keyPath, '..'), { recursive: true, mode: 0o700 });
    await writeFileAtomic(keyPath, pair.privateKeyPem, 0o600);
    await writeFileAtomic(keyPath.replace(/\.key$/, '') + '.pub', pair.publicKeyPem);
  }
  return loadSigner(await readUserFile(keyPath, 'audit signing key'));
}

async function verifierFrom(io: CliIo, origin: string, source: string): Promise<NoteVerifier> {
  if (!source.includes('\n') && /^[^\s/]+\+[0-9a-f]{8}\+/.test(source)) return parseVerifierKey(source);
  const pem = await readUserFile(resolve(io.cwd, source), 'trusted key');
  return noteVerifierOf(origin, loadTrustedKey(pem));
}

/** Runs a command body with a context and always closes the store. */
export async function withContext<T>(
  io: CliIo,
  command: Command,
  body: (ctx: CliContext) => Promise<T>,
): Promise<T> {
  const ctx = await openContext(io, command);
  try {
    return await body(ctx);
  } finally {
    await ctx.close();
  }
}
