import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Digest } from '../core/digest.js';
import { BulwarkError } from '../core/errors.js';

/** Streams a file through SHA-256 in bounded memory and returns its `sha256:<hex>` digest. */
export async function digestFile(path: string): Promise<Digest> {
  const hash = createHash('sha256');
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }))
      hash.update(chunk as Buffer);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      throw new BulwarkError('INPUT_NOT_FOUND', `no such file: ${path}`, { cause: error });
    throw new BulwarkError('INPUT_UNREADABLE', `cannot read ${path}: ${code ?? 'error'}`, { cause: error });
  }
  return `sha256:${hash.digest('hex')}`;
}
