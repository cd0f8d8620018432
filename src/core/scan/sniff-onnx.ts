/** ModelProto fields (number → wire type: 0 varint, 2 length-delimited), from onnx.proto. */
const MODEL_FIELDS = new Map<number, number>([
  [1, 0], // ir_version
  [2, 2], // producer_name
  [3, 2], // producer_version
  [4, 2], // domain
  [5, 0], // model_version
  [6, 2], // doc_string
  [7, 2], // graph
  [8, 2], // opset_import
  [14, 2], // metadata_props
  [20, 2], // training_info
  [25, 2], // functions
  [26, 2], // configuration
]);
const NAME_FIELDS = new Set([2, 3, 4]);
const MAX_IR_VERSION = 64;

/**
 * Tells whether the head looks like a serialized ONNX ModelProto: protobuf has no magic number, so
 * this checks that the file opens with `ir_version` and that the fields that follow are ModelProto
 * fields with the right wire types and lengths that fit the file, including a producer, graph or
 * opset. Low confidence by nature; scanners must still parse defensively.
 */
export function sniffOnnx(head: Uint8Array, size: number): boolean {
  if (head[0] !== 0x08) return false;
  const version = readVarint(head, 1);
  if (version === undefined || version.value < 1 || version.value > MAX_IR_VERSION) return false;
  let pos = version.next;
  let fields = 1;
  let hasModelPart = false;
  while (pos < head.length && fields < 64) {
    const tag = readVarint(head, pos);
    if (tag === undefined) break;
    const field = Math.floor(tag.value / 8);
    const wireType = tag.value % 8;
    if (MODEL_FIELDS.get(field) !== wireType) return false;
    const value = readVarint(head, tag.next);
    if (value === undefined) break;
    fields++;
    pos = value.next;
    if (wireType === 2) {
      if (value.value > size - pos) return false;
      if (
        NAME_FIELDS.has(field) &&
        !isPrintable(head.subarray(pos, Math.min(head.length, pos + value.value)))
      ) {
        return false;
      }
      pos += value.value;
    }
    if (field === 2 || field === 7 || field === 8) hasModelPart = true;
  }
  return fields >= 2 && hasModelPart;
}

/** Reads a protobuf varint; undefined when it runs past the bytes or is longer than 10 bytes. */
function readVarint(bytes: Uint8Array, offset: number): { value: number; next: number } | undefined {
  let value = 0;
  let scale = 1;
  for (let i = offset; i < bytes.length && i < offset + 10; i++) {
    const byte = bytes[i] ?? 0;
    value += (byte & 0x7f) * scale;
    scale *= 128;
    if ((byte & 0x80) === 0) return { value, next: i + 1 };
  }
  return undefined;
}

function isPrintable(bytes: Uint8Array): boolean {
  return bytes.every((b) => b >= 0x20 && b !== 0x7f);
}
