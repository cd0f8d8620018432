import { BulwarkError } from '../errors.js';
import { RuleCatalogue, type Rule } from '../rules.js';
import { SCAN_RULES } from './rules.js';
import type { FileIdentity, Scanner } from './types.js';

/**
 * The scanners of one scan, in registration order. Stages add theirs; the engine asks which of them
 * accept a file, and the catalogue (docs, SARIF) asks for every rule they can report.
 */
export class ScannerRegistry {
  readonly #scanners: Scanner[] = [];

  /** Adds a scanner; a second scanner with the same id, or a different rule under a known id, is a fault. */
  register(scanner: Scanner): void {
    if (this.#scanners.some((s) => s.id === scanner.id)) {
      throw new BulwarkError('INTERNAL', `scanner ${scanner.id} is already registered`);
    }
    this.#checkRules([...this.rules(), ...scanner.rules]);
    this.#scanners.push(scanner);
  }

  /** A registry holding only the scanner `id` of this one (for `bulwark scan <stage>`). */
  only(id: string): ScannerRegistry {
    const scanner = this.#scanners.find((s) => s.id === id);
    if (scanner === undefined) throw new BulwarkError('INTERNAL', `no scanner ${id} is registered`);
    const registry = new ScannerRegistry();
    registry.register(scanner);
    return registry;
  }

  /** A registry without the scanners that run only when named (for a plain `bulwark scan`). */
  automatic(): ScannerRegistry {
    const registry = new ScannerRegistry();
    for (const scanner of this.#scanners) if (scanner.explicitOnly !== true) registry.register(scanner);
    return registry;
  }

  /** Every registered scanner, in registration order. */
  list(): readonly Scanner[] {
    return [...this.#scanners];
  }

  /** The scanners that read files of this identity, in registration order. */
  forIdentity(identity: FileIdentity): Scanner[] {
    return this.#scanners.filter((scanner) => scanner.accepts(identity));
  }

  /** The framework's own rules and every scanner's, deduplicated and sorted by id. */
  rules(): Rule[] {
    const seen = new Map<string, Rule>();
    for (const rule of [...SCAN_RULES, ...this.#scanners.flatMap((s) => s.rules)]) seen.set(rule.id, rule);
    return new RuleCatalogue(seen.values()).list();
  }

  #checkRules(rules: readonly Rule[]): void {
    const byId = new Map<string, Rule>();
    for (const rule of rules) {
      const known = byId.get(rule.id);
      if (known !== undefined && known !== rule) {
        throw new BulwarkError('INTERNAL', `rule ${rule.id} is declared twice with different definitions`);
      }
      byId.set(rule.id, rule);
    }
  }
}
