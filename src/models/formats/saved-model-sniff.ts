interface HeadField {
  readonly number: number;
  readonly wireType: number;
  readonly value: number;
  /** Start of a bytes payload. */
  readonly payload: number;
  /** End of the field (after its payload for bytes fields). */
  readonly end: number;
}

const MAX_SCHEMA_VERSION = 16;
/** MetaInfoDef fields and their wire types (meta_graph.proto). */
const META_INFO_FIELDS = new Map([
  [1, 2],
  [2, 2],
  [3, 2],
  [4, 2],
  [5, 2],
  [6, 2],
  [7, 0],
  [8, 2],
]);
/** Keras SavedObject fields and their wire types (keras/protobuf/saved_metadata.proto). */
const KERAS_OBJECT_FIELDS = new Map([
  [1, 2],
  [2, 0],
  [3, 2],
  [4, 2],
  [5, 2],
]);
const KERAS_IDENTIFIER = '_tf_keras';

/**
 * Tells whether the head of a file is a TensorFlow SavedModel protobuf, which has no magic number: a
 * small schema version (field 1, varint) followed by a MetaGraphDef (field 2) whose length fits the
 * file and whose first field is a MetaGraphDef field; without the version, that first field must be a
 * MetaInfoDef that itself opens with one of its fields. Also true for `keras_metadata.pb`
 * (SavedMetadata: field 1 holding a Keras SavedObject with a `_tf_keras…` identifier), which
 * `scanSavedModel` reads too. Random binary data passes with a probability far below one in a million.
 */
export function looksLikeSavedModel(head: Uint8Array, size: number): boolean {
  const first = fieldAt(head, 0, size);
  if (first === undefined) return false;
  if (first.number === 1 && first.wireType === 0) {
    if (first.value > MAX_SCHEMA_VERSION) return false;
    const meta = fieldAt(head, first.end, size);
    return (
      meta !== undefined && meta.number === 2 && meta.wireType === 2 && looksLikeMetaGraph(head, meta, false)
    );
  }
  if (first.number === 2 && first.wireType === 2) return looksLikeMetaGraph(head, first, true);
  if (first.number === 1 && first.wireType === 2) return looksLikeKerasObject(head, first);
  return false;
}

function looksLikeMetaGraph(head: Uint8Array, meta: HeadField, strict: boolean): boolean {
  if (meta.end - meta.payload < 2) return false;
  const inner = fieldAt(head, meta.payload, meta.end);
  if (inner === undefined || inner.wireType !== 2 || inner.number < 1 || inner.number > 7) return false;
  if (inner.number !== 1) return !strict;
  const info = fieldAt(head, inner.payload, inner.end);
  return info !== undefined && META_INFO_FIELDS.get(info.number) === info.wireType;
}

function looksLikeKerasObject(head: Uint8Array, node: HeadField): boolean {
  let at = node.payload;
  for (let fields = 0; at < node.end && fields < 8; fields++) {
    const field = fieldAt(head, at, node.end);
    if (field === undefined || KERAS_OBJECT_FIELDS.get(field.number) !== field.wireType) return false;
    if (field.number === 4) {
      const text = String.fromCharCode(
        ...head.subarray(field.payload, field.payload + KERAS_IDENTIFIER.length),
      );
      return text === KERAS_IDENTIFIER;
    }
    at = field.end;
  }
  return false;
}

/** Parses the field at `at`, requiring a bytes payload to end by `limit`; undefined past the head. */
function fieldAt(head: Uint8Array, at: number, limit: number): HeadField | undefined {
  const tag = varintAt(head, at);
  if (tag === undefined) return undefined;
  const number = Math.floor(tag.value / 8);
  const wireType = tag.value % 8;
  if (number === 0) return undefined;
  if (wireType === 0) {
    const value = varintAt(head, tag.next);
    return value && { number, wireType, value: value.value, payload: value.next, end: value.next };
  }
  if (wireType !== 2) return undefined;
  const length = varintAt(head, tag.next);
  if (length === undefined || length.value > limit - length.next) return undefined;
  return { number, wireType, value: 0, payload: length.next, end: length.next + length.value };
}

function varintAt(bytes: Uint8Array, at: number): { value: number; next: number } | undefined {
  let value = 0;
  let scale = 1;
  for (let i = at; i < bytes.length && i < at + 10; i++) {
    const byte = bytes[i] ?? 0;
    value += (byte & 0x7f) * scale;
    scale *= 128;
    if ((byte & 0x80) === 0) return { value, next: i + 1 };
  }
  return undefined;
}
