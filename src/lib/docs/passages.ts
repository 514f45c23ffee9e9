// Splits a document's text into passages for retrieval: paragraphs are kept whole where they fit,
// a Markdown heading ("# Title") starts a new passage and is carried on each passage below it, and
// consecutive passages overlap by a tail of the previous one so a sentence cut at a boundary is
// still found whole. Pure: runs in the documents worker and in node tests.

export interface SplitOptions {
  targetChars?: number;
  overlapChars?: number;
  /** The page number given to every passage of this text. */
  page?: number;
  /** Whether `#` lines are headings (default true); false for source code, where `#` starts comments. */
  headings?: boolean;
}

export interface SplitPassage {
  text: string;
  heading?: string;
  page?: number;
}

const HEADING = /^(#{1,6})\s+(.+?)\s*#*\s*$/;

/** Splits pages read in order; each passage keeps the page it comes from. */
export function splitPages(pages: readonly { page?: number; text: string }[], opts: Omit<SplitOptions, 'page'> = {}): SplitPassage[] {
  return pages.flatMap((p) => splitPassages(p.text, { ...opts, page: p.page }));
}

export function splitPassages(text: string, opts: SplitOptions = {}): SplitPassage[] {
  const target = Math.max(100, opts.targetChars ?? 1000);
  const overlap = Math.min(Math.max(0, opts.overlapChars ?? 150), Math.floor(target / 2));
  const out: SplitPassage[] = [];
  const path: string[] = [];
  let heading: string | undefined;
  let buf = '';
  const flush = () => {
    const t = buf.trim();
    if (t) out.push({ text: t, ...(heading ? { heading } : {}), ...(opts.page !== undefined ? { page: opts.page } : {}) });
    buf = '';
  };
  const tail = (t: string) => {
    if (!overlap || t.length <= overlap) return '';
    const cut = t.slice(-overlap);
    const space = cut.indexOf(' ');
    return space >= 0 ? cut.slice(space + 1) : cut;
  };
  for (const para of text.split(/\n\s*\n/)) {
    const lines = para.trim().split('\n');
    const m = opts.headings !== false && lines.length === 1 ? HEADING.exec(lines[0]!) : null;
    if (m) {
      flush();
      path.length = Math.min(path.length, m[1]!.length - 1);
      path[m[1]!.length - 1] = m[2]!;
      heading = path.filter(Boolean).join(' › ');
      continue;
    }
    for (let piece = para.trim(); piece;) {
      const room = target - buf.length;
      if (piece.length + 2 <= room || (!buf && piece.length <= target)) {
        buf = buf ? `${buf}\n\n${piece}` : piece;
        piece = '';
      } else if (buf) {
        const prev = buf;
        flush();
        buf = tail(prev);
      } else {
        let end = piece.lastIndexOf(' ', target);
        if (end <= target / 2) end = target;
        buf = piece.slice(0, end);
        piece = piece.slice(end).trim();
        const prev = buf;
        flush();
        buf = tail(prev);
      }
    }
  }
  flush();
  return out;
}
