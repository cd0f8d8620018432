import { createSecretAnalyzer, SECRET_RECOGNIZERS } from './secrets/index.js';
import {
  createHeuristicTagger,
  createPiiAnalyzer,
  PII_RECOGNIZERS,
  type Analyzer,
} from './recognizers/index.js';
import type { RecognizerSpec, SensitiveCategory } from './types.js';

/**
 * The tokens `bulwark redact` writes (src/data/redact/redact-tokens.ts): `<ENTITY>`,
 * `<ENTITY#hmac:…>` and `<ENTITY#enc1:…>`; group 1 is the entity, group 2 the keyed part.
 */
const REDACTION_TOKEN = /<([A-Z][A-Z0-9_]{0,63})(#(?:hmac|enc1):[a-z2-7]{1,64}(?:\.[a-z2-7]{1,16})*)?>/g;

/**
 * The analyzer of control D1 that every data verb uses (`scan data`, `redact`, `data admit`): the PII
 * recognizers plus `extra` specs, and the secret recognizers. Where a secret and a PII match cover the
 * same span, the secret wins: a credential is what matters there. Redaction tokens are not data: no
 * recognizer sees them and the PERSON/LOCATION tagger never reads an entity name as a name or a
 * place, so a redacted copy scans clean and redacting it again changes nothing.
 */
export function createDataAnalyzer(extra: readonly RecognizerSpec[] = []): Analyzer {
  const names = new Set(entityCategories(extra).keys());
  const pii = createPiiAnalyzer({ extra, taggers: [createHeuristicTagger({ entityNames: names })] });
  const secrets = createSecretAnalyzer();
  return {
    entities: [...new Set([...pii.entities, ...secrets.entities])],
    analyze: (raw, ctx) => {
      const text = withoutRedactionTokens(raw, names);
      const found = pii.analyze(text, ctx);
      const more = secrets.analyze(text, ctx);
      return more.length === 0
        ? found
        : [...found.filter((m) => !more.some((s) => s.start < m.end && m.start < s.end)), ...more];
    },
  };
}

/**
 * `text` with each redaction token blanked out by spaces (same length, so match offsets still point
 * into `text`): `<ENTITY>` when it names an entity the analyzer knows, a hashed or encrypted token
 * whatever entity it names.
 */
function withoutRedactionTokens(text: string, names: ReadonlySet<string>): string {
  if (!text.includes('<')) return text;
  return text.replace(REDACTION_TOKEN, (token: string, name: string, keyed: string | undefined) =>
    keyed !== undefined || names.has(name) ? ' '.repeat(token.length) : token,
  );
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
