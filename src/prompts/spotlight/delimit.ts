import { randomBytes as cryptoRandomBytes } from 'node:crypto';
import { BulwarkError } from '../../core/errors.js';

/**
 * Random bytes in a boundary code: 96 bits, so whoever writes the untrusted content cannot guess the
 * marker that closes its block (Hines et al. 2024 found fixed delimiters the weakest spotlighting mode
 * precisely because an attacker can write them).
 */
const BOUNDARY_BYTES = 12;
/** A healthy random source repeats a 96-bit code with probability 2^-96; eight misses mean it is broken. */
const MAX_DRAWS = 8;

/** The markers that open and close every untrusted block of one spotlighting call. */
export interface Boundary {
  /** The random code (lowercase hex) that only these markers carry. */
  readonly id: string;
  readonly open: string;
  readonly close: string;
}

/** Builds the open and close markers carrying one boundary code. */
export function boundaryFor(id: string): Boundary {
  return { id, open: `<<<untrusted-data ${id}>>>`, close: `<<<end-untrusted-data ${id}>>>` };
}

/**
 * Draws a crypto-random boundary whose code occurs in none of the items (compared case-insensitively),
 * drawing again when it does, so no item can contain the marker that closes its block.
 */
export function chooseBoundary(
  items: readonly string[],
  randomBytes: (size: number) => Uint8Array = cryptoRandomBytes,
): Boundary {
  const lowered = items.map((item) => item.toLowerCase());
  for (let draw = 0; draw < MAX_DRAWS; draw += 1) {
    const bytes = randomBytes(BOUNDARY_BYTES);
    if (bytes.length !== BOUNDARY_BYTES) {
      throw new BulwarkError(
        'INTERNAL',
        `the random source returned ${bytes.length} bytes, not ${BOUNDARY_BYTES}`,
      );
    }
    const id = Buffer.from(bytes).toString('hex');
    if (!lowered.some((item) => item.includes(id))) return boundaryFor(id);
  }
  throw new BulwarkError(
    'INTERNAL',
    `no boundary absent from the content after ${MAX_DRAWS} draws: the random source is not random`,
  );
}

/** Wraps one item between the boundary's markers, each on its own line. */
export function delimitItem(item: string, boundary: Boundary): string {
  return `${boundary.open}\n${item}\n${boundary.close}`;
}

/** Strips the markers that {@link delimitItem} added, refusing text that was not wrapped with them. */
export function undelimitItem(text: string, boundary: Boundary): string {
  const head = `${boundary.open}\n`;
  const tail = `\n${boundary.close}`;
  if (text.length < head.length + tail.length || !text.startsWith(head) || !text.endsWith(tail)) {
    throw new BulwarkError('INPUT_INVALID', `text is not delimited with boundary ${boundary.id}`);
  }
  return text.slice(head.length, text.length - tail.length);
}
