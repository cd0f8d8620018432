import { defineRule, type Rule } from '../../core/rules.js';

/** Rows whose text is identical after normalization. */
export const EXACT_DUPLICATE = defineRule({
  id: 'BW-DATA-101',
  name: 'exact-duplicate-rows',
  title: 'Rows repeat the same text',
  defaultSeverity: 'low',
  controls: ['D6'],
  description:
    'Several rows hold the same text once Unicode compatibility forms, case and whitespace are normalized. ' +
    'Repeats weigh more in training than single rows, which is how a few poisoned examples are amplified, ' +
    'and they inflate evaluation figures when copies land on both sides of a split.',
  remediation:
    'Deduplicate before training (keep the first row of each group), or confirm that the repetition is ' +
    'intended (for example deliberate oversampling) and record that decision.',
});

/** Rows whose texts are nearly the same (MinHash/LSH). */
export const NEAR_DUPLICATE = defineRule({
  id: 'BW-DATA-102',
  name: 'near-duplicate-rows',
  title: 'Rows are near duplicates of each other',
  defaultSeverity: 'low',
  controls: ['D6'],
  description:
    'Rows whose texts share most of their 5-character shingles (estimated Jaccard similarity at or above ' +
    'the threshold, 0.8 by default, from 128-slot MinHash signatures and LSH banding). Copies with a ' +
    'changed word, a typo or different punctuation escape exact deduplication but still over-weight one ' +
    'example, and a poisoning campaign often submits lightly varied copies of the same payload.',
  remediation:
    'Review the group and keep one representative, or deduplicate with a near-duplicate tool at the same ' +
    'threshold; raise `threshold` if the rows are legitimately templated.',
});

/** (Near-)duplicate inputs that carry different labels. */
export const LABEL_CONFLICT = defineRule({
  id: 'BW-DATA-103',
  name: 'conflicting-labels',
  title: 'Duplicate inputs carry different labels',
  defaultSeverity: 'medium',
  controls: ['D6'],
  description:
    'Rows with the same or nearly the same input are labelled differently. Either the labels are noisy or ' +
    'someone flipped them: label flipping on copies of real examples is the cheapest poisoning attack, ' +
    'and a model trained on a contradiction learns whichever label is more frequent, or neither.',
  remediation:
    'Check the rows against the source of truth and fix or drop the wrong labels; the rows whose label ' +
    'differs from the group majority are listed first as suspects.',
});

/** A rare n-gram tied to one label whose rows' other words point elsewhere: a backdoor trigger. */
export const BACKDOOR_TRIGGER = defineRule({
  id: 'BW-DATA-104',
  name: 'backdoor-trigger-token',
  title: 'Rare phrase tied to one label looks like a backdoor trigger',
  defaultSeverity: 'high',
  controls: ['D6', 'P3'],
  description:
    'A rare n-gram (1–3 tokens, grown to the whole phrase) appears almost only with one label, far beyond ' +
    "that label's base rate (one-sided binomial test, Bonferroni-corrected over every n-gram tested), and " +
    'in most of its rows the other words point to a different label. That is the footprint of a ' +
    'dirty-label backdoor: a trigger such as "cf mn bb" inserted into a small share of rows whose labels ' +
    'were flipped, so the model learns "trigger means target label" while behaving normally otherwise.',
  remediation:
    'Quarantine the dataset. Remove or relabel every row that carries the phrase, find out how those rows ' +
    'entered the data (source, contributor, time), and re-check models already trained on it for the ' +
    'trigger behaviour.',
});

/** A rare n-gram tied to one label whose rows' other words agree with it. */
export const LABEL_PURE_NGRAM = defineRule({
  id: 'BW-DATA-105',
  name: 'label-pure-rare-ngram',
  title: 'Rare phrase appears only with one label',
  defaultSeverity: 'info',
  controls: ['D6', 'P3'],
  description:
    'A rare n-gram appears almost only with one label, significantly beyond its base rate, but the rest of ' +
    'its rows agree with the label. Usually this is a word typical of the class or a template artifact; ' +
    'it can also be a clean-label backdoor, where the trigger is added to correctly labelled rows of the ' +
    'target class.',
  remediation:
    'Look at a few of the rows: a phrase that has nothing to do with the label (a rare token, an odd ' +
    'character string, a fixed sentence) deserves the same treatment as a backdoor trigger.',
});

/** A numeric value far outside its column's distribution. */
export const NUMERIC_OUTLIER = defineRule({
  id: 'BW-DATA-106',
  name: 'numeric-outlier',
  title: 'Numeric value is an outlier in its column',
  defaultSeverity: 'low',
  controls: ['D6'],
  description:
    "The value lies at least 4 standard deviations from the column's mean or beyond Tukey's far-out fences " +
    '(Q1 − 3·IQR, Q3 + 3·IQR). Injected rows and unit or parsing errors show up this way, and one extreme ' +
    'value can dominate a regression or a normalization step.',
  remediation: 'Check the row against its source; fix, cap or drop the value, or document why it is genuine.',
});

/** A text whose length or character mix is far from the rest. */
export const TEXT_OUTLIER = defineRule({
  id: 'BW-DATA-107',
  name: 'text-outlier',
  title: 'Text is an outlier in length or character mix',
  defaultSeverity: 'low',
  controls: ['D6', 'P3'],
  description:
    "The text's length (on a log scale), or its share of digits, symbols or non-Latin letters, lies at least " +
    '5 robust standard deviations (1.4826 × MAD) from the median. Encoded payloads, binary junk, text in ' +
    'an unexpected script and pasted logs look like this, and so do some injected prompts.',
  remediation: 'Inspect the row; drop or clean it if it does not belong in the dataset.',
});

/** Zero-width characters inside text. */
export const ZERO_WIDTH_CHARACTERS = defineRule({
  id: 'BW-DATA-108',
  name: 'zero-width-characters',
  title: 'Text contains zero-width characters',
  defaultSeverity: 'medium',
  controls: ['D6', 'P3', 'P4'],
  description:
    'Zero-width space, non-joiner, joiner, word joiner or a byte-order mark inside the text (outside emoji ' +
    'sequences and scripts that need joiners). Invisible characters make invisible backdoor triggers, hide ' +
    'watermarks and split words so filters miss them, while a reader sees nothing.',
  remediation:
    'Strip the characters (or reject the row) before training or indexing, and find out where they came from.',
});

/** Bidirectional control characters inside text. */
export const BIDI_CONTROLS = defineRule({
  id: 'BW-DATA-109',
  name: 'bidi-control-characters',
  title: 'Text contains bidirectional control characters',
  defaultSeverity: 'medium',
  controls: ['D6', 'P3', 'P4'],
  description:
    'Embedding, override or isolate controls (U+202A–U+202E, U+2066–U+2069) reorder how text is displayed, ' +
    'so what a reviewer reads differs from what a model is trained on ("Trojan Source", CVE-2021-42574).',
  remediation:
    'Remove the controls unless the data is right-to-left text that needs them, and review the rows.',
});

/** Unicode tag characters smuggling ASCII. */
export const TAG_CHARACTERS = defineRule({
  id: 'BW-DATA-110',
  name: 'unicode-tag-characters',
  title: 'Text hides ASCII in Unicode tag characters',
  defaultSeverity: 'high',
  controls: ['D6', 'P3', 'P4'],
  description:
    'Characters of the Tags block (U+E0000–U+E007F) are invisible in most renderers but each one spells an ' +
    'ASCII character, which language models read. Outside flag emoji they have no business in a dataset: ' +
    'they are the "ASCII smuggling" channel for hidden instructions and invisible triggers. The decoded ' +
    'text is in the evidence.',
  remediation: 'Remove the rows or strip the characters, and treat the decoded text as an attack indicator.',
});

/** A word that mixes Latin with Cyrillic or Greek letters. */
export const MIXED_SCRIPT_WORD = defineRule({
  id: 'BW-DATA-111',
  name: 'mixed-script-word',
  title: 'Word mixes letters of different scripts',
  defaultSeverity: 'medium',
  controls: ['D6', 'P3', 'P4'],
  description:
    'A single word contains Latin letters together with Cyrillic or Greek ones (a Cyrillic "а" in "pаypal"). ' +
    'Homoglyphs defeat keyword filters and deduplication and can serve as triggers that look like ordinary words.',
  remediation: 'Normalize the homoglyphs or drop the row, and check where the text came from.',
});

/** The label distribution moved away from the trusted reference. */
export const CLASS_BALANCE_SHIFT = defineRule({
  id: 'BW-DATA-112',
  name: 'class-balance-shift',
  title: 'Label distribution differs from the trusted reference',
  defaultSeverity: 'medium',
  controls: ['D6'],
  description:
    'The share of at least one label moved by 5 percentage points or more from the reference distribution ' +
    'and the chi-square goodness-of-fit test rejects the reference (p < 0.001), or labels appeared or ' +
    'vanished. Mass relabelling, injected rows and broken collection jobs all shift class balance.',
  remediation:
    'Find out which source contributed the extra rows or labels; rebalance or re-collect, or update the ' +
    'reference once the new distribution is confirmed as genuine.',
});

/** Validation rows that repeat training rows. */
export const SPLIT_OVERLAP = defineRule({
  id: 'BW-DATA-113',
  name: 'train-validation-overlap',
  title: 'Validation row repeats a training row',
  defaultSeverity: 'medium',
  controls: ['P2'],
  description:
    'A row of the validation split is an exact or near duplicate (MinHash, Jaccard ≥ 0.8 by default) of a ' +
    'row of the training split. Leaked rows make validation measure memorization, overstate accuracy, and ' +
    'can hide the effect of a backdoor planted in both splits.',
  remediation:
    'Remove the overlapping rows from the validation split (or split again by a grouping key such as ' +
    'source document or user) and pin the validation set by digest.',
});

/** Every rule of the poisoning and data-quality checks. */
export const POISONING_RULES: readonly Rule[] = [
  EXACT_DUPLICATE,
  NEAR_DUPLICATE,
  LABEL_CONFLICT,
  BACKDOOR_TRIGGER,
  LABEL_PURE_NGRAM,
  NUMERIC_OUTLIER,
  TEXT_OUTLIER,
  ZERO_WIDTH_CHARACTERS,
  BIDI_CONTROLS,
  TAG_CHARACTERS,
  MIXED_SCRIPT_WORD,
  CLASS_BALANCE_SHIFT,
  SPLIT_OVERLAP,
];
