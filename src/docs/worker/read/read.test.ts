import { describe, expect, it, vi } from 'vitest';
import { fileOf, hugeFile, makeDocx, makePdf } from '../../../../test/e2e/fixtures/documents';
import { DocumentReadError } from '../../../engine/errors';
import { admit, readDocument } from './index';
import { pageRuns } from './pdf';

vi.mock('./pdfjs', () => import('../../../../test/e2e/fixtures/documents'));

const buf = (u: Uint8Array) => u.buffer.slice(u.byteOffset, u.byteOffset + u.byteLength) as ArrayBuffer;
const text = (s: string) => buf(new TextEncoder().encode(s));

describe('admit', () => {
  it('refuses a 0-byte file, a file over the limit (unread) and an unknown type, naming the file', () => {
    expect(() => admit(fileOf('empty.txt', ''))).toThrow(DocumentReadError);
    expect(() => admit(fileOf('empty.txt', ''))).toThrow('"empty.txt" is empty (0 bytes)');
    expect(() => admit(hugeFile('scan.pdf', 200 * 1024 * 1024))).toThrow(/"scan\.pdf" is 200 MB, over the 100 MB a document may have/);
    expect(() => admit(fileOf('photo.jpg', 'x', 'image/jpeg'))).toThrow(/"photo\.jpg" is a type Airgap does not read \(\.jpg\)/);
  });

  it('knows the kinds by extension, then by MIME type', () => {
    expect(['a.md', 'b.py', 'c.HTML', 'd.pdf', 'e.docx', 'f.txt'].map((n) => admit(fileOf(n, 'x')))).toEqual([
      'markdown',
      'code',
      'html',
      'pdf',
      'docx',
      'text',
    ]);
    expect(admit(fileOf('notes', 'x', 'text/plain'))).toBe('text');
  });
});

describe('readDocument', () => {
  it('reads text as it is and refuses binary content under a text name', async () => {
    const r = await readDocument('a.txt', 'text', text('Hello\r\nworld'));
    expect(r).toEqual({ kind: 'text', sections: [{ text: 'Hello\nworld' }], chars: 11 });
    await expect(readDocument('b.txt', 'text', buf(new Uint8Array([1, 0, 2, 0])))).rejects.toThrow(/does not contain text/);
  });

  it('reads each PDF page with its number and names the pages without a text layer', async () => {
    const pdf = await makePdf([['Payment terms', 'within 30 days'], null, null, ['Termination clause']]);
    const r = await readDocument('c.pdf', 'pdf', buf(pdf));
    expect(r.pages).toBe(4);
    expect(r.sections.map((s) => s.page)).toEqual([1, 4]);
    expect(r.sections[0]!.text).toMatch(/Payment terms\s+within 30 days/);
    expect(r.problem).toBe('pages 2–3 have no text layer (scanned?)');
    expect(r.chars).toBe(r.sections.reduce((n, s) => n + s.text.length, 0));
  });

  it('refuses a PDF with no text at all as scanned, and a malformed PDF', async () => {
    const scanned = await makePdf([null, null]);
    await expect(readDocument('scan.pdf', 'pdf', buf(scanned))).rejects.toThrow(
      '"scan.pdf" has no text layer: a scanned PDF? nothing could be read',
    );
    const broken = await readDocument('bad.pdf', 'pdf', text('%PDF-1.7 this is not really a pdf')).catch((e: unknown) => e);
    expect(broken).toBeInstanceOf(DocumentReadError);
    expect((broken as Error).message).toMatch(/^"bad\.pdf" is not a readable PDF/);
  });

  it('reads a .docx with its headings as heading markers, and refuses a file that is not one', async () => {
    const docx = await makeDocx([
      { text: 'Contract', heading: 1 },
      { text: 'The rent is 900 euros.' },
      { text: 'Payment', heading: 2 },
      { text: 'Pay by the 5th.' },
    ]);
    const r = await readDocument('c.docx', 'docx', buf(docx));
    expect(r.sections[0]!.text).toBe('# Contract\n\nThe rent is 900 euros.\n\n## Payment\n\nPay by the 5th.');
    await expect(readDocument('x.docx', 'docx', text('not a zip'))).rejects.toThrow(/"x\.docx" is not a readable Word \(\.docx\) file/);
  });

  it('reads HTML without its tags, scripts or styles', async () => {
    const r = await readDocument(
      'p.html',
      'html',
      text('<html><head><title>T</title></head><body><h1>Report</h1><script>evil()</script><p>Body text.</p></body></html>'),
    );
    expect(r.sections[0]!.text).toBe('# Report\n\nBody text.');
  });
});

describe('pageRuns', () => {
  it('writes runs of pages as a reader would', () => {
    expect(pageRuns([3])).toBe('3');
    expect(pageRuns([2, 3, 4, 7, 9, 10])).toBe('2–4, 7, 9–10');
  });
});
