// PDF text (text layer only, no rendering or OCR) with its page numbers. Pages without any text are
// named in the result's problem ("pages 3–5 have no text layer"); a PDF with no text at all, a
// malformed one or one locked by a password is refused with a DocumentReadError saying so.

import { DocumentReadError } from '../../../engine/errors';
import { loadPdfjs } from './pdfjs';
import type { ReadResult } from './types';

/** "3", "3–5, 9": runs of page numbers as a reader would write them. */
export function pageRuns(pages: number[]): string {
  const runs: string[] = [];
  for (let i = 0; i < pages.length;) {
    let j = i;
    while (j + 1 < pages.length && pages[j + 1] === pages[j]! + 1) j++;
    runs.push(i === j ? `${pages[i]}` : `${pages[i]}–${pages[j]}`);
    i = j + 1;
  }
  return runs.join(', ');
}

interface TextItemLike {
  str?: string;
  hasEOL?: boolean;
}

export async function readPdf(name: string, bytes: ArrayBuffer, onPage: (fraction: number) => void): Promise<ReadResult> {
  const pdfjs = await loadPdfjs();
  const task = pdfjs.getDocument({
    // PDF.js transfers what it is given: a copy, so the caller's bytes (stored next) stay whole.
    data: new Uint8Array(bytes.slice(0)),
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    stopAtErrors: false,
    verbosity: 0,
  });
  let pdf: Awaited<typeof task.promise>;
  try {
    pdf = await task.promise;
  } catch (err) {
    await task.destroy();
    const why = err instanceof Error && err.name === 'PasswordException' ? 'is protected by a password' : 'is not a readable PDF';
    throw new DocumentReadError(`"${name}" ${why} (${err instanceof Error ? err.message : String(err)})`);
  }
  try {
    const sections: ReadResult['sections'] = [];
    const empty: number[] = [];
    let chars = 0;
    for (let n = 1; n <= pdf.numPages; n++) {
      const page = await pdf.getPage(n);
      const content = await page.getTextContent();
      const text = (content.items as TextItemLike[])
        .map((item) => (item.str ?? '') + (item.hasEOL ? '\n' : ''))
        .join('')
        .replace(/[ \t]+\n/g, '\n')
        .trim();
      page.cleanup();
      if (text) {
        sections.push({ text, page: n });
        chars += text.length;
      } else empty.push(n);
      onPage(n / pdf.numPages);
    }
    if (!sections.length) throw new DocumentReadError(`"${name}" has no text layer: a scanned PDF? nothing could be read`);
    const problem = empty.length
      ? `${empty.length === 1 ? 'page' : 'pages'} ${pageRuns(empty)} ${empty.length === 1 ? 'has' : 'have'} no text layer (scanned?)`
      : undefined;
    return { kind: 'pdf', sections, pages: pdf.numPages, chars, ...(problem ? { problem } : {}) };
  } finally {
    await pdf.destroy();
  }
}
