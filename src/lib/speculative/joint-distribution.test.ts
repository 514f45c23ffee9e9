// Temperature > 0 over a whole verify step: the first K + 2 tokens under speculation (the first
// sample, K drafts verified at their own rows, then the correction or the bonus token from row K)
// follow the target's exact joint distribution. The vocabulary is tiny, so the exact distribution of
// every (K + 2)-token sequence is enumerated, and rows depend on the whole prefix, so a draft scored
// against a neighbouring row or a bonus drawn from the wrong row changes it.
import { describe, expect, it } from 'vitest';
import type { Commit } from '../decoding';
import { createRng } from '../rng';
import type { SamplingParams } from '../sampling';
import { FixedDraftLength } from './controller';
import { DraftModelDrafter } from './draft-model';
import { chiSquareP, naiveDistribution } from '../../../test/stats/exact-sampling';
import { scaled } from '../../../test/fakes/test-scale';
import { prefixLogits, TinyModel } from '../../../test/fakes/reference-sessions';
import { decodeSpeculative } from './loop';
import { PromptLookupDrafter } from './prompt-lookup';
import type { Drafter } from './types';

const VOCAB = 4;
const K = 3;
const LENGTH = K + 2;
const SAMPLES = scaled(12_000);
const perturbation = prefixLogits(VOCAB, 1, 1);
/**
 * Mostly a bigram model that favours the cycle 0 → 1 → 2 → 3 → 0 (so prompt lookup's drafts from
 * the cyclic prompt are often, not always, accepted), perturbed by the whole prefix.
 */
const targetLogits = (prefix: readonly number[]) => {
  const last = prefix.at(-1) ?? 0;
  return perturbation(prefix).map((x, t) => x + (t === (last + 1) % VOCAB ? 1.6 : 0));
};
const noise = prefixLogits(VOCAB, 2, 1.2);
/** Close to the target but not equal: drafts are often, not always, accepted. */
const draftLogits = (prefix: readonly number[]) => {
  const t = targetLogits(prefix);
  const n = noise(prefix);
  return t.map((x, i) => 0.7 * x + n[i]!);
};
/** Every 3-gram over the vocabulary once (a de Bruijn sequence), so prompt lookup always finds a match, then the cycle. */
const PROMPT = [...deBruijn(VOCAB, 3), 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3];

function deBruijn(k: number, n: number): number[] {
  const a = new Array<number>(k * n).fill(0);
  const out: number[] = [];
  const db = (t: number, p: number): void => {
    if (t > n) {
      if (n % p === 0) out.push(...a.slice(1, p + 1));
      return;
    }
    a[t] = a[t - p]!;
    db(t + 1, p);
    for (let j = a[t - p]! + 1; j < k; j++) {
      a[t] = j;
      db(t + 1, t);
    }
  };
  db(1, 1);
  return [...out, ...out.slice(0, n - 1)];
}

/** Exact probability of every LENGTH-token continuation under plain sampling. */
function exactSequences(params: SamplingParams): Map<string, number> {
  const out = new Map<string, number>();
  const walk = (prefix: number[], p: number): void => {
    if (prefix.length === LENGTH) {
      out.set(prefix.join(','), p);
      return;
    }
    const dist = naiveDistribution(targetLogits([...PROMPT, ...prefix]), params.temperature, params.topP);
    for (let t = 0; t < VOCAB; t++) if (dist[t]! > 0) walk([...prefix, t], p * dist[t]!);
  };
  walk([], 1);
  return out;
}

const firstTokens = (): ((t: number) => Commit) => {
  let n = 0;
  return () => (++n >= LENGTH ? { emit: true, finish: 'length' } : { emit: true });
};

async function sample(params: SamplingParams, makeDrafter: () => Drafter, seed: number) {
  const rng = createRng(seed);
  const counts = new Map<string, number>();
  /** How many drafts the first verify step accepted, per run: every position must be reached. */
  const firstAccepted = new Array<number>(K + 1).fill(0);
  for (let s = 0; s < SAMPLES; s++) {
    let first = true;
    const r = await decodeSpeculative(new TinyModel(VOCAB, targetLogits), PROMPT, {
      sampling: params,
      rng,
      commit: firstTokens(),
      drafter: makeDrafter(),
      controller: new FixedDraftLength(K),
      onStep: (st) => {
        if (first && st.drafted === K) firstAccepted[st.accepted]!++;
        first = false;
      },
    });
    const key = r.tokens.join(',');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return { counts, firstAccepted };
}

const CONFIGS: SamplingParams[] = [
  { temperature: 1, topP: 1 },
  { temperature: 0.8, topP: 0.8 },
];

describe(`speculative sampling: the first K + 2 tokens follow the target (vocabulary ${VOCAB}, K = ${K})`, () => {
  for (const params of CONFIGS) {
    const exact = exactSequences(params);
    it(`draft model, T=${params.temperature}, top-p=${params.topP}`, async () => {
      const draftRng = createRng(21);
      const r = await sample(params, () => new DraftModelDrafter(new TinyModel(VOCAB, draftLogits), params, draftRng), 22);
      for (const n of r.firstAccepted) expect(n).toBeGreaterThan(SAMPLES / 50);
      expect(chiSquareP(r.counts, exact, SAMPLES)).toBeGreaterThan(0.001);
    });
    it(`prompt lookup, T=${params.temperature}, top-p=${params.topP}`, async () => {
      const r = await sample(params, () => new PromptLookupDrafter(), 23);
      for (const n of r.firstAccepted) expect(n).toBeGreaterThan(SAMPLES / 50);
      expect(chiSquareP(r.counts, exact, SAMPLES)).toBeGreaterThan(0.001);
    });
  }
});
