import { describe, expect, it } from 'vitest';
import type { CatalogEntry } from '../catalog';
import { embeddingBeside } from './embedding-beside';

const MB = 1024 * 1024;
const entry = (id: string, kind: CatalogEntry['kind'], vramMB?: number): CatalogEntry => ({
  id,
  source: 'prebuilt',
  quantization: 'q0f32',
  contextWindow: 512,
  needsShaderF16: false,
  lowResource: false,
  kind,
  libName: id,
  recurrentState: false,
  slidingWindow: false,
  ...(vramMB === undefined ? {} : { vramBytes: vramMB * MB }),
});
const catalog = [
  entry('chat', 'llm', 2000),
  entry('embed-m', 'embedding', 1400),
  entry('embed-s', 'embedding', 600),
  entry('embed-unknown', 'embedding'),
];

describe('embeddingBeside', () => {
  it('takes the smallest stored embedding model that fits beside the chat model', () => {
    expect(embeddingBeside(catalog, new Set(['embed-m', 'embed-s']), 2000 * MB, 4000 * MB)).toBe('embed-s');
    expect(embeddingBeside(catalog, new Set(['embed-m']), 2000 * MB, 4000 * MB)).toBe('embed-m');
  });

  it('takes none when the two would not fit together (exactly the budget fits)', () => {
    expect(embeddingBeside(catalog, new Set(['embed-s']), 3400 * MB + 1, 4000 * MB)).toBeUndefined();
    expect(embeddingBeside(catalog, new Set(['embed-s']), 3400 * MB, 4000 * MB)).toBe('embed-s');
  });

  it('takes none that is not stored, not an embedding model, or of unknown size', () => {
    expect(embeddingBeside(catalog, new Set(), 0, 1e12)).toBeUndefined();
    expect(embeddingBeside(catalog, new Set(['chat', 'embed-unknown']), 0, 1e12)).toBeUndefined();
  });
});
