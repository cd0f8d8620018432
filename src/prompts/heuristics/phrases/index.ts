/**
 * The default phrase lists of the heuristic detector, by language. Add a phrasing by adding a spec to
 * the list of its language (or pass `extraPhrases` to createHeuristicDetector).
 */
import type { PhraseLanguage, PhraseSpec } from '../phrase-spec.js';
import { AR_PHRASES } from './ar.js';
import { DE_PHRASES } from './de.js';
import { EN_OVERRIDE } from './en-override.js';
import { EN_EXTRACTION, EN_SECRETS } from './en-extraction.js';
import { EN_ROLE } from './en-role.js';
import { EN_JAILBREAK } from './en-jailbreak.js';
import { ES_PHRASES } from './es.js';
import { FR_PHRASES } from './fr.js';
import { HI_PHRASES } from './hi.js';
import { IT_PHRASES } from './it.js';
import { JA_PHRASES } from './ja.js';
import { KO_PHRASES } from './ko.js';
import { NL_PHRASES } from './nl.js';
import { PL_PHRASES } from './pl.js';
import { PT_PHRASES } from './pt.js';
import { RU_PHRASES } from './ru.js';
import { DOCUMENT_ADDRESSED, TOOL_DEMAND } from './structure-indirect.js';
import { CHAT_TEMPLATE, EXFILTRATION } from './structure-markup.js';
import { TR_PHRASES } from './tr.js';
import { ZH_PHRASES } from './zh.js';

/** Every built-in phrase spec. */
export const DEFAULT_PHRASES: readonly PhraseSpec[] = [
  ...EN_OVERRIDE,
  ...EN_ROLE,
  ...EN_EXTRACTION,
  ...EN_SECRETS,
  ...EN_JAILBREAK,
  ...CHAT_TEMPLATE,
  ...EXFILTRATION,
  ...TOOL_DEMAND,
  ...DOCUMENT_ADDRESSED,
  ...DE_PHRASES,
  ...FR_PHRASES,
  ...ES_PHRASES,
  ...IT_PHRASES,
  ...PT_PHRASES,
  ...NL_PHRASES,
  ...PL_PHRASES,
  ...RU_PHRASES,
  ...TR_PHRASES,
  ...AR_PHRASES,
  ...HI_PHRASES,
  ...ZH_PHRASES,
  ...JA_PHRASES,
  ...KO_PHRASES,
];

/** Number of specs per language and category: what the lists cover, for docs and reports. */
export function phraseCoverage(
  specs: readonly PhraseSpec[] = DEFAULT_PHRASES,
): Map<PhraseLanguage, Map<string, number>> {
  const coverage = new Map<PhraseLanguage, Map<string, number>>();
  for (const spec of specs) {
    const byCategory = coverage.get(spec.lang) ?? new Map<string, number>();
    byCategory.set(spec.category, (byCategory.get(spec.category) ?? 0) + 1);
    coverage.set(spec.lang, byCategory);
  }
  return coverage;
}
