import { createSecretAnalyzer, SECRET_RECOGNIZERS } from './secrets/index.js';
import { createPiiAnalyzer, PII_RECOGNIZERS, type Analyzer } from './recognizers/index.js';
import type { RecognizerSpec, SensitiveCategory } from './types.js';

/**
 * The analyzer of control D1 that every data verb uses (`scan data`, `redact`, `data admit`): the PII
 * recognizers plus `extra` specs, and the secret recognizers. Where a secret and a PII match cover the
 * same span, the secret wins: a credential is what matters there.
 */
export function createDataAnalyzer(extra: readonly RecognizerSpec[] = []): Analyzer {
  const pii = createPiiAnalyzer({ extra });
  const secrets = createSecretAnalyzer();
  return {
    entities: [...new Set([...pii.entities, ...secrets.entities])],
    analyze: (text, ctx) => {
      const found = pii.analyze(text, ctx);
      const more = secrets.analyze(text, ctx);
      return more.length === 0
        ? found
        : [...found.filter((m) => !more.some((s) => s.start < m.end && m.start < s.end)), ...more];
    },
  };
}

/**
 * The category of every entity type the data analyzer may report (`extra` included): what an
 * unredacted token's entity name is labelled by.
 */
export function entityCategories(
  extra: readonly RecognizerSpec[] = [],
): ReadonlyMap<string, SensitiveCategory> {
  const categories = new Map<string, SensitiveCategory>([
    ['PERSON', 'pii'],
    ['LOCATION', 'pii'],
  ]);
  for (const spec of [...PII_RECOGNIZERS, ...SECRET_RECOGNIZERS, ...extra])
    categories.set(spec.entity, spec.category);
  return categories;
}
