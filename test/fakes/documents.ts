// Documents made by tests: PDFs from pdf-lib (pages of text, pages with no text layer), minimal
// valid .docx files from jszip, and Files from text. Also PDF.js for node: its modern build needs
// DOMMatrix, so tests that read PDFs replace src/docs/worker/read/pdfjs.ts with this module's loadPdfjs.

import JSZip from 'jszip';
import { PDFDocument, StandardFonts } from 'pdf-lib';

export async function loadPdfjs(): Promise<typeof import('pdfjs-dist')> {
  await import('pdfjs-dist/legacy/build/pdf.worker.mjs' as string);
  return (await import('pdfjs-dist/legacy/build/pdf.mjs')) as unknown as typeof import('pdfjs-dist');
}

/** One page per entry: its lines of text, or null for a page with no text layer (a scanned page). */
export async function makePdf(pages: (string[] | null)[]): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const lines of pages) {
    const page = doc.addPage([612, 792]);
    if (!lines) {
      page.drawRectangle({ x: 50, y: 50, width: 500, height: 600 });
      continue;
    }
    lines.forEach((line, i) => page.drawText(line, { x: 50, y: 740 - i * 16, size: 11, font }));
  }
  return doc.save();
}

const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A minimal valid .docx: paragraphs, those given a heading level styled Heading1.. (mammoth maps them to <h1>..). */
export async function makeDocx(paragraphs: { text: string; heading?: 1 | 2 | 3 }[]): Promise<Uint8Array> {
  const zip = new JSZip();
  zip.file(
    '[Content_Types].xml',
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' +
      '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
  );
  zip.file(
    '_rels/.rels',
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
      '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
  );
  const body = paragraphs
    .map(
      (p) =>
        `<w:p>${p.heading ? `<w:pPr><w:pStyle w:val="Heading${p.heading}"/></w:pPr>` : ''}<w:r><w:t xml:space="preserve">${xmlEscape(p.text)}</w:t></w:r></w:p>`,
    )
    .join('');
  zip.file(
    'word/document.xml',
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${body}</w:body></w:document>`,
  );
  return zip.generateAsync({ type: 'uint8array' });
}

export const fileOf = (name: string, content: string | Uint8Array, type = '') =>
  new File([typeof content === 'string' ? content : new Uint8Array(content)], name, { type });

/** A file that claims `size` bytes and fails the test if anything reads it (a 200 MB file, unread). */
export const hugeFile = (name: string, size: number) => ({
  name,
  size,
  type: 'application/pdf',
  arrayBuffer: (): Promise<ArrayBuffer> => {
    throw new Error('a file over the size limit must not be read');
  },
});
