// MD5 over a stream of chunks (RFC 1321). MLC's tensor-cache.json gives every weight shard an
// "md5sum"; WebCrypto has no MD5, and WebLLM itself never checks it, so without this a corrupted
// shard from a mirror is stored, called offline-ready, and fails (or worse, loads) later. Pure.
// The 64 steps are unrolled and whole blocks are read as little-endian 32-bit words in place: that
// triples its speed, and at a few hundred MiB/s hashing is what bounds a download's CPU side.

const LITTLE_ENDIAN = new Uint8Array(Int32Array.of(1).buffer)[0] === 1;

export class Md5 {
  readonly #state = Int32Array.of(0x67452301, 0xefcdab89 | 0, 0x98badcfe | 0, 0x10325476);
  readonly #block = new Uint8Array(64);
  readonly #blockWords = new Int32Array(this.#block.buffer);
  /** Whole blocks of a chunk that is not 4-byte aligned (or on a big-endian platform), as words. */
  #scratch = new Int32Array(0);
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
      this.#compressBlock();
      this.#buffered = 0;
    }
    const whole = (data.byteLength - at) & ~63;
    if (whole) {
      const words = this.#words(data, at, whole);
      for (let w = 0; w < words.length; w += 16) this.#compress(words, w);
      at += whole;
    }
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

  /** `bytes` little-endian words of data from `at`: a view when aligned, else a copy. */
  #words(data: Uint8Array, at: number, bytes: number): Int32Array {
    if (LITTLE_ENDIAN && (data.byteOffset + at) % 4 === 0) return new Int32Array(data.buffer, data.byteOffset + at, bytes / 4);
    if (this.#scratch.length < bytes / 4) this.#scratch = new Int32Array(bytes / 4);
    const out = this.#scratch.subarray(0, bytes / 4);
    if (LITTLE_ENDIAN) new Uint8Array(out.buffer, 0, bytes).set(data.subarray(at, at + bytes));
    else {
      const view = new DataView(data.buffer, data.byteOffset + at, bytes);
      for (let i = 0; i < out.length; i++) out[i] = view.getInt32(4 * i, true);
    }
    return out;
  }

  #compressBlock(): void {
    if (LITTLE_ENDIAN) this.#compress(this.#blockWords, 0);
    else this.#compress(this.#words(this.#block, 0, 64), 0);
  }

  #compress(x: Int32Array, w: number): void {
    const m0 = x[w]!,
      m1 = x[w + 1]!,
      m2 = x[w + 2]!,
      m3 = x[w + 3]!,
      m4 = x[w + 4]!,
      m5 = x[w + 5]!,
      m6 = x[w + 6]!,
      m7 = x[w + 7]!;
    const m8 = x[w + 8]!,
      m9 = x[w + 9]!,
      m10 = x[w + 10]!,
      m11 = x[w + 11]!,
      m12 = x[w + 12]!,
      m13 = x[w + 13]!,
      m14 = x[w + 14]!,
      m15 = x[w + 15]!;
    const st = this.#state;
    let a = st[0]!;
    let b = st[1]!;
    let c = st[2]!;
    let d = st[3]!;
    // Rounds F, G, H, I: a = b + ((a + f(b, c, d) + word + K[i]) <<< s), the registers rotating.
    a = (a + ((b & c) | (~b & d)) + m0 + (0xd76aa478 | 0)) | 0;
    a = (((a << 7) | (a >>> 25)) + b) | 0;
    d = (d + ((a & b) | (~a & c)) + m1 + (0xe8c7b756 | 0)) | 0;
    d = (((d << 12) | (d >>> 20)) + a) | 0;
    c = (c + ((d & a) | (~d & b)) + m2 + 0x242070db) | 0;
    c = (((c << 17) | (c >>> 15)) + d) | 0;
    b = (b + ((c & d) | (~c & a)) + m3 + (0xc1bdceee | 0)) | 0;
    b = (((b << 22) | (b >>> 10)) + c) | 0;
    a = (a + ((b & c) | (~b & d)) + m4 + (0xf57c0faf | 0)) | 0;
    a = (((a << 7) | (a >>> 25)) + b) | 0;
    d = (d + ((a & b) | (~a & c)) + m5 + 0x4787c62a) | 0;
    d = (((d << 12) | (d >>> 20)) + a) | 0;
    c = (c + ((d & a) | (~d & b)) + m6 + (0xa8304613 | 0)) | 0;
    c = (((c << 17) | (c >>> 15)) + d) | 0;
    b = (b + ((c & d) | (~c & a)) + m7 + (0xfd469501 | 0)) | 0;
    b = (((b << 22) | (b >>> 10)) + c) | 0;
    a = (a + ((b & c) | (~b & d)) + m8 + 0x698098d8) | 0;
    a = (((a << 7) | (a >>> 25)) + b) | 0;
    d = (d + ((a & b) | (~a & c)) + m9 + (0x8b44f7af | 0)) | 0;
    d = (((d << 12) | (d >>> 20)) + a) | 0;
    c = (c + ((d & a) | (~d & b)) + m10 + (0xffff5bb1 | 0)) | 0;
    c = (((c << 17) | (c >>> 15)) + d) | 0;
    b = (b + ((c & d) | (~c & a)) + m11 + (0x895cd7be | 0)) | 0;
    b = (((b << 22) | (b >>> 10)) + c) | 0;
    a = (a + ((b & c) | (~b & d)) + m12 + 0x6b901122) | 0;
    a = (((a << 7) | (a >>> 25)) + b) | 0;
    d = (d + ((a & b) | (~a & c)) + m13 + (0xfd987193 | 0)) | 0;
    d = (((d << 12) | (d >>> 20)) + a) | 0;
    c = (c + ((d & a) | (~d & b)) + m14 + (0xa679438e | 0)) | 0;
    c = (((c << 17) | (c >>> 15)) + d) | 0;
    b = (b + ((c & d) | (~c & a)) + m15 + 0x49b40821) | 0;
    b = (((b << 22) | (b >>> 10)) + c) | 0;
    a = (a + ((d & b) | (~d & c)) + m1 + (0xf61e2562 | 0)) | 0;
    a = (((a << 5) | (a >>> 27)) + b) | 0;
    d = (d + ((c & a) | (~c & b)) + m6 + (0xc040b340 | 0)) | 0;
    d = (((d << 9) | (d >>> 23)) + a) | 0;
    c = (c + ((b & d) | (~b & a)) + m11 + 0x265e5a51) | 0;
    c = (((c << 14) | (c >>> 18)) + d) | 0;
    b = (b + ((a & c) | (~a & d)) + m0 + (0xe9b6c7aa | 0)) | 0;
    b = (((b << 20) | (b >>> 12)) + c) | 0;
    a = (a + ((d & b) | (~d & c)) + m5 + (0xd62f105d | 0)) | 0;
    a = (((a << 5) | (a >>> 27)) + b) | 0;
    d = (d + ((c & a) | (~c & b)) + m10 + 0x2441453) | 0;
    d = (((d << 9) | (d >>> 23)) + a) | 0;
    c = (c + ((b & d) | (~b & a)) + m15 + (0xd8a1e681 | 0)) | 0;
    c = (((c << 14) | (c >>> 18)) + d) | 0;
    b = (b + ((a & c) | (~a & d)) + m4 + (0xe7d3fbc8 | 0)) | 0;
    b = (((b << 20) | (b >>> 12)) + c) | 0;
    a = (a + ((d & b) | (~d & c)) + m9 + 0x21e1cde6) | 0;
    a = (((a << 5) | (a >>> 27)) + b) | 0;
    d = (d + ((c & a) | (~c & b)) + m14 + (0xc33707d6 | 0)) | 0;
    d = (((d << 9) | (d >>> 23)) + a) | 0;
    c = (c + ((b & d) | (~b & a)) + m3 + (0xf4d50d87 | 0)) | 0;
    c = (((c << 14) | (c >>> 18)) + d) | 0;
    b = (b + ((a & c) | (~a & d)) + m8 + 0x455a14ed) | 0;
    b = (((b << 20) | (b >>> 12)) + c) | 0;
    a = (a + ((d & b) | (~d & c)) + m13 + (0xa9e3e905 | 0)) | 0;
    a = (((a << 5) | (a >>> 27)) + b) | 0;
    d = (d + ((c & a) | (~c & b)) + m2 + (0xfcefa3f8 | 0)) | 0;
    d = (((d << 9) | (d >>> 23)) + a) | 0;
    c = (c + ((b & d) | (~b & a)) + m7 + 0x676f02d9) | 0;
    c = (((c << 14) | (c >>> 18)) + d) | 0;
    b = (b + ((a & c) | (~a & d)) + m12 + (0x8d2a4c8a | 0)) | 0;
    b = (((b << 20) | (b >>> 12)) + c) | 0;
    a = (a + (b ^ c ^ d) + m5 + (0xfffa3942 | 0)) | 0;
    a = (((a << 4) | (a >>> 28)) + b) | 0;
    d = (d + (a ^ b ^ c) + m8 + (0x8771f681 | 0)) | 0;
    d = (((d << 11) | (d >>> 21)) + a) | 0;
    c = (c + (d ^ a ^ b) + m11 + 0x6d9d6122) | 0;
    c = (((c << 16) | (c >>> 16)) + d) | 0;
    b = (b + (c ^ d ^ a) + m14 + (0xfde5380c | 0)) | 0;
    b = (((b << 23) | (b >>> 9)) + c) | 0;
    a = (a + (b ^ c ^ d) + m1 + (0xa4beea44 | 0)) | 0;
    a = (((a << 4) | (a >>> 28)) + b) | 0;
    d = (d + (a ^ b ^ c) + m4 + 0x4bdecfa9) | 0;
    d = (((d << 11) | (d >>> 21)) + a) | 0;
    c = (c + (d ^ a ^ b) + m7 + (0xf6bb4b60 | 0)) | 0;
    c = (((c << 16) | (c >>> 16)) + d) | 0;
    b = (b + (c ^ d ^ a) + m10 + (0xbebfbc70 | 0)) | 0;
    b = (((b << 23) | (b >>> 9)) + c) | 0;
    a = (a + (b ^ c ^ d) + m13 + 0x289b7ec6) | 0;
    a = (((a << 4) | (a >>> 28)) + b) | 0;
    d = (d + (a ^ b ^ c) + m0 + (0xeaa127fa | 0)) | 0;
    d = (((d << 11) | (d >>> 21)) + a) | 0;
    c = (c + (d ^ a ^ b) + m3 + (0xd4ef3085 | 0)) | 0;
    c = (((c << 16) | (c >>> 16)) + d) | 0;
    b = (b + (c ^ d ^ a) + m6 + 0x4881d05) | 0;
    b = (((b << 23) | (b >>> 9)) + c) | 0;
    a = (a + (b ^ c ^ d) + m9 + (0xd9d4d039 | 0)) | 0;
    a = (((a << 4) | (a >>> 28)) + b) | 0;
    d = (d + (a ^ b ^ c) + m12 + (0xe6db99e5 | 0)) | 0;
    d = (((d << 11) | (d >>> 21)) + a) | 0;
    c = (c + (d ^ a ^ b) + m15 + 0x1fa27cf8) | 0;
    c = (((c << 16) | (c >>> 16)) + d) | 0;
    b = (b + (c ^ d ^ a) + m2 + (0xc4ac5665 | 0)) | 0;
    b = (((b << 23) | (b >>> 9)) + c) | 0;
    a = (a + (c ^ (b | ~d)) + m0 + (0xf4292244 | 0)) | 0;
    a = (((a << 6) | (a >>> 26)) + b) | 0;
    d = (d + (b ^ (a | ~c)) + m7 + 0x432aff97) | 0;
    d = (((d << 10) | (d >>> 22)) + a) | 0;
    c = (c + (a ^ (d | ~b)) + m14 + (0xab9423a7 | 0)) | 0;
    c = (((c << 15) | (c >>> 17)) + d) | 0;
    b = (b + (d ^ (c | ~a)) + m5 + (0xfc93a039 | 0)) | 0;
    b = (((b << 21) | (b >>> 11)) + c) | 0;
    a = (a + (c ^ (b | ~d)) + m12 + 0x655b59c3) | 0;
    a = (((a << 6) | (a >>> 26)) + b) | 0;
    d = (d + (b ^ (a | ~c)) + m3 + (0x8f0ccc92 | 0)) | 0;
    d = (((d << 10) | (d >>> 22)) + a) | 0;
    c = (c + (a ^ (d | ~b)) + m10 + (0xffeff47d | 0)) | 0;
    c = (((c << 15) | (c >>> 17)) + d) | 0;
    b = (b + (d ^ (c | ~a)) + m1 + (0x85845dd1 | 0)) | 0;
    b = (((b << 21) | (b >>> 11)) + c) | 0;
    a = (a + (c ^ (b | ~d)) + m8 + 0x6fa87e4f) | 0;
    a = (((a << 6) | (a >>> 26)) + b) | 0;
    d = (d + (b ^ (a | ~c)) + m15 + (0xfe2ce6e0 | 0)) | 0;
    d = (((d << 10) | (d >>> 22)) + a) | 0;
    c = (c + (a ^ (d | ~b)) + m6 + (0xa3014314 | 0)) | 0;
    c = (((c << 15) | (c >>> 17)) + d) | 0;
    b = (b + (d ^ (c | ~a)) + m13 + 0x4e0811a1) | 0;
    b = (((b << 21) | (b >>> 11)) + c) | 0;
    a = (a + (c ^ (b | ~d)) + m4 + (0xf7537e82 | 0)) | 0;
    a = (((a << 6) | (a >>> 26)) + b) | 0;
    d = (d + (b ^ (a | ~c)) + m11 + (0xbd3af235 | 0)) | 0;
    d = (((d << 10) | (d >>> 22)) + a) | 0;
    c = (c + (a ^ (d | ~b)) + m2 + 0x2ad7d2bb) | 0;
    c = (((c << 15) | (c >>> 17)) + d) | 0;
    b = (b + (d ^ (c | ~a)) + m9 + (0xeb86d391 | 0)) | 0;
    b = (((b << 21) | (b >>> 11)) + c) | 0;
    st[0] = (st[0]! + a) | 0;
    st[1] = (st[1]! + b) | 0;
    st[2] = (st[2]! + c) | 0;
    st[3] = (st[3]! + d) | 0;
  }
}
