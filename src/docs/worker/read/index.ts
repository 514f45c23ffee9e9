// Reads one file into text: refuses it from its size or type before reading anything, then hands
// the bytes to the reader for its kind. Every refusal is a DocumentReadError naming the file.

import { DocumentReadError } from '../../../engine/errors';
import { docxToText } from './docx';
import { htmlToText } from './html';
import { extensionOf, kindOf, MAX_DOC_BYTES, type DocKind } from '../../../lib/docs/kind';
import { readPdf } from './pdf';
import type { ReadResult } from './types';

export type { ReadResult, ReadSection } from './types';
export { kindOf, MAX_DOC_BYTES, type DocKind };

/** What the worker needs of a File (tests pass stand-ins that must never be read). */
export type FileLike = Pick<File, 'name' | 'size' | 'type' | 'arrayBuffer'>;

const MB = 1024 * 1024;

/** The file's kind, or why it is refused, from its name, type and size alone. */
export function admit(file: FileLike): DocKind {
  if (file.size === 0) throw new DocumentReadError(`"${file.name}" is empty (0 bytes)`);
  if (file.size > MAX_DOC_BYTES)
    throw new DocumentReadError(
      `"${file.name}" is ${Math.round(file.size / MB)} MB, over the ${MAX_DOC_BYTES / MB} MB a document may have: split it into smaller files`,
    );
  const kind = kindOf(file.name, file.type);
  if (!kind)
    throw new DocumentReadError(
      `"${file.name}" is a type Airgap does not read (.${extensionOf(file.name)}): add text, Markdown, HTML, source code, PDF or Word (.docx) files`,
    );
  return kind;
}

function decodeText(name: string, bytes: ArrayBuffer): string {
  const text = new TextDecoder('utf-8').decode(bytes);
  // NULs do not occur in text: this is a binary file under a text name.
  if (text.slice(0, 8192).includes('\u0000')) throw new DocumentReadError(`"${name}" does not contain text (a binary file?)`);
  return text.replace(/\r\n?/g, '\n');
}

export async function readDocument(
  name: string,
  kind: DocKind,
  bytes: ArrayBuffer,
  onProgress: (fraction: number) => void = () => {},
): Promise<ReadResult> {
  if (kind === 'pdf') return readPdf(name, bytes, onProgress);
  const text =
    kind === 'docx' ? await docxToText(name, bytes) : kind === 'html' ? htmlToText(decodeText(name, bytes)) : decodeText(name, bytes);
  if (!text.trim()) throw new DocumentReadError(`"${name}" contains no text`);
  onProgress(1);
  return { kind, sections: [{ text }], chars: text.length };
}
