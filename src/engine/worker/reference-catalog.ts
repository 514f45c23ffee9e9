// The reference engine's models (test infrastructure): the deterministic tiny target and its draft
// from src/lib/reference, as catalog entries. They need no files, so they are always "cached".

import { REFERENCE_DRAFT, REFERENCE_TINY, type ReferenceModelSpec } from '../../lib/reference/model';
import { VOCAB_SIZE } from '../../lib/reference/vocab';
import type { CatalogEntry } from '../protocol';

export const REFERENCE_SPECS: Record<string, ReferenceModelSpec> = {
  [REFERENCE_TINY.id]: REFERENCE_TINY,
  [REFERENCE_DRAFT.id]: REFERENCE_DRAFT,
};

export function referenceCatalog(): CatalogEntry[] {
  return Object.values(REFERENCE_SPECS).map((s) => ({
    id: s.id,
    source: 'reference',
    quantization: 'f32',
    contextWindow: s.contextWindow,
    vramBytes: 0,
    needsShaderF16: false,
    lowResource: true,
    kind: 'llm',
    libName: s.id,
    recurrentState: false,
    slidingWindow: false,
    vocabSize: VOCAB_SIZE,
  }));
}
