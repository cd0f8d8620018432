import { createSecretAnalyzer } from './secrets/index.js';
import { createPiiAnalyzer, type Analyzer } from './recognizers/index.js';
import type { RecognizerSpec } from './types.js';

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
