// MD5 over a stream of chunks (RFC 1321). MLC's tensor-cache.json gives every weight shard an
// "md5sum"; WebCrypto has no MD5, and WebLLM itself never checks it, so without this a corrupted
// shard from a mirror is stored, called offline-ready, and fails (or worse, loads) later. Pure.

const K = Int32Array.from({ length: 64 }, (_, i) => Math.floor(Math.abs(Math.sin(i + 1)) * 2 ** 32) | 0);
const S = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];

export class Md5 {
  readonly #state = Int32Array.of(0x67452301, 0xefcdab89 | 0, 0x98badcfe | 0, 0x10325476);
  readonly #block = new Uint8Array(64);
  readonly #words = new Int32Array(16);
  #buffered = 0;
  #length = 0;

  update(data: Uint8Array): this {
    this.#length += data.byteLength;
    let at = 0;
    if (this.#buffered) {
      const take = Math.min(64 - this.#buffered, data.byteLength);
      this.#block.set(data.subarray(0, take), this.#buffered);
      this.#buffered += take;
      at = take;
      if (this.#buffered < 64) return this;
      this.#compress(this.#block, 0);
      this.#buffered = 0;
    }
    for (; at + 64 <= data.byteLength; at += 64) this.#compress(data, at);
    if (at < data.byteLength) {
      this.#block.set(data.subarray(at), 0);
      this.#buffered = data.byteLength - at;
    }
    return this;
  }

  /** The digest as lowercase hex (tensor-cache.json's form). Ends the hash. */
  hex(): string {
    const bits = this.#length * 8;
    const pad = new Uint8Array((this.#buffered < 56 ? 56 : 120) - this.#buffered + 8);
    pad[0] = 0x80;
    const tail = pad.length - 8;
    for (let i = 0; i < 8; i++) pad[tail + i] = Math.floor(bits / 2 ** (8 * i)) & 0xff;
    this.update(pad);
    let out = '';
    for (const word of this.#state) for (let i = 0; i < 4; i++) out += ((word >>> (8 * i)) & 0xff).toString(16).padStart(2, '0');
    return out;
  }

  #compress(bytes: Uint8Array, at: number): void {
    const m = this.#words;
    for (let i = 0; i < 16; i++, at += 4) m[i] = bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24);
    const st = this.#state;
    let a = st[0]!;
    let b = st[1]!;
    let c = st[2]!;
    let d = st[3]!;
    // Four rounds of 16 steps, each with its own mixing function (no branch per step).
    for (let i = 0; i < 16; i++) {
      const f = (((b & c) | (~b & d)) + a + K[i]! + m[i]!) | 0;
      a = d;
      d = c;
      c = b;
      const s = S[i & 3]!;
      b = (b + ((f << s) | (f >>> (32 - s)))) | 0;
    }
    for (let i = 16; i < 32; i++) {
      const f = (((d & b) | (~d & c)) + a + K[i]! + m[(5 * i + 1) & 15]!) | 0;
      a = d;
      d = c;
      c = b;
      const s = S[4 | (i & 3)]!;
      b = (b + ((f << s) | (f >>> (32 - s)))) | 0;
    }
    for (let i = 32; i < 48; i++) {
      const f = ((b ^ c ^ d) + a + K[i]! + m[(3 * i + 5) & 15]!) | 0;
      a = d;
      d = c;
      c = b;
      const s = S[8 | (i & 3)]!;
      b = (b + ((f << s) | (f >>> (32 - s)))) | 0;
    }
    for (let i = 48; i < 64; i++) {
      const f = ((c ^ (b | ~d)) + a + K[i]! + m[(7 * i) & 15]!) | 0;
      a = d;
      d = c;
      c = b;
      const s = S[12 | (i & 3)]!;
      b = (b + ((f << s) | (f >>> (32 - s)))) | 0;
    }
    st[0] = (st[0]! + a) | 0;
    st[1] = (st[1]! + b) | 0;
    st[2] = (st[2]! + c) | 0;
    st[3] = (st[3]! + d) | 0;
  }
}
