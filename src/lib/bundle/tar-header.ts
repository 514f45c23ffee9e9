// One 512-byte POSIX ustar header: written for each bundle entry, read back on import. Names up to
// 255 bytes use ustar's prefix field; sizes are octal (up to 8 GiB - 1 per entry, ustar's limit).
// Pure; runs in any context. Checksum: the sum of the header's bytes with the checksum field as spaces.

import { TAR_BLOCK } from './format';

export interface TarEntry {
  name: string;
  size: number;
  /** "0" (or NUL) is a regular file; anything else the importer refuses. */
  type: string;
  mtime: number;
}

const MAX_SIZE = 8 ** 11 - 1;
const enc = new TextEncoder();
const dec = new TextDecoder();

function putString(h: Uint8Array, at: number, len: number, s: string): void {
  const b = enc.encode(s);
  if (b.length > len) throw new Error(`"${s}" is too long for a tar header field`);
  h.set(b, at);
}

function putOctal(h: Uint8Array, at: number, len: number, n: number): void {
  putString(h, at, len, `${n.toString(8).padStart(len - 1, '0')}\0`);
}

/** Splits a name into ustar's prefix (≤ 155 bytes) and name (≤ 100 bytes) at a slash. */
function splitName(name: string): [prefix: string, name: string] {
  if (enc.encode(name).length <= 100) return ['', name];
  for (let i = name.lastIndexOf('/'); i > 0; i = name.lastIndexOf('/', i - 1)) {
    const prefix = name.slice(0, i);
    const rest = name.slice(i + 1);
    if (enc.encode(prefix).length <= 155 && enc.encode(rest).length <= 100) return [prefix, rest];
  }
  throw new Error(`the name "${name}" is too long for a ustar archive`);
}

export function encodeHeader(e: Omit<TarEntry, 'type'>): Uint8Array {
  if (!Number.isSafeInteger(e.size) || e.size < 0 || e.size > MAX_SIZE) throw new Error(`${e.name}: size ${e.size} does not fit ustar`);
  const h = new Uint8Array(TAR_BLOCK);
  const [prefix, name] = splitName(e.name);
  putString(h, 0, 100, name);
  putOctal(h, 100, 8, 0o644);
  putOctal(h, 108, 8, 0);
  putOctal(h, 116, 8, 0);
  putOctal(h, 124, 12, e.size);
  putOctal(h, 136, 12, Math.max(0, Math.floor(e.mtime)));
  h.fill(0x20, 148, 156);
  h[156] = 0x30; // '0': regular file
  putString(h, 257, 6, 'ustar\0');
  putString(h, 263, 2, '00');
  putString(h, 345, 155, prefix);
  putOctal(h, 148, 7, checksum(h));
  h[155] = 0x20;
  return h;
}

function checksum(h: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < TAR_BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i]!;
  return sum;
}

function field(h: Uint8Array, at: number, len: number): string {
  const raw = h.subarray(at, at + len);
  const end = raw.indexOf(0);
  return dec.decode(end === -1 ? raw : raw.subarray(0, end));
}

function octal(h: Uint8Array, at: number, len: number, what: string): number {
  const s = field(h, at, len).trim();
  if (!/^[0-7]+$/.test(s)) throw new Error(`the tar header's ${what} is not an octal number`);
  return parseInt(s, 8);
}

/** True for an all-zero block (two of them end an archive). */
export function isZeroBlock(h: Uint8Array): boolean {
  return h.every((b) => b === 0);
}

/** Reads a header block; throws with the reason when it is not a valid ustar header. */
export function decodeHeader(h: Uint8Array): TarEntry {
  if (h.length !== TAR_BLOCK) throw new Error('a tar header is cut short');
  if (field(h, 257, 6) !== 'ustar') throw new Error('not a POSIX tar (ustar) header');
  if (octal(h, 148, 8, 'checksum') !== checksum(h)) throw new Error('a tar header fails its checksum');
  const prefix = field(h, 345, 155);
  const name = field(h, 0, 100);
  return {
    name: prefix ? `${prefix}/${name}` : name,
    size: octal(h, 124, 12, 'size'),
    type: String.fromCharCode(h[156]!),
    mtime: octal(h, 136, 12, 'mtime'),
  };
}

/** Zero bytes after an entry's data up to the next 512-byte boundary. */
export function padding(size: number): number {
  return (TAR_BLOCK - (size % TAR_BLOCK)) % TAR_BLOCK;
}
