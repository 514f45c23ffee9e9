// Byte sequences joined into one buffer (a streamed download's chunks, a token sequence's UTF-8
// pieces), and the one SHA-256-as-hex used for bundle files, OPFS names and manifest ids. Pure; runs
// in any context (WebCrypto is global in browsers and Node).

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

/** SHA-256 of the bytes, lowercase hex. */
export async function sha256Hex(data: BufferSource): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', data));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}
