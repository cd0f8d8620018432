/**
 * The pre-authentication encoding `model_signing` v0.2.0 signed by mistake:
 * `"DSSEV1 {len(type)} {type} {len(payload)} {repr(payload)}"` (capital V, Python's `repr()` of the
 * payload bytes), which the upstream verifier still accepts when the standard PAE fails. Bulwark
 * only ever verifies with it, never signs.
 */
export function legacyPreAuthEncoding(payloadType: string, payload: Uint8Array): Uint8Array {
  const type = Buffer.from(payloadType, 'utf8');
  const text = `DSSEV1 ${type.length} ${payloadType} ${payload.length} ${pythonBytesRepr(payload)}`;
  return new Uint8Array(Buffer.from(text, 'utf8'));
}

/**
 * Python's `repr()` of a `bytes` value: `b'...'` (or `b"..."` when the bytes hold a single quote and
 * no double quote), with `\\`, the quote, `\t`, `\n`, `\r` escaped and other non-printable bytes as
 * `\xhh`.
 */
export function pythonBytesRepr(bytes: Uint8Array): string {
  const quote = bytes.includes(0x27) && !bytes.includes(0x22) ? '"' : "'";
  const quoteCode = quote.charCodeAt(0);
  const parts: string[] = [];
  for (const byte of bytes) {
    if (byte === quoteCode || byte === 0x5c) parts.push(`\\${String.fromCharCode(byte)}`);
    else if (byte === 0x09) parts.push('\\t');
    else if (byte === 0x0a) parts.push('\\n');
    else if (byte === 0x0d) parts.push('\\r');
    else if (byte < 0x20 || byte >= 0x7f) parts.push(`\\x${byte.toString(16).padStart(2, '0')}`);
    else parts.push(String.fromCharCode(byte));
  }
  return `b${quote}${parts.join('')}${quote}`;
}
