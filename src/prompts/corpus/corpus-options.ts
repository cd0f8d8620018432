import { z } from 'zod';
import { byteSizeSchema } from '../../core/config/config-schema.js';
import { BulwarkError } from '../../core/errors.js';

/** Default characters per chunk: the size RAG splitters commonly use for retrieval passages. */
export const DEFAULT_CHUNK_SIZE = 1500;
/** Default characters a chunk repeats from the end of the one before it. */
export const DEFAULT_CHUNK_OVERLAP = 200;
/** Default largest text, Markdown or HTML document read whole (8 MiB); JSON strings are capped at it too. */
export const DEFAULT_MAX_DOCUMENT_BYTES = 8 * 1024 * 1024;

/** `scanners.corpus` in bulwark.yaml: how `bulwark scan corpus` reads documents bound for a vector store. */
export const corpusOptionsSchema = z
  .strictObject({
    threshold: z.number().min(0).max(1).optional().meta({
      description:
        "Flag a chunk at or above this shield score (0–1). Default: the prompt shield's threshold for documents.",
    }),
    chunkSize: z.int().min(200).max(100_000).default(DEFAULT_CHUNK_SIZE).meta({
      description: 'Characters per chunk at most, as a RAG splitter would cut the document.',
    }),
    overlap: z.int().min(0).max(50_000).default(DEFAULT_CHUNK_OVERLAP).meta({
      description:
        'Characters each chunk repeats from the previous one, so a payload cut by a chunk boundary is still seen whole.',
    }),
    fields: z.array(z.string().min(1)).optional().meta({
      description:
        'JSON / JSON Lines keys (`text`) or paths (`messages.content`) whose string values are read. Default: every string value of text-like length.',
    }),
    maxDocumentBytes: byteSizeSchema.prefault(DEFAULT_MAX_DOCUMENT_BYTES).meta({
      description:
        'Largest text, Markdown or HTML document read (bytes, or a size such as "16MiB"); larger ones are reported, not read. JSON and JSON Lines files stream at any size, each string value read up to this size.',
    }),
    reportHiddenContent: z.boolean().default(true).meta({
      description:
        'Report hidden text that does not read as instructions (BW-PROMPT-004, low). Hidden instructions are always reported.',
    }),
  })
  .refine((options) => options.overlap * 2 <= options.chunkSize, {
    error: 'overlap must be at most half of chunkSize',
    path: ['overlap'],
    // Only once both numbers are valid: a bad chunkSize is the problem to report, not the pair.
    when: (payload) => payload.issues.length === 0,
  })
  .meta({ title: 'Corpus scanner (scanners.corpus): RAG pre-indexing checks, control P4' });

/** Parsed `scanners.corpus` options. */
export type CorpusOptions = z.output<typeof corpusOptionsSchema>;

/**
 * Parses the scanner's section (already validated when it came from bulwark.yaml; raw when a
 * library caller passes it), turning a bad value into one `CONFIG_INVALID` line.
 */
export function corpusOptionsOf(value: unknown): CorpusOptions {
  const parsed = corpusOptionsSchema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue === undefined || issue.path.length === 0 ? '' : `.${issue.path.join('.')}`;
  throw new BulwarkError('CONFIG_INVALID', `scanners.corpus${where}: ${issue?.message ?? 'invalid options'}`);
}
