// The GPU sizing table: for each device profile, the fit, chosen context and draft plan of three
// catalog models (printed for the README and the closing note; no timing involved).
import { prebuiltAppConfig } from '@mlc-ai/web-llm';
import { expect, test } from 'vitest';
import { toCatalogEntry } from '../../src/lib/catalog';
import { memoryBudget } from '../../src/lib/gpu/device-class';
import { sizeCatalog } from '../../src/lib/gpu/sizing';
import { PROFILES } from '../unit/device-profiles';

const MODELS = ['Llama-3.2-1B-Instruct-q4f32_1-MLC', 'Phi-3.5-mini-instruct-q4f16_1-MLC', 'Llama-3.1-8B-Instruct-q4f16_1-MLC'];

test('sizing table per device profile', () => {
  const catalog = prebuiltAppConfig.model_list.map((r) => toCatalogEntry(r, 'prebuilt'));
  const lines = ['', `| profile | budget (limit) | ${MODELS.map((m) => m.replace(/-MLC$/, '')).join(' | ')} |`, `|---|---|${MODELS.map(() => '---').join('|')}|`];
  for (const p of PROFILES) {
    const budget = memoryBudget(p.report, p.userGpuMemoryGB);
    const sizing = sizeCatalog(catalog, p.report, budget);
    const cells = MODELS.map((id) => {
      const s = sizing.get(id);
      expect(s).toBeDefined();
      if (!s || s.fit === 'no') return 'no';
      return `${s.fit} · ctx ${s.contextWindow} · K ${s.draftTokens}${s.draftModelId ? ` · draft ${s.draftModelId.replace(/-Instruct|-MLC/g, '')}` : ''}`;
    });
    lines.push(`| ${p.name} | ${budget.deviceClass}, ${(budget.limitBytes / 1024 ** 3).toFixed(1)} GB | ${cells.join(' | ')} |`);
  }
  console.log(lines.join('\n'));
});
