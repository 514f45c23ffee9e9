// Checks our catalog mapping against the real, pinned WebLLM model list.
import { prebuiltAppConfig } from '@mlc-ai/web-llm';
import { describe, expect, it } from 'vitest';
import { toCatalogEntry } from '../../lib/catalog';
import pkg from '../../../package.json' with { type: 'json' };

describe('WebLLM catalog', () => {
  it('is the pinned 0.2.86 release', () => {
    expect(pkg.dependencies['@mlc-ai/web-llm']).toBe('0.2.86');
  });

  it('maps every prebuilt model into an entry', () => {
    const list = prebuiltAppConfig.model_list;
    expect(list.length).toBeGreaterThanOrEqual(100);
    const entries = list.map((r) => toCatalogEntry(r, 'prebuilt'));
    expect(new Set(entries.map((e) => e.id)).size).toBe(entries.length);
    for (const e of entries) {
      expect(e.contextWindow).toBeGreaterThan(0);
      expect(e.quantization).not.toBe('unknown');
      if (e.vramBytes !== undefined) expect(e.vramBytes).toBeGreaterThan(100 * 1024 * 1024);
    }
    // Records that declare shader-f16 are f16 builds, and we badge them.
    for (const r of list.filter((r) => r.required_features?.includes('shader-f16'))) {
      expect(toCatalogEntry(r, 'prebuilt').needsShaderF16).toBe(true);
    }
    expect(entries.filter((e) => e.needsShaderF16).length).toBeGreaterThan(
      list.filter((r) => r.required_features?.includes('shader-f16')).length,
    );
  });
});
