/** Standard input for verbs that accept `-` or a pipe. */

/**
 * Reads standard input whole as UTF-8, refusing more than `limit` bytes with the error `tooLarge`
 * makes, so a runaway pipe cannot exhaust memory.
 */
export async function readStdinText(limit: number, tooLarge: () => Error): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buffer.length;
    if (size > limit) throw tooLarge();
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
