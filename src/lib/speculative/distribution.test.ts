// Temperature > 0: the first two tokens emitted under speculation follow the target's own
// distribution exactly (chi-square goodness of fit against the exact two-token distribution).
import { chiSquareP, type Bin } from '../../../test/stats/chi-square';
import { describe, expect, it } from 'vitest';
import type { Commit } from '../decoding';
import { createRng } from '../rng';
import { distributionInto, type SamplingParams } from '../sampling';
import { renderPrompt } from '../reference/template';
import { VOCAB_SIZE } from '../reference/vocab';
import { FixedDraftLength } from './controller';
import { DraftModelDrafter } from './draft-model';
import { decodeSpeculative } from './loop';
import { PromptLookupDrafter } from './prompt-lookup';
import type { Drafter } from './types';
import { newDraft, newTarget, targetModel } from '../../../test/fakes/reference-sessions';

const SAMPLES = 20_000;
const MIN_EXPECTED = 5;
// A repeated phrase, so prompt lookup proposes tokens the target often (not always) agrees with.
const PROMPT = renderPrompt([{ role: 'user', content: 'the cache file for the model is saved in the browser; the cache file for the' }]);

/** Exact probability of every first-two-token pair under plain sampling. */
function exactPairs(params: SamplingParams): Map<string, number> {
  const p1 = distributionInto(targetModel.logits(PROMPT), params, new Float32Array(VOCAB_SIZE));
  const pairs = new Map<string, number>();
  for (let a = 0; a < VOCAB_SIZE; a++) {
    if (p1[a]! <= 0) continue;
    const p2 = distributionInto(targetModel.logits([...PROMPT, a]), params, new Float32Array(VOCAB_SIZE));
    for (let b = 0; b < VOCAB_SIZE; b++) if (p2[b]! > 0) pairs.set(`${a},${b}`, p1[a]! * p2[b]!);
  }
  return pairs;
}

/** Stops after two tokens. */
const twoTokens = (): ((t: number) => Commit) => {
  let n = 0;
  return () => (++n >= 2 ? { emit: true, finish: 'length' } : { emit: true });
};

async function sampleSpeculative(
  params: SamplingParams,
  makeDrafter: (seed: number) => Drafter,
  k: number,
  seed: number,
  accept?: 'biased',
) {
  const counts = new Map<string, number>();
  const rng = createRng(seed);
  let drafted = 0;
  let accepted = 0;
  for (let s = 0; s < SAMPLES; s++) {
    const drafter = makeDrafter(seed * 1_000_003 + s);
    const r = await decodeSpeculative(newTarget(), PROMPT, {
      sampling: params,
      rng: accept === 'biased' ? biased(rng) : rng,
      commit: twoTokens(),
      drafter,
      controller: new FixedDraftLength(k),
    });
    const key = r.tokens.join(',');
    counts.set(key, (counts.get(key) ?? 0) + 1);
    drafted += r.stats.drafted;
    accepted += r.stats.accepted;
  }
  return { counts, drafted, accepted };
}

/** A broken sampler for the power check: its uniform numbers are skewed towards 0 (too many acceptances). */
const biased = (rng: () => number) => () => rng() ** 2;

/** The draws against the exact pairs; pairs that cannot occur are pooled, so any of them fails the fit. */
function chiSquarePairs(counts: Map<string, number>, exact: Map<string, number>): number {
  const bins: Bin[] = [...exact].map(([key, p]) => ({ observed: counts.get(key) ?? 0, expected: p * SAMPLES }));
  for (const [key, o] of counts) if (!exact.has(key)) bins.push({ observed: o, expected: 0 });
  return chiSquareP(bins, MIN_EXPECTED);
}

const CONFIGS: SamplingParams[] = [
  { temperature: 0.7, topP: 1 },
  { temperature: 1, topP: 0.9 },
  { temperature: 1.5, topP: 0.5 },
];

describe('speculative sampling preserves the target distribution', () => {
  for (const params of CONFIGS) {
    const exact = exactPairs(params);
    it(`draft model, T=${params.temperature}, top-p=${params.topP}`, async () => {
      const r = await sampleSpeculative(params, (s) => new DraftModelDrafter(newDraft(), params, createRng(s)), 3, 11);
      expect(r.accepted).toBeGreaterThan(0);
      expect(r.accepted).toBeLessThan(r.drafted);
      expect(chiSquarePairs(r.counts, exact)).toBeGreaterThan(0.001);
    });
    it(`prompt lookup, T=${params.temperature}, top-p=${params.topP}`, async () => {
      const r = await sampleSpeculative(params, () => new PromptLookupDrafter(), 3, 12);
      expect(r.accepted).toBeGreaterThan(0);
      expect(chiSquarePairs(r.counts, exact)).toBeGreaterThan(0.001);
    });
  }

  it('the test has power: a skewed acceptance rule fails it', async () => {
    const params = CONFIGS[1]!;
    const r = await sampleSpeculative(params, () => new PromptLookupDrafter(), 3, 13, 'biased');
    expect(chiSquarePairs(r.counts, exactPairs(params))).toBeLessThan(0.001);
  });
});
