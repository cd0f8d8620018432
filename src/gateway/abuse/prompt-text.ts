/**
 * What the abuse signals read of a prompt: at most the first and last 4,096 characters (the slot a
 * sweep varies is usually near one end, and the per-request cost stays bounded however long the
 * prompt), normalized the way duplicate detection does (NFKC, lower case, collapsed spaces).
 */
import { normalizeText } from '../../data/poisoning/records.js';

/** Characters kept from each end of a prompt. */
export const CLIP_CHARS = 4096;

/** The normalized, clipped text the signals read. */
export function abuseText(text: string): string {
  const clipped =
    text.length <= 2 * CLIP_CHARS ? text : `${text.slice(0, CLIP_CHARS)} ${text.slice(-CLIP_CHARS)}`;
  return normalizeText(clipped);
}
