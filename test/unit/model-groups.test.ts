// The picker's grouping over WebLLM's real catalog (pinned 0.2.86): every chat model is offered once,
// under a family a person recognises, and no embedding model is.
import { prebuiltAppConfig } from '@mlc-ai/web-llm';
import { describe, expect, it } from 'vitest';
import { toCatalogEntry } from '../../src/lib/catalog';
import { downloadEstimate, groupModels, parseModelName, searchModels } from '../../src/lib/model-groups';
import { shippedShape } from '../../src/lib/gpu/sizing';

const catalog = prebuiltAppConfig.model_list.map((r) => toCatalogEntry(r, 'prebuilt'));

describe('model groups over the real catalog', () => {
  const groups = groupModels(catalog);
  const offered = groups.flatMap((g) => g.entries);

  it('offers every chat model exactly once and no embedding model', () => {
    const chat = catalog.filter((e) => e.kind !== 'embedding');
    expect(catalog.some((e) => e.kind === 'embedding')).toBe(true);
    expect(offered.map((e) => e.id).sort()).toEqual(chat.map((e) => e.id).sort());
    expect(offered.some((e) => /embed/.test(e.id))).toBe(false);
  });

  it('names far fewer families than models, each with a size where the id gives one', () => {
    expect(groups.length).toBeLessThan(offered.length / 2);
    for (const e of offered) {
      const n = parseModelName(e.id);
      expect(n.family, e.id).not.toMatch(/q\d+f|MLC/);
      if (/-\d+(?:[._]\d+)?[BbMm]-/.test(e.id)) expect(n.billions, e.id).toBeGreaterThan(0);
    }
    const llama = groups.find((g) => g.family === 'Llama 3.2')!;
    expect(llama.entries.map((e) => parseModelName(e.id).size)).toEqual(['1B', '1B', '1B', '1B', '3B', '3B']);
  });

  it('finds a model by family and size words', () => {
    const hits = searchModels(offered, 'qwen3 0.6b').map((e) => e.id);
    expect(hits).toContain('Qwen3-0.6B-q4f16_1-MLC');
    expect(hits.every((id) => id.startsWith('Qwen3-0.6B'))).toBe(true);
  });

  it('estimates every download above zero and below the GPU figure', () => {
    for (const e of offered) {
      const bytes = downloadEstimate(e, shippedShape(e));
      expect(bytes, e.id).toBeGreaterThan(0);
      expect(bytes, e.id).toBeLessThanOrEqual(e.vramBytes!);
    }
  });
});
