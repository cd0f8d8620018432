/**
 * The keyword prefilter of many recognizers in one pass over the text: an Aho-Corasick automaton over
 * ASCII, case-insensitive (the gitleaks prefilter, which uses the same algorithm). Checking 250
 * keywords with `includes` costs 250 scans per line; this costs one table lookup per character.
 */

/** Finds which recognizers have a keyword in a text. */
export interface KeywordIndex {
  /** Indices (as passed to {@link createKeywordIndex}) of the recognizers with a keyword in `text`, ascending. */
  match(text: string): number[];
}

const ALPHABET = 128;

/**
 * Builds the automaton for `keywordSets[i]`, the lower-case ASCII keywords of recognizer `i`. A
 * recognizer without keywords is always marked. Throws on a non-ASCII keyword (a programming error:
 * gitleaks and our keywords are ASCII).
 */
export function createKeywordIndex(keywordSets: readonly (readonly string[])[]): KeywordIndex {
  const goto: number[][] = [new Array<number>(ALPHABET).fill(-1)];
  const outputs: number[][] = [[]];
  keywordSets.forEach((keywords, owner) => {
    for (const keyword of keywords) {
      let state = 0;
      for (const c of keyword.toLowerCase()) {
        const code = c.charCodeAt(0);
        if (code >= ALPHABET) throw new RangeError(`keyword ${keyword} is not ASCII`);
        const row = goto[state] ?? [];
        let next = row[code] ?? -1;
        if (next === -1) {
          next = goto.length;
          row[code] = next;
          goto.push(new Array<number>(ALPHABET).fill(-1));
          outputs.push([]);
        }
        state = next;
      }
      outputs[state]?.push(owner);
    }
  });
  const delta = buildDelta(goto, outputs);
  // Sparse: most states end no keyword.
  const outputsOf = outputs.map((o) => (o.length === 0 ? undefined : [...new Set(o)]));
  const always = keywordSets.flatMap((k, i) => (k.length === 0 ? [i] : []));
  const seen = new Uint8Array(keywordSets.length);
  const ends = new Uint8Array(outputsOf.length);
  outputsOf.forEach((o, state) => (ends[state] = o === undefined ? 0 : 1));
  // The recognizers found in the text being matched, in the order found.
  const found = new Int32Array(keywordSets.length);
  return {
    match(text: string): number[] {
      let count = 0;
      let state = 0;
      for (let i = 0; i < text.length; i++) {
        const code = text.charCodeAt(i);
        state = delta[state * ALPHABET + (code < ALPHABET ? code : 0)] ?? 0;
        if (ends[state] === 0) continue;
        for (const owner of outputsOf[state] ?? []) {
          if (seen[owner] !== 0) continue;
          seen[owner] = 1;
          found[count++] = owner;
        }
      }
      if (count === 0) return always.length === 0 ? [] : [...always];
      const owners = [...always];
      for (let i = 0; i < count; i++) {
        const owner = found[i] ?? 0;
        seen[owner] = 0;
        owners.push(owner);
      }
      return owners.length > 1 ? owners.sort((a, b) => a - b) : owners;
    },
  };
}

/**
 * The full transition table (failure links folded in, upper case folded onto lower case) and outputs
 * merged along suffix links.
 */
function buildDelta(goto: number[][], outputs: number[][]): Int32Array {
  const delta = new Int32Array(goto.length * ALPHABET);
  const fail = new Int32Array(goto.length);
  const queue: number[] = [];
  const root = goto[0] ?? [];
  for (let c = 0; c < ALPHABET; c++) {
    const next = root[c] ?? -1;
    delta[c] = next === -1 ? 0 : next;
    if (next !== -1) queue.push(next);
  }
  for (let head = 0; head < queue.length; head++) {
    const state = queue[head] ?? 0;
    const row = goto[state] ?? [];
    for (let c = 0; c < ALPHABET; c++) {
      const next = row[c] ?? -1;
      const viaFail = delta[(fail[state] ?? 0) * ALPHABET + c] ?? 0;
      if (next === -1) {
        delta[state * ALPHABET + c] = viaFail;
        continue;
      }
      delta[state * ALPHABET + c] = next;
      fail[next] = viaFail;
      outputs[next]?.push(...(outputs[viaFail] ?? []));
      queue.push(next);
    }
  }
  // Keywords are lower case; an upper-case ASCII letter moves like its lower-case form.
  for (let state = 0; state < goto.length; state++) {
    for (let c = 65; c <= 90; c++) delta[state * ALPHABET + c] = delta[state * ALPHABET + c + 32] ?? 0;
  }
  return delta;
}
