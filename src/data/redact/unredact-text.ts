import { BulwarkError } from '../../core/errors.js';
import {
  ENCRYPTED_TOKEN,
  openEncryptedToken,
  partialTokenStart,
  type RedactKeys,
  type TokenForm,
} from './redact-tokens.js';
import type { TextInput, TextOutput } from './text-io.js';

/** Longest stretch held while waiting for the end of a token (a token of a 16 MiB value fits). */
const MAX_HELD = 64 * 1024 * 1024;

/** What `unredact` restored (never values). */
export interface UnredactCounts {
  readonly tokens: number;
  readonly byEntity: Readonly<Record<string, number>>;
}

/** Opens tokens and counts them; the failure of one token is the failure of the whole file. */
export class TokenOpener {
  #tokens = 0;
  readonly #byEntity = new Map<string, number>();

  constructor(private readonly keys: RedactKeys) {}

  /** The bytes and form a token holds; throws `SIGNATURE_INVALID` when it does not authenticate. */
  open(entity: string, payload: string, where: string): { form: TokenForm; bytes: Uint8Array } {
    const opened = openEncryptedToken(this.keys, entity, payload);
    if (opened === undefined) {
      const before =
        this.#tokens === 0
          ? 'wrong key, or the token was changed'
          : `the token was changed (the ${this.#tokens} token(s) before it opened with this key)`;
      throw new BulwarkError(
        'SIGNATURE_INVALID',
        `the ${entity} token at ${where} does not authenticate with key ${this.keys.keyId}: ${before}`,
      );
    }
    this.#tokens++;
    this.#byEntity.set(entity, (this.#byEntity.get(entity) ?? 0) + 1);
    return opened;
  }

  /** What was restored so far. */
  counts(): UnredactCounts {
    return {
      tokens: this.#tokens,
      byEntity: Object.fromEntries([...this.#byEntity].sort(([a], [b]) => (a < b ? -1 : 1))),
    };
  }
}

/**
 * Restores every encrypted token of a text, CSV, TSV, JSON or JSON Lines file to the exact text it
 * replaced (tokens never need quoting or escaping, so no parsing is needed); everything else is
 * copied as it is. A token that replaced a whole JSON number takes its quotes with it.
 */
export async function unredactText(input: TextInput, out: TextOutput, opener: TokenOpener): Promise<void> {
  await out.writeBytes(input.bom);
  let held = '';
  let line = 1;
  const process = async (text: string, final: boolean): Promise<string> => {
    const parts: string[] = [];
    let at = 0;
    let waiting = -1;
    ENCRYPTED_TOKEN.lastIndex = 0;
    for (let match = ENCRYPTED_TOKEN.exec(text); match !== null; match = ENCRYPTED_TOKEN.exec(text)) {
      let start = match.index;
      let stop = start + match[0].length;
      // The character after a token tells whether its quotes are its own: wait until it is read.
      if (!final && stop >= text.length) {
        waiting = start;
        break;
      }
      line += countLines(text, at, start);
      const where = `line ${line}`;
      const opened = opener.open(match[1] ?? '', match[2] ?? '', where);
      if (opened.form === 'json-number') {
        if (start - 1 < at || text[start - 1] !== '"' || text[stop] !== '"') {
          throw new BulwarkError(
            'SIGNATURE_INVALID',
            `the token at ${where} replaced a JSON number but is no longer a whole JSON string`,
          );
        }
        start--;
        stop++;
      }
      parts.push(text.slice(at, start), input.codec.decode(opened.bytes));
      at = stop;
      ENCRYPTED_TOKEN.lastIndex = stop;
    }
    let boundary = text.length;
    if (!final) {
      const partial = partialTokenStart(text.slice(at));
      const pending = waiting !== -1 ? waiting : partial === -1 ? text.length : at + partial;
      // The character before a token that may start here or later stays too: it may be the opening
      // quote a JSON number token owns.
      boundary = Math.max(at, pending - 1);
    }
    line += countLines(text, at, boundary);
    parts.push(text.slice(at, boundary));
    await out.write(parts.join(''));
    return text.slice(boundary);
  };
  for await (const piece of input.pieces) {
    held = await process(held + piece, false);
    if (held.length > MAX_HELD) {
      throw new BulwarkError(
        'LIMIT_EXCEEDED',
        `a token at line ${line} is longer than ${MAX_HELD} characters`,
      );
    }
  }
  await process(held, true);
  await out.finish();
  await out.writeBytes(input.trailing());
}

function countLines(text: string, from: number, to: number): number {
  let count = 0;
  for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) count++;
  return count;
}
