// What a reader gives back: the text in sections (one per page for a PDF), with Markdown heading
// markers where the document had headings, ready for the passage splitter.

import type { DocKind } from '../../../lib/docs/kind';

export interface ReadSection {
  text: string;
  page?: number;
}

export interface ReadResult {
  kind: DocKind;
  sections: ReadSection[];
  pages?: number;
  chars: number;
  /** Part of the document that could not be read (the rest was). */
  problem?: string;
}
