// The reference model's fixed vocabulary: special tokens, 256 byte tokens (so any text can be
// encoded) and a list of common words and pieces (so ordinary text takes few tokens).

const SPECIAL_TOKENS = ['<|bos|>', '<|end|>', '<|system|>', '<|user|>', '<|assistant|>'] as const;
export const BOS_ID = 0;
export const END_ID = 1;
export const SYSTEM_ID = 2;
export const USER_ID = 3;
export const ASSISTANT_ID = 4;
export const BYTE_BASE = SPECIAL_TOKENS.length;
export const WORD_BASE = BYTE_BASE + 256;

const WORDS = `the of and to in is that it for on with as was are be this by at from or an not but have
all can has one you your they we he she his her their our will would there what which when who how more
some about into than then them these so its also only other new time may like just out up use used
model models token tokens data code file files text line lines function value values return error
errors test tests browser page worker memory cache context window draft speculative decoding offline
network server local private chat message messages user assistant system answer question example
first second next last each every many most few small large fast slow good better best well very
here where why because if else while for do does did done make made need needs see look find found
get set run runs start stop read write load loads loaded save saved open close help please thanks
yes no ok sure I it's don't can't let's GPU CPU WebGPU browser's`.split(/\s+/);

const PIECES = [
  'ing',
  'ed',
  'er',
  'ly',
  'tion',
  's',
  'es',
  "'s",
  '. ',
  ', ',
  '.\n',
  '\n\n',
  '  ',
  '()',
  ');',
  ' = ',
  ' => ',
  '{',
  '}',
  '[',
  ']',
  ' {\n',
  '\n}',
  'const ',
  'let ',
  'return ',
  'function ',
  'import ',
  'export ',
  ' the',
  ' of',
  ' and',
  ' to',
  ' a',
  ' in',
  ' is',
];

function buildWordList(): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  const add = (w: string) => {
    if (w.length >= 2 && !seen.has(w)) {
      seen.add(w);
      out.push(w);
    }
  };
  for (const w of WORDS) {
    if (!w) continue;
    add(' ' + w);
    add(w);
    add(' ' + w[0]!.toUpperCase() + w.slice(1));
  }
  for (const p of PIECES) add(p);
  return out;
}

/** Word tokens, in id order starting at WORD_BASE. */
export const WORD_TOKENS: readonly string[] = buildWordList();
export const VOCAB_SIZE = WORD_BASE + WORD_TOKENS.length;

export function isWordToken(id: number): boolean {
  return id >= WORD_BASE && id < VOCAB_SIZE;
}

export function isByteToken(id: number): boolean {
  return id >= BYTE_BASE && id < WORD_BASE;
}
