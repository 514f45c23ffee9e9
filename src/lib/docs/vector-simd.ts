// WebAssembly SIMD scoring for vector search: a hand-assembled module (no build step, no wasm
// file) whose one function writes the dot product of a query with every row of a matrix, four
// f32x4 accumulators at a time. It can only read its own memory, so a matrix meant for it is
// allocated inside one (vectorMatrix) and topK recognises it by its buffer; every other matrix
// takes the JavaScript path. Invariant: each matrix has its own memory that never grows, so the
// Float32Array handed out is never detached.

/** Rows must be a whole number of 4 × f32x4 steps (16 floats); other sizes use JavaScript. */
export const SIMD_DIMS_MULTIPLE = 16;

const uleb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
};
const name = (s: string) => [s.length, ...[...s].map((c) => c.charCodeAt(0))];
const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];

// Opcodes (WebAssembly core and SIMD specifications).
const [GET, SET, TEE] = [0x20, 0x21, 0x22];
const I32_CONST = 0x41;
const [I32_ADD, I32_SHL, I32_LT_U] = [0x6a, 0x74, 0x49];
const [LOOP, BR_IF, END, VOID] = [0x03, 0x0d, 0x0b, 0x40];
const [F32_ADD, F32_STORE] = [0x92, 0x38];
const SIMD = 0xfd;
const V128_LOAD = (offset: number) => [SIMD, 0x00, 0x02, ...uleb(offset)];
const V128_ZERO = [SIMD, 0x0c, ...new Array<number>(16).fill(0)];
const F32X4_ADD = [SIMD, 0xe4, 0x01]; // opcode 228, LEB128
const F32X4_MUL = [SIMD, 0xe6, 0x01]; // opcode 230, LEB128
const LANE = (l: number) => [SIMD, 0x1f, l];

// Locals: params q, m, rows, dims, out (0–4); r, i, rowBytes (5–7); accumulators a0–a3 (8–11).
const [Q, M, ROWS, DIMS, OUT, R, I, ROW_BYTES, A0] = [0, 1, 2, 3, 4, 5, 6, 7, 8];

/**
 * The module's bytes: scores(q, m, rows, dims, out), byte offsets into the imported memory
 * "m"."mem"; rows ≥ 1. Built when first needed, not at import, so a page that never searches
 * vectors never pays for it.
 */
export function scoresWasm(): Uint8Array<ArrayBuffer> {
  // a_j += q[i + 16j bytes] * m[i + 16j bytes] for j = 0..3.
  const step = [0, 1, 2, 3].flatMap((j) => [
    GET,
    A0 + j,
    GET,
    Q,
    GET,
    I,
    I32_ADD,
    ...V128_LOAD(16 * j),
    GET,
    M,
    GET,
    I,
    I32_ADD,
    ...V128_LOAD(16 * j),
    ...F32X4_MUL,
    ...F32X4_ADD,
    SET,
    A0 + j,
  ]);

  // prettier-ignore
  const body = [
  2, 3, 0x7f, 4, 0x7b, // locals: 3 × i32, 4 × v128
  GET, DIMS, I32_CONST, 2, I32_SHL, SET, ROW_BYTES,
  LOOP, VOID, // every row
  ...V128_ZERO, TEE, A0, TEE, A0 + 1, TEE, A0 + 2, SET, A0 + 3,
  I32_CONST, 0, SET, I,
  LOOP, VOID, // 16 floats a step
  ...step,
  GET, I, I32_CONST, 0xc0, 0x00, I32_ADD, TEE, I, GET, ROW_BYTES, I32_LT_U, BR_IF, 0,
  END,
  GET, OUT,
  GET, A0, GET, A0 + 1, ...F32X4_ADD, GET, A0 + 2, GET, A0 + 3, ...F32X4_ADD, ...F32X4_ADD, TEE, A0,
  ...LANE(0), GET, A0, ...LANE(1), F32_ADD, GET, A0, ...LANE(2), F32_ADD, GET, A0, ...LANE(3), F32_ADD,
  F32_STORE, 0x02, 0x00,
  GET, OUT, I32_CONST, 4, I32_ADD, SET, OUT,
  GET, M, GET, ROW_BYTES, I32_ADD, SET, M,
  GET, R, I32_CONST, 1, I32_ADD, TEE, R, GET, ROWS, I32_LT_U, BR_IF, 0,
  END,
  END,
];

  // prettier-ignore
  return new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  ...section(1, [1, 0x60, 5, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0]),
  ...section(2, [1, ...name('m'), ...name('mem'), 0x02, 0x00, 0x00]),
  ...section(3, [1, 0]),
  ...section(7, [1, ...name('scores'), 0x00, 0]),
  ...section(10, [1, ...uleb(body.length), ...body]),
]);
}

type Scores = (q: number, m: number, rows: number, dims: number, out: number) => void;

interface SimdMatrix {
  scores: Scores;
  memory: WebAssembly.Memory;
  rows: number;
  dims: number;
}

let module: WebAssembly.Module | null | undefined;
/** The compiled module, or null where WebAssembly SIMD is not available. */
function simdModule(): WebAssembly.Module | null {
  if (module === undefined) {
    const bytes = scoresWasm();
    module = typeof WebAssembly === 'object' && WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
  }
  return module;
}

const matrices = new WeakMap<ArrayBufferLike, SimdMatrix>();

const PAGE_BYTES = 65_536;
/** Above this a matrix stays in plain JavaScript memory (wasm32 addresses, with room to spare). */
export const MAX_SIMD_BYTES = 2 ** 31;

/** Bytes of wasm memory a matrix needs: the matrix, then the scores, then the query. */
export const simdBytes = (rows: number, dims: number) => (rows * (dims + 1) + dims) * 4;

/**
 * A zeroed rows × dims matrix (row-major) for the caller to fill; topK scores it with SIMD when
 * the platform has it and dims is a multiple of 16, else it is an ordinary Float32Array.
 */
export function vectorMatrix(rows: number, dims: number): Float32Array {
  const mod = simdModule();
  const bytes = simdBytes(rows, dims);
  if (mod === null || dims % SIMD_DIMS_MULTIPLE !== 0 || rows < 1 || bytes > MAX_SIMD_BYTES) return new Float32Array(rows * dims);
  const memory = new WebAssembly.Memory({ initial: Math.ceil(bytes / PAGE_BYTES) });
  const instance = new WebAssembly.Instance(mod, { m: { mem: memory } });
  matrices.set(memory.buffer, { scores: instance.exports.scores as Scores, memory, rows, dims });
  return new Float32Array(memory.buffer, 0, rows * dims);
}

/**
 * Every row's dot product with the query, or null when `matrix` is not one vectorMatrix made for
 * these dims (then the caller scores it in JavaScript). The result is a view that the next call
 * on the same matrix overwrites.
 */
export function simdScores(query: Float32Array, matrix: Float32Array, dims: number): Float32Array | null {
  const m = matrices.get(matrix.buffer);
  // The length check also rules out other dims: the matrix holds rows × its own dims floats.
  if (m === undefined || matrix.byteOffset !== 0 || matrix.length !== m.rows * dims) return null;
  const scoresAt = m.rows * dims * 4;
  const queryAt = scoresAt + m.rows * 4;
  new Float32Array(m.memory.buffer, queryAt, dims).set(query);
  m.scores(queryAt, 0, m.rows, dims, scoresAt);
  return new Float32Array(m.memory.buffer, scoresAt, m.rows);
}
