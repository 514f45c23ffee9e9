// Byte sequences joined into one buffer: a streamed download's chunks (engine worker) and a token
// sequence's UTF-8 pieces (the reference tokenizer). Pure; runs in any context.

/** The parts, in order, in one new array. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}
