/**
 * `npm run eval -- NAME [options]`: runs one evaluation and prints its figures.
 *   pii      the PII recognizers on the presidio-research synthetic set (docs/data-scanning.md)
 *   secrets  the secret recognizers on the generated secret corpus (docs/secret-scanning.md)
 *   models   the model scanner on the generated model corpus (docs/model-scanning.md)
 *   poisoning  the poisoning and data-quality checks on generated labelled reviews (docs/data-poisoning.md)
 *   prompts  the prompt shields on the held-out test splits of ../shared/data/prompts (docs/prompt-shields.md)
 *   abuse    the gateway's abuse and extraction detection on seeded synthetic traffic (docs/gateway.md)
 *   vectors  the embedding checks on generated corpora with planted anomalies (docs/vector-scanning.md)
 *   corpus   the corpus scanner on BIPIA test documents, plain and with hidden attacks (docs/corpus-scanning.md)
 */
const EVALUATIONS: Readonly<Record<string, (args: readonly string[]) => Promise<number>>> = {
  pii: async (args) => (await import('./eval-pii.js')).runPiiEvaluation(args),
  // These two run when imported and read their own options from process.argv.
  secrets: async () => {
    await import('./eval-secrets.js');
    return 0;
  },
  models: async () => {
    await import('./eval-models.js');
    return 0;
  },
  poisoning: async (args) => (await import('./eval-poisoning.js')).runPoisoningEvaluation(args),
  prompts: async (args) => (await import('./eval-prompts.js')).runPromptsEvaluation(args),
  corpus: async (args) => (await import('./eval-corpus.js')).runCorpusEvaluation(args),
  vectors: async (args) => (await import('./eval-vectors.js')).runVectorsEvaluation(args),
  abuse: async (args) => (await import('./eval-abuse.js')).runAbuseEvaluation(args),
};

const [name = '', ...args] = process.argv.slice(2);
const run = EVALUATIONS[name];
if (run === undefined) {
  process.stderr.write(`usage: npm run eval -- <${Object.keys(EVALUATIONS).join('|')}> [options]\n`);
  process.exitCode = 2;
} else {
  try {
    process.exitCode = await run(args);
  } catch (error) {
    process.stderr.write(`eval ${name}: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  }
}
