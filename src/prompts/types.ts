/**
 * Shared shapes of the prompt shields (controls G4, G5, P4): what detectors take, what they return.
 * The gateway, the red-team module and `bulwark scan prompt|corpus` all speak these.
 */

/** What a shield can say about an input. */
export const SHIELD_CATEGORIES = [
  /** "Ignore previous instructions", "new instructions:", "disregard the above". */
  'instruction-override',
  /** "You are now DAN", "act as", "developer mode", persona switches. */
  'role-switch',
  /** Asking for the system prompt, the hidden instructions, the initial prompt. */
  'prompt-extraction',
  /** Asking for keys, passwords, tokens, environment variables, other users' data. */
  'secret-extraction',
  /** Fake conversation turns and chat-template markers (`<|im_start|>`, `[INST]`, `### System:`). */
  'chat-template',
  /** Sending data out: markdown images or links with data in the URL, "send to", webhooks. */
  'exfiltration',
  /** Demanding a tool call or a function execution ("call the delete_user tool"). */
  'tool-demand',
  /** Jailbreak framing: hypotheticals, "no restrictions", refusal suppression, known templates. */
  'jailbreak',
  /** Text hidden by encoding (base64, hex, ROT13, leetspeak, reversed, spaced letters). */
  'obfuscation',
  /** Invisible characters (zero-width, bidi controls, tag characters) or hidden document content. */
  'hidden-content',
] as const;

/** One of {@link SHIELD_CATEGORIES}. */
export type ShieldCategory = (typeof SHIELD_CATEGORIES)[number];

/**
 * Where the text comes from: `user` (a direct prompt) or `document` (retrieved content, a tool
 * result, an email: indirect injection, which reads differently from a direct one).
 */
export type ShieldContext = 'user' | 'document';

/** How a variant of the input was obtained. */
export const VARIANT_KINDS = [
  'original',
  'normalized',
  'base64',
  'hex',
  'url',
  'rot13',
  'leetspeak',
  'reversed',
  'spaced',
] as const;

/** One of {@link VARIANT_KINDS}. */
export type VariantKind = (typeof VARIANT_KINDS)[number];

/** A text derived from the input that detectors also look at. */
export interface TextVariant {
  readonly kind: VariantKind;
  readonly text: string;
  /** UTF-16 span of the input the variant was decoded from, when it came from part of it. */
  readonly start?: number;
  readonly end?: number;
}

/** Something normalization noticed that is a signal in itself (invisible characters, confusables). */
export interface NormalizationSignal {
  readonly kind:
    'zero-width' | 'bidi-control' | 'tag-characters' | 'confusables' | 'mixed-script' | 'encoded';
  readonly count: number;
  /** Decoded tag-character text, or the encodings found, for evidence. */
  readonly detail?: string;
}

/** The input as detectors see it: the original, its normalized form, decoded variants and signals. */
export interface NormalizedInput {
  readonly original: string;
  /** NFKC, confusables folded, invisible characters removed, whitespace collapsed. */
  readonly normalized: string;
  /** `normalized` first, then every decoded variant worth scanning. */
  readonly variants: readonly TextVariant[];
  readonly signals: readonly NormalizationSignal[];
}

/** Why a detector scored what it scored: a category, where (in the variant), and a short note. */
export interface DetectorEvidence {
  readonly category: ShieldCategory;
  /** The variant the evidence was found in. */
  readonly variant: VariantKind;
  /** UTF-16 span in that variant's text. */
  readonly start?: number;
  readonly end?: number;
  /** A short, safe description (the rule or pattern), never a long quote of the input. */
  readonly note: string;
}

/** What one detector says about one input. */
export interface DetectorResult {
  readonly detector: string;
  /** 0–1: how likely the input is an injection or jailbreak, by this detector alone. */
  readonly score: number;
  readonly categories: readonly ShieldCategory[];
  readonly evidence: readonly DetectorEvidence[];
}

/** A detector of the shield: synchronous and fast, or asynchronous (a model). */
export interface Detector {
  readonly id: string;
  detect(input: NormalizedInput, context: ShieldContext): DetectorResult | Promise<DetectorResult>;
}
