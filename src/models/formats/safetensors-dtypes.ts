/**
 * Width in bits of one element of every dtype the safetensors reference implementation defines
 * (`Dtype::bitsize`), including the sub-byte microscaling types F4 and F6 and the FNUZ float8 variants.
 */
export const SAFETENSORS_DTYPE_BITS: ReadonlyMap<string, number> = new Map([
  ['BOOL', 8],
  ['F4', 4],
  ['F6_E2M3', 6],
  ['F6_E3M2', 6],
  ['U8', 8],
  ['I8', 8],
  ['F8_E5M2', 8],
  ['F8_E4M3', 8],
  ['F8_E8M0', 8],
  ['F8_E4M3FNUZ', 8],
  ['F8_E5M2FNUZ', 8],
  ['I16', 16],
  ['U16', 16],
  ['F16', 16],
  ['BF16', 16],
  ['I32', 32],
  ['U32', 32],
  ['F32', 32],
  ['C64', 64],
  ['F64', 64],
  ['I64', 64],
  ['U64', 64],
]);

/** The width in bits of a safetensors dtype, or undefined for a name the format does not define. */
export function safetensorsDtypeBits(dtype: string): number | undefined {
  return SAFETENSORS_DTYPE_BITS.get(dtype);
}
