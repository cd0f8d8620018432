import { BulwarkError } from '../../core/errors.js';
import { REDACT_OPERATORS, type RedactOperator } from './redactor.js';

/** Parses `--entities A,B`: names the analyzer knows, without repeats; an unknown one is a USAGE fault. */
export function parseEntityList(list: string, known: readonly string[]): string[] {
  const names = [...new Set(list.split(',').map((name) => name.trim()))].filter((name) => name !== '');
  if (names.length === 0) throw new BulwarkError('USAGE', '--entities names no entity');
  for (const name of names) checkEntity(name, known, '--entities');
  return names;
}

/** Parses repeated `--entity-operator ENTITY=OPERATOR` into a map; a bad one is a USAGE fault. */
export function parseEntityOperators(
  values: readonly string[],
  known: readonly string[],
): Record<string, RedactOperator> {
  const out: Record<string, RedactOperator> = {};
  for (const value of values) {
    const [entity = '', operator = ''] = value.split('=', 2).map((part) => part.trim());
    const chosen = REDACT_OPERATORS.find((name) => name === operator);
    if (chosen === undefined) {
      throw new BulwarkError(
        'USAGE',
        `--entity-operator ${value}: expected ENTITY=OPERATOR with OPERATOR one of ${REDACT_OPERATORS.join(', ')}`,
      );
    }
    checkEntity(entity, known, '--entity-operator');
    out[entity] = chosen;
  }
  return out;
}

function checkEntity(name: string, known: readonly string[], flag: string): void {
  if (known.includes(name)) return;
  const upper = name.toUpperCase();
  const near = known.filter(
    (entity) => entity.includes(upper) || (upper.length > 2 && upper.includes(entity)),
  );
  const hint =
    near.length > 0 ? ` (did you mean ${near.slice(0, 5).join(', ')}?)` : ' (see docs/data-scanning.md)';
  throw new BulwarkError('USAGE', `${flag}: unknown entity type ${name}${hint}`);
}
