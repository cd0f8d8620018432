/**
 * From a sequence classifier's logits to an attack probability: which of the model's labels count as
 * attacks (Prompt Guard 2: MALICIOUS; Prompt Guard 1: INJECTION and JAILBREAK; ProtectAI: INJECTION),
 * softmax over the labels (sigmoid for a single output), and the shield category a label stands for.
 */
import { BulwarkError } from '../../core/errors.js';
import type { ShieldCategory, ShieldContext } from '../types.js';

/** Label names that mean "not an attack" when the caller does not say which labels are attacks. */
export const BENIGN_LABEL = /^(benign|safe|legit(imate)?|label_0)$/i;

/**
 * Which labels count as attacks: one list for both contexts, or one per context (Meta advises
 * Prompt Guard 1's JAILBREAK alone for user prompts and INJECTION + JAILBREAK for documents).
 */
export type AttackLabels = readonly string[] | Readonly<Partial<Record<ShieldContext, readonly string[]>>>;

/** Attack label indices per context. */
export type AttackLabelIndices = Readonly<Record<ShieldContext, readonly number[]>>;

/** Checks the model's label names (from config.json `id2label`): non-empty and distinct. */
export function checkLabels(labels: readonly string[]): void {
  if (labels.length === 0) throw new BulwarkError('INPUT_INVALID', 'the model names no labels');
  const seen = new Set<string>();
  for (const label of labels) {
    const key = label.toLowerCase();
    if (label.length === 0 || seen.has(key)) {
      throw new BulwarkError(
        'INPUT_INVALID',
        `the model's labels must be distinct names, got ${labels.join(', ')}`,
      );
    }
    seen.add(key);
  }
}

/**
 * Resolves attack label names (case-insensitive) to indices per context. By default every label not
 * named like {@link BENIGN_LABEL}; a default that would call every label an attack (or none) is refused,
 * since the model's labels then do not say what is benign.
 */
export function resolveAttackLabels(labels: readonly string[], given?: AttackLabels): AttackLabelIndices {
  if (labels.length === 1) return { user: [0], document: [0] };
  const indexOf = (name: string): number => {
    const index = labels.findIndex((label) => label.toLowerCase() === name.toLowerCase());
    if (index < 0) {
      throw new BulwarkError(
        'CONFIG_INVALID',
        `attack label "${name}" is not one of the model's labels: ${labels.join(', ')}`,
      );
    }
    return index;
  };
  const resolve = (names: readonly string[]): number[] => {
    const indices = [...new Set(names.map(indexOf))].sort((a, b) => a - b);
    if (indices.length === 0)
      throw new BulwarkError('CONFIG_INVALID', 'attack labels must name at least one label');
    if (indices.length === labels.length) {
      throw new BulwarkError(
        'CONFIG_INVALID',
        `attack labels cover every label (${labels.join(', ')}): nothing would be benign`,
      );
    }
    return indices;
  };
  const byDefault = (): number[] => {
    const attacks = labels.filter((label) => !BENIGN_LABEL.test(label));
    if (attacks.length === 0 || attacks.length === labels.length) {
      throw new BulwarkError(
        'CONFIG_INVALID',
        `cannot tell the benign label among ${labels.join(', ')}: set attackLabels`,
      );
    }
    return resolve(attacks);
  };
  if (given === undefined) {
    const indices = byDefault();
    return { user: indices, document: indices };
  }
  if (isNameList(given)) {
    const indices = resolve(given);
    return { user: indices, document: indices };
  }
  return {
    user: given.user === undefined ? byDefault() : resolve(given.user),
    document: given.document === undefined ? byDefault() : resolve(given.document),
  };
}

function isNameList(value: AttackLabels): value is readonly string[] {
  return Array.isArray(value);
}

/**
 * Probabilities of one row of logits: softmax over `width` labels, or the sigmoid of a single
 * output. Non-finite logits give NaN, which callers treat as a fault.
 */
export function labelProbabilities(logits: ArrayLike<number>, offset: number, width: number): number[] {
  if (width === 1) return [1 / (1 + Math.exp(-(logits[offset] ?? Number.NaN)))];
  let max = -Infinity;
  for (let i = 0; i < width; i++) max = Math.max(max, logits[offset + i] ?? Number.NaN);
  const exps = Array.from({ length: width }, (_, i) => Math.exp((logits[offset + i] ?? Number.NaN) - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

/** The shield category of an attack label: jailbreak for labels named so, instruction override else. */
export function categoryOfLabel(label: string): ShieldCategory {
  return /jail ?break/i.test(label) ? 'jailbreak' : 'instruction-override';
}
