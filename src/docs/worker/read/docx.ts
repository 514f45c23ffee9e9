// Word .docx through mammoth: converted to HTML (so headings survive as heading markers), then to
// text by the HTML reader. A file that is not a .docx (not a zip, no word/document.xml) is refused.

import { DocumentReadError } from '../../../engine/errors';
import { htmlToText } from './html';

export async function docxToText(name: string, bytes: ArrayBuffer): Promise<string> {
  // mammoth is most of the worker's code: a chunk of its own, loaded with the first .docx.
  const { default: mammoth } = await import('mammoth');
  try {
    // mammoth's browser build reads `arrayBuffer`, its node build `buffer`: both are given.
    const input = { arrayBuffer: bytes, buffer: bytes } as unknown as { arrayBuffer: ArrayBuffer };
    const { value } = await mammoth.convertToHtml(input);
    return htmlToText(value);
  } catch (err) {
    throw new DocumentReadError(`"${name}" is not a readable Word (.docx) file (${err instanceof Error ? err.message : String(err)})`);
  }
}
