// Splits a document's text into passages for retrieval. Headings (Markdown `#` lines, which the
// HTML and .docx readers emit too, and setext underlines) set each passage's heading path
// ("Contract › 4. Payment"); paragraphs (blank-line separated) are kept whole where they fit and
// packed up to a target size; a longer paragraph is cut at sentence ends, then between words,
// never inside a word. Each passage after the first of a section repeats the end of the one before.
// Invariants: no empty passages, whitespace collapsed, the same text always gives the same passages.

export interface PassageText {
  text: string;
  /** Heading path above the passage, outermost first, joined with " › ". */
  heading?: string;
  /** The page its own text starts on (the repeated overlap may come from the page before). */
  page?: number;
}

export interface SplitOptions {
  /** A passage's own text is at most this long unless one word is longer (default 1000). */
  targetChars?: number;
  /** At most this many characters, whole words, repeated from the previous passage (default 150). */
  overlapChars?: number;
  /** The page number given to every passage of this text. */
  page?: number;
  /** Whether `#` lines are headings (default true); false for source code, where `#` starts comments. */
  headings?: boolean;
}

export const PASSAGE_TARGET_CHARS = 1000;
export const PASSAGE_OVERLAP_CHARS = 150;
export const HEADING_SEPARATOR = ' › ';

export function splitPassages(text: string, opts: SplitOptions = {}): PassageText[] {
  return splitPages([{ page: opts.page, text }], opts);
}

/** Splits pages read in order as one text; headings carry over from page to page. */
export function splitPages(pages: readonly { page?: number; text: string }[], opts: Omit<SplitOptions, 'page'> = {}): PassageText[] {
  const target = opts.targetChars ?? PASSAGE_TARGET_CHARS;
  const overlap = opts.overlapChars ?? PASSAGE_OVERLAP_CHARS;
  if (!(target >= 1)) throw new RangeError(`targetChars must be at least 1, got ${target}`);
  if (!(overlap >= 0)) throw new RangeError(`overlapChars must be at least 0, got ${overlap}`);
  const out: PassageText[] = [];
  let packed: Piece[] = [];
  let packedChars = 0;
  let previous: { text: string; section: object } | undefined;
  const flush = () => {
    if (packed.length === 0) return;
    const first = packed[0]!;
    let text = joinPieces(packed);
    const repeated = previous?.section === first.section ? tail(previous.text, overlap) : '';
    previous = { text, section: first.section };
    if (repeated) text = repeated + (first.continues ? ' ' : '\n\n') + text;
    out.push({
      text,
      ...(first.heading !== undefined && { heading: first.heading }),
      ...(first.page !== undefined && { page: first.page }),
    });
    packed = [];
    packedChars = 0;
  };
  for (const para of paragraphs(pages, opts.headings ?? true)) {
    for (const piece of cutParagraph(para, target)) {
      const last = packed.at(-1);
      // A passage stays within one section and one page, so the page a reply cites is exact.
      if (last && (last.section !== piece.section || last.page !== piece.page || packedChars + 2 + piece.text.length > target)) flush();
      packedChars += (packed.length === 0 ? 0 : 2) + piece.text.length;
      packed.push(piece);
    }
  }
  flush();
  return out;
}

interface Paragraph {
  text: string;
  page?: number;
  heading?: string;
  /** One object per heading seen (and one for the text before any): passages never pack or overlap across a heading. */
  section: object;
}

interface Piece extends Paragraph {
  /** Continues the paragraph of the piece before it (a long paragraph cut up). */
  continues: boolean;
}

// A piece that continues a cut paragraph never shares a passage with the piece before it (that one
// was filled to the target), so the pieces of one passage are always whole paragraphs apart.
const joinPieces = (pieces: readonly Piece[]) => pieces.map((p) => p.text).join('\n\n');

const ATX = /^ {0,3}(#{1,6})(?:[ \t](.*?))?(?:[ \t]#+)?[ \t]*$/;
const SETEXT = /^ {0,3}(=+|-+)[ \t]*$/;
const RULE = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

function paragraphs(pages: readonly { page?: number; text: string }[], headings: boolean): Paragraph[] {
  const out: Paragraph[] = [];
  const path: string[] = [];
  let section = {};
  let heading: string | undefined;
  let lines: string[] = [];
  let page: number | undefined;
  let fence: string | undefined;
  const flush = () => {
    const text = collapse(lines.join(' '));
    if (text) out.push({ text, section, heading, page });
    lines = [];
  };
  const enter = (level: number, title: string) => {
    flush();
    path.length = Math.min(path.length, level - 1);
    path[level - 1] = collapse(title);
    heading = path.filter(Boolean).join(HEADING_SEPARATOR) || undefined;
    section = {};
  };
  for (const p of pages) {
    page = p.page;
    for (const line of p.text.split(/\r\n?|\n/)) {
      const f = FENCE.exec(line)?.[1];
      if (fence !== undefined) {
        if (f !== undefined && f[0] === fence[0] && f.length >= fence.length) fence = undefined;
        lines.push(line);
        continue;
      }
      fence = f;
      const atx = headings ? ATX.exec(line) : null;
      const setext = headings && lines.length === 1 ? SETEXT.exec(line) : null;
      if (atx) enter(atx[1]!.length, atx[2] ?? '');
      else if (setext) enter(setext[1]![0] === '=' ? 1 : 2, lines.splice(0)[0]!);
      else if (line.trim() === '') flush();
      else if (RULE.test(line) && lines.length === 0) continue;
      else lines.push(line);
    }
    flush();
  }
  return out;
}

const collapse = (s: string) => s.replace(/\s+/g, ' ').trim();

/** The paragraph whole if it fits, else pieces cut at sentence ends, then between words (a sentence
 * that fits is never cut, even where its first words would have filled the piece before). */
function cutParagraph(para: Paragraph, target: number): Piece[] {
  const sentences = para.text.split(/(?<=[.!?…。！？]["'”’)\]]*) /);
  const units = sentences.flatMap((s) => (s.length <= target ? [s] : s.split(' ')));
  const texts: string[] = [];
  let current = '';
  for (const unit of units) {
    if (current && current.length + 1 + unit.length > target) {
      texts.push(current);
      current = unit;
    } else current = current ? `${current} ${unit}` : unit;
  }
  texts.push(current);
  return texts.map((text, i) => ({ ...para, text, continues: i > 0 }));
}

/** The last at most `chars` characters of `text`, starting at a word. */
export function tail(text: string, chars: number): string {
  const start = text.length - chars;
  if (start <= 0) return text;
  const cut = text.slice(start);
  // Starting inside a word: drop the rest of that word.
  return (/\s/.test(text[start - 1]!) ? cut : cut.replace(/^\S+/, '')).trim();
}
