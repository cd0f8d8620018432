import { defineRule, type Rule } from '../core/rules.js';

/** The file cannot be read as vectors, or holds more than its vectors. */
export const VECTOR_FILE_MALFORMED = defineRule({
  id: 'BW-VEC-001',
  name: 'vector-file-malformed',
  title: 'Vector file is malformed',
  defaultSeverity: 'medium',
  controls: ['P4'],
  description:
    'The file named for the vector checks is not a readable .npy array of vectors (bad magic or version, a ' +
    'header that is not a literal dict, a structured or non-numeric dtype, a shape that is not one vector per ' +
    'row, data shorter than the shape needs) or not JSON Lines of vector records, or bytes follow the array ' +
    'data. None of its vectors were checked; a loader that reads it anyway may index garbage, and trailing ' +
    'bytes are a place to hide a payload.',
  remediation:
    'Regenerate the file with the embedding pipeline (`numpy.save` of a 2-D float array, or one JSON object ' +
    'per line with an `id` and a `vector`) and scan it again.',
});

/** A JSONL line that is not a vector record. */
export const VECTOR_RECORD_MALFORMED = defineRule({
  id: 'BW-VEC-002',
  name: 'vector-record-malformed',
  title: 'Line is not a vector record',
  defaultSeverity: 'low',
  controls: ['P4'],
  description:
    'A line of the JSON Lines file is not valid JSON, has no `vector`, `embedding` or `values` array, holds ' +
    'something other than numbers in it, has an `id` that is neither a string nor a number, or is longer than ' +
    'any vector within the dimension limit. The line was skipped, so whatever it carries was not checked, and ' +
    'an ingestion job may fail on it or read it differently.',
  remediation: 'Fix or drop the line at its source and regenerate the file.',
});

/** A vector that no similarity search can use correctly. */
export const INVALID_VECTOR = defineRule({
  id: 'BW-VEC-003',
  name: 'invalid-vector',
  title: 'Vector is not a usable embedding',
  defaultSeverity: 'medium',
  controls: ['P4'],
  description:
    'The vector holds NaN or infinite components (or `null`, as a lenient encoder writes NaN), is all zeros, ' +
    'or has a different dimension from the rest. NaN poisons every distance it enters, a zero vector has no ' +
    'direction, so cosine similarity is undefined and some stores rank it first or last for every query, and ' +
    'a vector of the wrong size is either rejected or silently truncated or padded.',
  remediation:
    'Re-embed the source document; find out why the encoder produced this (empty input, overflow, a different ' +
    'model) before indexing anything else from the same run.',
});

/** Vectors with identical values. */
export const DUPLICATE_VECTORS = defineRule({
  id: 'BW-VEC-004',
  name: 'duplicate-vectors',
  title: 'Vectors repeat the same values',
  defaultSeverity: 'low',
  controls: ['P4'],
  description:
    'Several vectors hold exactly the same values (after -0 and NaN are canonicalized; compared by a 64-bit ' +
    'hash and the norm). Copies crowd the top results of every query that finds one of them, which is the ' +
    'cheapest way to make planted content dominate retrieval, and usually mean a document was chunked or ' +
    'ingested twice.',
  remediation:
    'Deduplicate before indexing (keep the first vector of each group) or confirm why the copies exist.',
});

/** Vectors whose cosine similarity is at or above the near-duplicate threshold. */
export const NEAR_DUPLICATE_VECTORS = defineRule({
  id: 'BW-VEC-005',
  name: 'near-duplicate-vectors',
  title: 'Vectors are near duplicates of each other',
  defaultSeverity: 'low',
  controls: ['P4'],
  description:
    'Distinct vectors whose cosine similarity is at or above the threshold (0.9999 by default), found with ' +
    'p-stable LSH on a sparse random projection and verified on the exact values. Text changed in a word or ' +
    'in whitespace embeds this close; near-identical copies amplify one document in retrieval exactly as exact ' +
    'copies do while escaping exact deduplication.',
  remediation:
    'Keep one representative of the group, or raise `nearDuplicateCosine` if the documents are legitimately ' +
    'templated.',
});

/** A vector whose L2 norm does not fit the set. */
export const VECTOR_NORM_ANOMALY = defineRule({
  id: 'BW-VEC-006',
  name: 'vector-norm-anomaly',
  title: 'Vector length does not fit the set',
  defaultSeverity: 'medium',
  controls: ['P4'],
  description:
    'In a set of unit-length (or otherwise fixed-length) vectors, this one has another length; in a set whose ' +
    'lengths vary, its L2 norm is at least 6 robust standard deviations (1.4826 × MAD) from the median. A vector ' +
    'with an inflated norm wins inner-product search for almost every query (a hub), which is how one planted ' +
    'document gets retrieved everywhere; a vector that was not normalized like the rest came from another ' +
    'pipeline. Short vectors are reported at low severity.',
  remediation:
    'Check where the vector came from; re-embed it with the same model and normalization as the rest, or drop it.',
});

/** A vector far from every other. */
export const ISOLATED_VECTOR = defineRule({
  id: 'BW-VEC-007',
  name: 'isolated-vector',
  title: 'Vector lies in empty space',
  defaultSeverity: 'low',
  controls: ['P4'],
  description:
    'The distance from this vector to its k-th nearest reference vector (k = 10) is an outlier: its robust ' +
    'z-score, over the file or against the vectors around it, is 6 or more. Off-topic, machine-generated or ' +
    'adversarial documents embed where nothing else does, and so do encoder failures on binary or garbled input.',
  remediation: 'Read the source document; drop it if it does not belong in the store.',
});

/** A small group of vectors far from the rest. */
export const FAR_VECTOR_CLUSTER = defineRule({
  id: 'BW-VEC-008',
  name: 'far-vector-cluster',
  title: 'Small cluster of vectors lies apart from the rest',
  defaultSeverity: 'medium',
  controls: ['P4'],
  description:
    'Several vectors are density outliers that lie close to one another: a small cluster far from the rest of ' +
    'the corpus. A batch of planted documents on one foreign subject, or injected content written to be ' +
    'retrieved for one kind of query, looks like this; so does a small legitimate topic, which is why the ' +
    'members are listed for review.',
  remediation:
    "Review the listed documents together; remove the batch if it did not come from the corpus's sources.",
});

/** A group of vectors packed far tighter than anything else. */
export const TIGHT_VECTOR_CLUSTER = defineRule({
  id: 'BW-VEC-009',
  name: 'tight-vector-cluster',
  title: 'Vectors are packed far tighter than the rest',
  defaultSeverity: 'medium',
  controls: ['P4'],
  description:
    'At least five vectors (by default) sit much closer to each other than vectors anywhere else do: their ' +
    'distance to the second-nearest reference has a robust z-score of −6 or less and is under half the median, ' +
    'without being near duplicates. Many documents crafted to embed on one spot ("embedding collision" or ' +
    'retrieval poisoning) flood the results of the queries aimed at that spot.',
  remediation:
    'Read the listed documents: near-identical embeddings of different-looking texts are a strong sign of ' +
    'crafted content. Remove them and find out how they entered the corpus.',
});

/** One id given to several vectors. */
export const DUPLICATE_VECTOR_ID = defineRule({
  id: 'BW-VEC-010',
  name: 'duplicate-vector-id',
  title: 'Several vectors share one id',
  defaultSeverity: 'low',
  controls: ['P4'],
  description:
    'Two or more JSONL records carry the same `id`. Vector stores upsert by id, so the last record silently ' +
    'replaces the others; which document ends up indexed depends on load order, and a late record can ' +
    'overwrite a trusted one.',
  remediation:
    'Give every chunk a unique id (for example source digest plus chunk number) and regenerate the file.',
});

/** A bound of the checks was reached; part of the input went unchecked. */
export const VECTOR_LIMIT_REACHED = defineRule({
  id: 'BW-VEC-011',
  name: 'vector-limit-reached',
  title: 'Vector check limit reached; part of the file was not checked',
  defaultSeverity: 'medium',
  controls: ['P4', 'D7'],
  description:
    'The file holds more vectors than `maxVectors`, a vector longer than `maxDimension`, or more candidates ' +
    'than a search keeps, so some vectors or pairs were not checked. The limits keep a scan of untrusted input ' +
    'bounded, but the result covers only part of the file.',
  remediation:
    'Raise the limit in `scanners.vectors` of bulwark.yaml if the file is expected to be this large, or split it.',
});

/** Every rule of the vector checks. */
export const VECTOR_RULES: readonly Rule[] = [
  VECTOR_FILE_MALFORMED,
  VECTOR_RECORD_MALFORMED,
  INVALID_VECTOR,
  DUPLICATE_VECTORS,
  NEAR_DUPLICATE_VECTORS,
  VECTOR_NORM_ANOMALY,
  ISOLATED_VECTOR,
  FAR_VECTOR_CLUSTER,
  TIGHT_VECTOR_CLUSTER,
  DUPLICATE_VECTOR_ID,
  VECTOR_LIMIT_REACHED,
];
