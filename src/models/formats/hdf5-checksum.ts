/**
 * Bob Jenkins' lookup3 `hashlittle` over bytes, the checksum HDF5 puts on version 2+ superblocks,
 * object headers ("OHDR", "OCHK") and other metadata (H5_checksum_lookup3 with `initval` 0).
 */
export function lookup3(bytes: Uint8Array, initval = 0): number {
  let a = (0xdeadbeef + bytes.length + initval) | 0;
  let b = a;
  let c = a;
  let k = 0;
  let length = bytes.length;
  const word = (at: number) =>
    (bytes[at] ?? 0) |
    ((bytes[at + 1] ?? 0) << 8) |
    ((bytes[at + 2] ?? 0) << 16) |
    ((bytes[at + 3] ?? 0) << 24);
  while (length > 12) {
    a = (a + word(k)) | 0;
    b = (b + word(k + 4)) | 0;
    c = (c + word(k + 8)) | 0;
    a = (a - c) ^ rot(c, 4);
    c = (c + b) | 0;
    b = (b - a) ^ rot(a, 6);
    a = (a + c) | 0;
    c = (c - b) ^ rot(b, 8);
    b = (b + a) | 0;
    a = (a - c) ^ rot(c, 16);
    c = (c + b) | 0;
    b = (b - a) ^ rot(a, 19);
    a = (a + c) | 0;
    c = (c - b) ^ rot(b, 4);
    b = (b + a) | 0;
    length -= 12;
    k += 12;
  }
  if (length === 0) return c >>> 0;
  // The tail: only the bytes that exist are added (the switch with fall-through in lookup3.c).
  const tail = (at: number, shift: number) => (at < k + length ? (bytes[at] ?? 0) << shift : 0);
  c = (c + (tail(k + 8, 0) | tail(k + 9, 8) | tail(k + 10, 16) | tail(k + 11, 24))) | 0;
  b = (b + (tail(k + 4, 0) | tail(k + 5, 8) | tail(k + 6, 16) | tail(k + 7, 24))) | 0;
  a = (a + (tail(k, 0) | tail(k + 1, 8) | tail(k + 2, 16) | tail(k + 3, 24))) | 0;
  c = (c ^ b) - rot(b, 14);
  a = (a ^ c) - rot(c, 11);
  b = (b ^ a) - rot(a, 25);
  c = (c ^ b) - rot(b, 16);
  a = (a ^ c) - rot(c, 4);
  b = (b ^ a) - rot(a, 14);
  c = (c ^ b) - rot(b, 24);
  return c >>> 0;
}

function rot(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
