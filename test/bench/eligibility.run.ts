// Which catalog models the speculative adapter treats as eligible before loading, and why the
// others fall back (the model library's own exports are checked again at load).
import { prebuiltAppConfig } from '@mlc-ai/web-llm';
import { expect, test } from 'vitest';
import { toCatalogEntry } from '../../src/lib/catalog';
import { tokenizerFamily } from '../../src/lib/gpu/draft';
import { catalogIneligibility } from '../../src/lib/speculative/eligibility';

test('speculation eligibility of the WebLLM catalog', () => {
  const entries = prebuiltAppConfig.model_list.map((r) => toCatalogEntry(r, 'prebuilt'));
  const reasons = new Map<string, string[]>();
  const eligible: string[] = [];
  for (const e of entries) {
    const why = catalogIneligibility(e);
    if (why) reasons.set(why, [...(reasons.get(why) ?? []), e.id]);
    else eligible.push(e.id);
  }
  const families = new Map<string, number>();
  for (const id of eligible) {
    const f = tokenizerFamily(entries.find((e) => e.id === id)!);
    families.set(f, (families.get(f) ?? 0) + 1);
  }
  console.log(
    `\neligible: ${eligible.length} of ${entries.length} (by tokenizer family: ${[...families].map(([f, n]) => `${f} ${n}`).join(', ')})`,
  );
  for (const [why, ids] of reasons) console.log(`fallback (${ids.length}): ${why}: ${ids.join(', ')}`);
  expect(eligible.length + [...reasons.values()].flat().length).toBe(entries.length);
});
