import type { CapitalRun } from './capital-runs.js';
import type { Proposal } from './person-heuristics.js';

const words = (list: string): ReadonlySet<string> => new Set(list.split(' '));

/** Street types written after the name (`1668 Glyn St`, `90 Whitchurch Road`). */
const STREET_TYPES = words(
  'street st avenue ave road rd lane ln drive dr boulevard blvd way place pl court ct square sq terrace parkway pkwy highway hwy crescent close gardens circle alley row walk trail plaza mews wharf quay',
);
/** Street words written before the name (`Via Franscini 71`, `Rua do Arenque 1634`). */
const STREET_PREFIXES = words(
  'rue avenida avenue boulevard via viale piazza corso calle carrer rua travessa praça paseo ulica ul chemin allée impasse quai',
);
/** Street names written as one word with a suffix (`Bundesstrasse 31`, `Koskikatu 25`, `Edeby vägen 3`). */
const STREET_SUFFIX =
  /(?:straße|strasse|str|gasse|weg|platz|allee|ring|damm|katu|tie|kuja|gatan|gata|vägen|väg|vej|gade|veien|vegen|laan|straat|plein|gracht|ulica|utca)$/u;
const UNIT_WORDS = words('apt apartment suite ste unit flat psc usns uss uscgc');
const MILITARY_POST = words('apo fpo dpo');

const HOUSE_NUMBER_AFTER = /[ \t]+\d{1,5}[a-zA-Z]?(?!\w)/uy;
const NAME_THEN_NUMBER = /(?:[ \t]+[\p{L}\p{M}][\p{L}\p{M}'’.-]*){0,3}[ \t]+\d{1,5}[a-zA-Z]?(?!\w)/uy;
const UNIT_AFTER = /,?[ \t]*(?:Apt|Apartment|Suite|Ste|Unit|Flat|Floor|Fl)\.?[ \t]*\w{1,6}/uy;
const UNIT_BODY = /\.?[ \t]+\w{1,8}(?:,?[ \t]+Box[ \t]+\d{1,6})?/uy;
const MILITARY_BODY = /[ \t]+(?:AA|AE|AP)[ \t]+\d{5}/uy;
const NUMBER_BEFORE = /(?<![\w.])\d{1,5}[a-zA-Z]?,?[ \t]+$/u;

function stickyEnd(regex: RegExp, text: string, at: number): number | undefined {
  regex.lastIndex = at;
  return regex.exec(text) === null ? undefined : regex.lastIndex;
}

/**
 * Street addresses found from capitalized runs instead of whole-text passes: a house number before a
 * run ending in a street type, a street-suffixed name or a street prefix followed by a house number,
 * apartment, suite, unit and PSC box numbers, and APO/FPO/DPO military addresses.
 */
export function proposeStreets(text: string, run: CapitalRun, out: Proposal[]): void {
  const { tokens } = run;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token === undefined) continue;
    const bare = token.text.toLowerCase().replace(/[.,]$/, '');
    if (STREET_TYPES.has(bare) && i <= 4) {
      const before = NUMBER_BEFORE.exec(text.slice(Math.max(0, run.start - 12), run.start));
      if (before !== null) {
        const end = stickyEnd(UNIT_AFTER, text, token.end) ?? token.end;
        out.push({ start: run.start - before[0].length, end, score: 0.7 });
        return;
      }
    }
    if (bare.length > 4 && STREET_SUFFIX.test(bare)) {
      const end = stickyEnd(HOUSE_NUMBER_AFTER, text, token.end);
      if (end !== undefined) {
        out.push({ start: tokens[Math.max(0, i - 3)]?.start ?? token.start, end, score: 0.65 });
        return;
      }
    }
    if (i === 0 && STREET_PREFIXES.has(bare)) {
      const end = stickyEnd(NAME_THEN_NUMBER, text, token.end);
      if (end !== undefined) out.push({ start: token.start, end, score: 0.6 });
    }
    if (UNIT_WORDS.has(bare)) {
      const end = stickyEnd(UNIT_BODY, text, token.end - (token.text.endsWith('.') ? 1 : 0));
      if (end !== undefined && /\d/.test(text.slice(token.end, end)))
        out.push({ start: token.start, end, score: 0.6 });
    }
    if (MILITARY_POST.has(bare)) {
      const end = stickyEnd(MILITARY_BODY, text, token.end);
      if (end !== undefined) out.push({ start: token.start, end, score: 0.6 });
    }
  }
}
