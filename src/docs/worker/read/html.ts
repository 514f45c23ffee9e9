// HTML to plain text without a DOM (the documents worker has none): scripts, styles and comments
// are dropped, headings become Markdown heading markers ("## Title") so passages keep them, block
// elements become paragraph breaks and entities are decoded. Not a validating parser: it only
// needs to turn real-world pages (and mammoth's .docx HTML) into readable text.

const DROPPED = /<(script|style|noscript|template|svg|head|iframe|object)\b[^>]*>[\s\S]*?<\/\1\s*>/gi;
const TAG = /<\/?[a-zA-Z][^\s/>]*(?:[^>"']|"[^"]*"|'[^']*')*>/g;
const BLOCK =
  /<\/?(?:p|div|section|article|main|header|footer|nav|aside|blockquote|pre|table|thead|tbody|tfoot|tr|ul|ol|dl|dt|dd|figure|figcaption|hr|address|details|summary|form|fieldset|body|html)\b(?:[^>"']|"[^"]*"|'[^']*')*>/gi;
const LINE = /<(?:br|li|td|th|caption)\b(?:[^>"']|"[^"]*"|'[^']*')*\/?>/gi;
const HEADING = /<h([1-6])\b(?:[^>"']|"[^"]*"|'[^']*')*>([\s\S]*?)<\/h\1\s*>/gi;

const NAMED: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  ndash: '–',
  mdash: '—',
  hellip: '…',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  laquo: '«',
  raquo: '»',
  copy: '©',
  reg: '®',
  trade: '™',
  euro: '€',
  pound: '£',
  deg: '°',
  middot: '·',
  bull: '•',
  times: '×',
  shy: '',
};

export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED[e.toLowerCase()] ?? whole;
  });
}

const inline = (s: string) => decodeEntities(s.replace(TAG, ' ')).replace(/\s+/g, ' ').trim();

export function htmlToText(html: string): string {
  const text = html
    .replace(/<!--[\s\S]*?(?:-->|$)/g, ' ')
    .replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, ' ')
    .replace(/<!doctype[^>]*>/gi, ' ')
    .replace(DROPPED, ' ')
    .replace(/\s+/g, ' ')
    .replace(HEADING, (_, level: string, inner: string) => {
      const title = inline(inner);
      return title ? `\u0000\u0000${'#'.repeat(Number(level))} ${title}\u0000\u0000` : ' ';
    })
    .replace(BLOCK, '\u0000\u0000')
    .replace(LINE, '\u0000')
    .replace(TAG, '');
  return decodeEntities(text)
    .replace(/\u00a0/g, ' ')
    .split('\u0000')
    .map((line) => line.replace(/[ \t]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
