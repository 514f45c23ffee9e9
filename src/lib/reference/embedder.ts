// The reference embedder (test infrastructure, as the reference model is for chat): hashed word,
// word-pair and character-trigram features folded into REFERENCE_EMBED_DIMS signed buckets, log-damped
// and L2-normalised, so texts that share words are close and the same text always gives the same
// vector. Shaped like WebLLM's `engine.embeddings.create` so the worker drives both the same way.
// Invariants: pure and deterministic; every vector has unit length (an empty text gives a fixed unit vector).

export const REFERENCE_EMBED_MODEL = 'reference-embed';
export const REFERENCE_EMBED_DIMS = 256;
/** As WebLLM's "-b4" embedding models: at most this many texts per forward pass. */
export const REFERENCE_EMBED_MAX_BATCH = 4;

/** The fields of WebLLM's EmbeddingCreateParams the engine uses. */
export interface EmbeddingRequest {
  input: string | string[];
  model?: string | null;
}

/** WebLLM's CreateEmbeddingResponse, as far as the engine reads it. */
export interface EmbeddingResponse {
  data: { embedding: number[]; index: number; object: 'embedding' }[];
  model: string;
  object: 'list';
  usage: { prompt_tokens: number; total_tokens: number };
}

/** Words so common that sharing them says nothing about the subject. */
const STOPWORDS = new Set(
  `a an and are as at be by can did do does for from had has have how i in is it its of on or that the this to was were what when where which who why will with you your`.split(
    ' ',
  ),
);
const WORD_WEIGHT = 1;
const PAIR_WEIGHT = 0.5;
const TRIGRAM_WEIGHT = 0.5;

/** FNV-1a over UTF-16 code units, with a final avalanche: stable across runs and platforms. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  return h >>> 0;
}

export function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** The words of a text that say what it is about. */
export function contentWords(text: string): string[] {
  return words(text).filter((w) => !STOPWORDS.has(w));
}

/** The embedding of one text: REFERENCE_EMBED_DIMS numbers of unit length. */
export function referenceEmbedding(text: string, dims = REFERENCE_EMBED_DIMS): Float32Array {
  const counts = new Map<string, number>();
  const add = (feature: string, weight: number) => counts.set(feature, (counts.get(feature) ?? 0) + weight);
  const content = contentWords(text);
  content.forEach((w, i) => {
    add(`w:${w}`, WORD_WEIGHT);
    if (i > 0) add(`p:${content[i - 1]} ${w}`, PAIR_WEIGHT);
    // Trigrams of the padded word: "payments" and "payment" still share most of them.
    const padded = `^${w}$`;
    for (let j = 0; j + 3 <= padded.length; j++) add(`c:${padded.slice(j, j + 3)}`, TRIGRAM_WEIGHT);
  });
  const v = new Float32Array(dims);
  for (const [feature, weight] of counts) {
    const h = hash(feature);
    // The sign bit spreads collisions around zero instead of piling them up.
    v[h % dims]! += (h & 0x80000000 ? -1 : 1) * Math.log1p(weight);
  }
  let norm = 0;
  for (const x of v) norm += x * x;
  if (norm === 0) {
    v[0] = 1;
    return v;
  }
  const scale = 1 / Math.sqrt(norm);
  for (let i = 0; i < dims; i++) v[i]! *= scale;
  return v;
}

/** The reference embedder behind WebLLM's `embeddings.create` shape. */
export class ReferenceEmbedder {
  readonly model = REFERENCE_EMBED_MODEL;
  readonly dims = REFERENCE_EMBED_DIMS;
  readonly maxBatch = REFERENCE_EMBED_MAX_BATCH;
  readonly embeddings = {
    create: async (request: EmbeddingRequest): Promise<EmbeddingResponse> => {
      const input = typeof request.input === 'string' ? [request.input] : request.input;
      // WebLLM refuses an empty input (EmbeddingInputEmptyError); so does the stand-in.
      if (input.length === 0) throw new Error('the embedding input is empty');
      const tokens = input.reduce((n, t) => n + words(t).length, 0);
      return {
        data: input.map((text, index) => ({ embedding: Array.from(referenceEmbedding(text, this.dims)), index, object: 'embedding' })),
        model: this.model,
        object: 'list',
        usage: { prompt_tokens: tokens, total_tokens: tokens },
      };
    },
  };
}

/** Cosine similarity of two unit vectors. */
export function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
