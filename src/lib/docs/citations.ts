// Finds the [n] references in a reply so the page can make each one open passage n. A reply is
// Markdown: references inside inline code or fenced code blocks are code, and `[1](url)` is a link,
// so neither is a citation. Forms: [1], [2, 3], [1][2], [1-3] (or an en dash). Invariants: entries
// are sorted by start, never overlap, and every n is in 1..max; a bracket that holds anything else
// ("[2024]" when there are 5 sources, "[see 1]") is left alone, except that a list keeps its valid numbers.

export interface Citation {
  /** Offsets in the text (end exclusive) of what shows this reference: see findCitations. */
  start: number;
  end: number;
  n: number;
}

/** A bracket of numbers: a list ("2, 3", "1;2") or a range ("1-3", "1–3"), spaces allowed. */
const GROUP = /\[ *(\d{1,4}(?: *[,;] *\d{1,4})*|\d{1,4} *[-–] *\d{1,4}) *\]/g;
const NUMBER = /\d+/g;

/**
 * The references in `text`, one entry per cited number. A lone `[n]` spans the whole bracket; in a
 * list or range each number spans its own digits (so `[2, 3]` gives two entries a renderer can
 * make into two links), and the numbers a range implies but does not write get an empty span at
 * the end of the range's dash, so they are reported as cited without text of their own.
 */
export function findCitations(text: string, max: number): Citation[] {
  const code = codeRanges(text);
  const out: Citation[] = [];
  for (const m of text.matchAll(GROUP)) {
    const start = m.index;
    const end = start + m[0].length;
    if (overlaps(code, start, end) || text[start - 1] === '\\' || text[end] === '(') continue;
    const numbers = [...m[1]!.matchAll(NUMBER)].map((d) => ({ n: Number(d[0]), at: start + m[0].indexOf(m[1]!) + d.index }));
    const valid = (n: number) => n >= 1 && n <= max;
    if (numbers.length === 1) {
      if (valid(numbers[0]!.n)) out.push({ start, end, n: numbers[0]!.n });
    } else if (/[-–]/.test(m[1]!)) {
      const [a, b] = numbers as [{ n: number; at: number }, { n: number; at: number }];
      if (!valid(a.n) || !valid(b.n) || b.n <= a.n) continue;
      const dashEnd = start + m[0].search(/[-–]/) + 1;
      out.push({ start: a.at, end: a.at + String(a.n).length, n: a.n });
      for (let n = a.n + 1; n < b.n; n++) out.push({ start: dashEnd, end: dashEnd, n });
      out.push({ start: b.at, end: b.at + String(b.n).length, n: b.n });
    } else {
      for (const { n, at } of numbers) if (valid(n)) out.push({ start: at, end: at + String(n).length, n });
    }
  }
  return out;
}

type Range = [start: number, end: number];

const overlaps = (ranges: readonly Range[], start: number, end: number) => ranges.some(([s, e]) => start < e && end > s);

/** Where the text is code: fenced blocks (``` or ~~~, unclosed runs to the end) and inline code spans. */
export function codeRanges(text: string): Range[] {
  const ranges: Range[] = [];
  let fence: { char: string; len: number; start: number } | undefined;
  let pos = 0;
  let prose = 0; // start of the prose since the last fence, searched for code spans when it ends
  for (const line of text.split('\n')) {
    const lineEnd = pos + line.length;
    const f = /^ {0,3}(`{3,}|~{3,})(.*)/.exec(line);
    if (fence === undefined) {
      // An opening backtick fence may not have a backtick in its info string.
      if (f && !(f[1]![0] === '`' && f[2]!.includes('`'))) {
        ranges.push(...codeSpans(text.slice(prose, pos), prose));
        fence = { char: f[1]![0]!, len: f[1]!.length, start: pos };
      }
    } else if (f && f[1]![0] === fence.char && f[1]!.length >= fence.len && f[2]!.trim() === '') {
      ranges.push([fence.start, lineEnd]);
      fence = undefined;
      prose = lineEnd;
    }
    pos = lineEnd + 1;
  }
  if (fence) ranges.push([fence.start, text.length]);
  else ranges.push(...codeSpans(text.slice(prose), prose));
  return ranges;
}

/** Inline code: a run of n backticks up to the next run of exactly n; an unmatched run is literal. */
function codeSpans(text: string, offset: number): Range[] {
  const ranges: Range[] = [];
  const runs = [...text.matchAll(/`+/g)];
  let from = 0; // runs before this one are inside a span already found
  runs.forEach((open, i) => {
    if (i < from) return;
    const close = runs.findIndex((r, j) => j > i && r[0].length === open[0].length);
    if (close === -1) return;
    const last = runs[close]!;
    ranges.push([offset + open.index, offset + last.index + last[0].length]);
    from = close + 1;
  });
  return ranges;
}
