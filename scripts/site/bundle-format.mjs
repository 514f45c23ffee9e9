// The Airgap model bundle format as the packaging script reads it: constants and the ustar header
// decoder. The format's home is src/lib/bundle/format.ts and tar-header.ts; this plain-JavaScript
// copy exists because `npm run package` runs on plain Node 20, which cannot import TypeScript.
// test/unit/package-site.test.ts checks that these constants equal format.ts's and that this
// decoder reads what tar-header.ts encodes: change both places together.

export const BUNDLE_FORMAT = 'airgap-model-bundle';
export const BUNDLE_VERSION = 1;
export const INDEX_ENTRY = 'airgap-bundle.json';
export const BUNDLE_SUFFIX = '.airgap.tar';
export const TAR_BLOCK = 512;

const dec = new TextDecoder();

function field(h, at, len) {
  const raw = h.subarray(at, at + len);
  const end = raw.indexOf(0);
  return dec.decode(end === -1 ? raw : raw.subarray(0, end));
}

function octal(h, at, len, what) {
  const s = field(h, at, len).trim();
  if (!/^[0-7]+$/.test(s)) throw new Error(`the tar header's ${what} is not an octal number`);
  return parseInt(s, 8);
}

function checksum(h) {
  let sum = 0;
  for (let i = 0; i < TAR_BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i];
  return sum;
}

export const isZeroBlock = (h) => h.every((b) => b === 0);

/** Reads a 512-byte header; throws with the reason when it is not a valid ustar header. */
export function decodeHeader(h) {
  if (h.length !== TAR_BLOCK) throw new Error('a tar header is cut short');
  if (field(h, 257, 6) !== 'ustar') throw new Error('not a POSIX tar (ustar) header');
  if (octal(h, 148, 8, 'checksum') !== checksum(h)) throw new Error('a tar header fails its checksum');
  const prefix = field(h, 345, 155);
  const name = field(h, 0, 100);
  return { name: prefix ? `${prefix}/${name}` : name, size: octal(h, 124, 12, 'size'), type: String.fromCharCode(h[156]) };
}

export const padding = (size) => (TAR_BLOCK - (size % TAR_BLOCK)) % TAR_BLOCK;

/** format.ts's isSafeKey: a relative path with no "." or ".." parts, no backslash, no leading slash, no NUL. */
export function isSafeKey(key) {
  if (typeof key !== 'string' || !key || key.startsWith('/') || /[\\\0]/.test(key)) return false;
  return key.split('/').every((part) => part !== '' && part !== '.' && part !== '..');
}
