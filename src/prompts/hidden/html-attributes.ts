import type { DefaultTreeAdapterTypes } from 'parse5';
import type { HiddenTechnique } from './hidden-types.js';

/**
 * The raw span of an attribute's value (inside the quotes when quoted), from parse5's location of
 * the whole `name="value"`, shifted by `base`; `undefined` when it has no value or no location.
 */
export function attributeValueRange(
  doc: string,
  element: DefaultTreeAdapterTypes.Element,
  name: string,
  base: number,
): { start: number; end: number } | undefined {
  const location = element.sourceCodeLocation?.attrs?.[name];
  if (location === undefined) return undefined;
  const from = Math.min(base + location.startOffset, doc.length);
  const raw = doc.slice(from, base + location.endOffset);
  const equals = raw.indexOf('=');
  if (equals < 0) return undefined;
  let start = equals + 1;
  while (start < raw.length && /[\t\n\f\r ]/u.test(raw[start] ?? '')) start++;
  let end = raw.length;
  const quote = raw[start];
  if (quote === '"' || quote === "'") {
    start++;
    if (raw.endsWith(quote) && end > start) end--;
  }
  return { start: from + start, end: from + end };
}

/** The technique of an attribute whose value is text no reader sees, if it is one. */
export function attributeTechnique(tag: string, name: string): HiddenTechnique | undefined {
  if (name === 'alt') return 'alt-text';
  if (name === 'title') return 'title-text';
  return tag === 'meta' && name === 'content' ? 'meta-content' : undefined;
}
