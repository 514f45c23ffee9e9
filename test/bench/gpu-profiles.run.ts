// The GPU sizing table for README: for each device profile, the budget and the fit, chosen context
// and draft plan of a few catalog models, marked where the fit rests on a guessed memory figure
// (no timing involved). Regenerate with:
//   npx vitest run --config test/bench/vitest.config.ts test/bench/gpu-profiles.run.ts
import { prebuiltAppConfig } from '@mlc-ai/web-llm';
import { expect, test } from 'vitest';
import { toCatalogEntry } from '../../src/lib/catalog';
import { maxBindableBytes, memoryBudget } from '../../src/lib/gpu/device-class';
import { sizeCatalog } from '../../src/lib/gpu/sizing';
import type { ModelSizing } from '../../src/lib/gpu/types';
import { PROFILES } from '../unit/device-profiles';

const MODELS = [
  'Llama-3.2-1B-Instruct-q4f32_1-MLC',
  'Qwen2.5-Coder-1.5B-Instruct-q4f16_1-MLC',
  'Llama-3.2-3B-Instruct-q4f16_1-MLC',
  'Phi-3.5-mini-instruct-q4f16_1-MLC',
  'Llama-3.1-8B-Instruct-q4f16_1-MLC',
];
const GB = 1024 ** 3;
const MIB = 1024 ** 2;

/** "no (shader-f16)", "fits · 4k · K 6 · draft Llama-3.2-1B-q4f16_1 · guess". */
function cell(s: ModelSizing): string {
  if (s.fit === 'no') {
    const why = /shader-f16/.test(s.reason)
      ? 'shader-f16'
      : /tensor/.test(s.reason)
        ? 'tensor size'
        : /storage buffers|workgroup|limit/.test(s.reason)
          ? 'limits'
          : 'memory';
    return `no (${why})`;
  }
  const parts = [s.fit, `${s.contextWindow / 1024}k`, `K ${s.draftTokens}`];
  if (s.draftModelId) parts.push(`draft ${s.draftModelId.replace(/-Instruct|-MLC/g, '')}`);
  if (s.dependsOnGuess) parts.push('**guess**');
  return parts.join(' · ');
}

test('sizing table per device profile', () => {
  const catalog = prebuiltAppConfig.model_list.map((r) => toCatalogEntry(r, 'prebuilt'));
  const lines = [
    '',
    `| profile | budget (limit) | buffers | ${MODELS.map((m) => m.replace(/-Instruct|-MLC/g, '')).join(' | ')} |`,
    `|---|---|---|${MODELS.map(() => '---').join('|')}|`,
  ];
  for (const p of PROFILES) {
    const budget = memoryBudget(p.report, p.userGpuMemoryGB);
    const sizing = sizeCatalog(catalog, p.report, budget);
    const cells = MODELS.map((id) => {
      const s = sizing.get(id);
      expect(s).toBeDefined();
      return cell(s!);
    });
    const limit = `${budget.deviceClass}, ${(budget.limitBytes / GB).toFixed(1)} GB${budget.source === 'user' ? ' (typed)' : budget.lowGuess ? ' (guess)' : ''}`;
    lines.push(`| ${p.name} | ${limit} | ${maxBindableBytes(p.report) / MIB} MiB | ${cells.join(' | ')} |`);
  }
  console.log(lines.join('\n'));
});
