// The adaptive draft length against simulated GPU costs (virtual clock): it speeds up repetitive
// text, shortens drafts when acceptance falls, and turns itself off when drafting cannot pay,
// measured against the engine's own plain step and with the CPU work of acceptance counted.
import { describe, expect, it } from 'vitest';
import { decodePlain, stopPolicy } from '../decoding';
import { createRng } from '../rng';
import { renderPrompt } from '../reference/template';
import { VOCAB_SIZE } from '../reference/vocab';
import { argmax, sampleToken } from '../sampling';
import { AdaptiveDraftLength, type DraftLengthPolicy } from './controller';
import { CostedModel, DRAFT_COSTS, TARGET_COSTS, VirtualClock } from '../reference/cost-model';
import { DraftModelDrafter } from './draft-model';
import { decodeSpeculative } from './loop';
import { PromptLookupDrafter } from './prompt-lookup';
import type { Drafter } from './types';
import { newDraft, newTarget, targetModel } from '../../../test/fakes/reference-sessions';

const greedy = { temperature: 0, topP: 1 };
const TOKENS = 200;

/** Proposes tokens the target never picks at temperature 0 (its least likely ones). */
class WrongDrafter implements Drafter {
  readonly kind = 'prompt-lookup' as const;
  propose(_: readonly number[], k: number) {
    return { tokens: Array.from({ length: k }, (_, i) => (VOCAB_SIZE - 1 - i) % VOCAB_SIZE) };
  }
}

async function timed(prompt: number[], drafter: Drafter | undefined, maxK = 6) {
  const clock = new VirtualClock();
  const target = new CostedModel(newTarget(), TARGET_COSTS, clock.charge);
  const commit = stopPolicy({ stopTokenIds: [], maxTokens: TOKENS });
  if (!drafter) {
    const r = await decodePlain(target, prompt, { sampling: greedy, rng: createRng(0), commit });
    return { time: clock.now(), tokens: r.tokens, stats: undefined, controller: undefined };
  }
  const controller = new AdaptiveDraftLength({ maxK });
  const ks: number[] = [];
  const r = await decodeSpeculative(target, prompt, {
    sampling: greedy,
    rng: createRng(0),
    commit,
    drafter,
    controller,
    clock: clock.now,
    onStep: () => ks.push(controller.k),
  });
  return { time: clock.now(), tokens: r.tokens, stats: r.stats, controller, ks };
}

/** Proposes the target's own greedy continuation (always accepted at temperature 0), at a cost per token. */
class CostlyOracle implements Drafter {
  readonly kind = 'draft-model' as const;
  readonly #charge: (ms: number) => void;
  readonly #msPerToken: number;
  constructor(charge: (ms: number) => void, msPerToken: number) {
    this.#charge = charge;
    this.#msPerToken = msPerToken;
  }
  propose(context: readonly number[], k: number) {
    const tokens: number[] = [];
    for (let i = 0; i < k; i++) tokens.push(argmax(targetModel.logits([...context, ...tokens])));
    this.#charge(k * this.#msPerToken);
    return { tokens };
  }
}

const REPETITIVE = renderPrompt([{ role: 'user', content: 'const cache = load(file); return cache; '.repeat(12) }]);

/** The repetitive prompt decoded plain and with `drafter`: speculation must not change a token. */
async function againstPlain(drafter: Drafter) {
  const plain = await timed(REPETITIVE, undefined);
  const spec = await timed(REPETITIVE, drafter);
  expect(spec.tokens).toEqual(plain.tokens);
  return { plain, spec };
}

describe('adaptive draft length', () => {
  it('with a drafter that is always wrong, ends at most 5% slower than plain decoding', async () => {
    const { plain, spec } = await againstPlain(new WrongDrafter());
    expect(spec.stats!.accepted).toBe(0);
    expect(spec.controller!.off).toBe(true);
    expect(spec.stats!.offReason).toMatch(/did not pay/);
    expect(spec.time / plain.time).toBeLessThanOrEqual(1.05);
  });

  it('speeds up repetitive text with prompt lookup, in far fewer target passes', async () => {
    const { plain, spec } = await againstPlain(new PromptLookupDrafter());
    expect(plain.time / spec.time).toBeGreaterThan(1.5);
    expect(spec.stats!.targetPasses / spec.tokens.length).toBeLessThanOrEqual(0.5);
  });

  it('a draft model pays on free text only when its cost is covered; the choice is made by measurement', async () => {
    const prompt = renderPrompt([{ role: 'user', content: 'Tell me about the model and the network.' }]);
    const clock = new VirtualClock();
    const drafter = new DraftModelDrafter(new CostedModel(newDraft(), DRAFT_COSTS, clock.charge), greedy, createRng(0));
    const controller = new AdaptiveDraftLength({ maxK: 6 });
    const target = new CostedModel(newTarget(), TARGET_COSTS, clock.charge);
    const r = await decodeSpeculative(target, prompt, {
      sampling: greedy,
      rng: createRng(0),
      commit: stopPolicy({ stopTokenIds: [], maxTokens: TOKENS }),
      drafter,
      controller,
      clock: clock.now,
    });
    const plain = await timed(prompt, undefined);
    expect(r.tokens).toEqual(plain.tokens);
    // Either it kept drafting and won, or it measured a loss and switched off close to plain speed.
    if (controller.off) expect(clock.now() / plain.time).toBeLessThanOrEqual(1.1);
    else expect(plain.time / clock.now()).toBeGreaterThan(1);
  });

  it('times a verify step end to end, the CPU work of acceptance included', async () => {
    const clock = new VirtualClock();
    const target = new CostedModel(newTarget(), TARGET_COSTS, clock.charge);
    const base = createRng(1);
    // Each uniform drawn stands for CPU work of the sampler: it advances the clock by 1 ms. Only
    // the prefill's first sample and acceptance draw (prompt lookup drafts without randomness).
    let draws = 0;
    const rng = () => {
      draws++;
      clock.charge(1);
      return base();
    };
    let drawsBefore = 1;
    const seen: { verifyMs: number; expected: number; draws: number }[] = [];
    const policy: DraftLengthPolicy = {
      k: 3,
      offReason: undefined,
      observeDecode() {},
      observeVerify(drafted, _accepted, verifyMs) {
        const stepDraws = draws - drawsBefore;
        seen.push({
          verifyMs,
          expected: TARGET_COSTS.decodeMs * (1 + TARGET_COSTS.verifyMarginal * drafted) + stepDraws,
          draws: stepDraws,
        });
      },
    };
    await decodeSpeculative(target, REPETITIVE, {
      sampling: { temperature: 0.8, topP: 0.95 },
      rng,
      commit: stopPolicy({ stopTokenIds: [], maxTokens: TOKENS }),
      drafter: new PromptLookupDrafter(),
      controller: policy,
      clock: clock.now,
      onStep: () => void (drawsBefore = draws),
    });
    expect(seen.length).toBeGreaterThan(3);
    expect(seen.some((s) => s.draws > 0)).toBe(true);
    for (const s of seen) expect(s.verifyMs).toBeCloseTo(s.expected, 9);
  });

  it("compares with the engine's own plain step, not a slower CPU-sampled one, and switches off when it loses", async () => {
    // decodeOne pays for reading a logits row back and sampling it on the CPU (10 ms here); the
    // engine's own plain step samples on the GPU and pays only the decode. A draft model that is
    // always right but costs 26 ms per token beats the first (26.5 ms per token at K = 1, against
    // 35) but not the second (25).
    const clock = new VirtualClock();
    const inner = newTarget();
    const target = new CostedModel(inner, TARGET_COSTS, clock.charge);
    const readBack = {
      vocabSize: target.vocabSize,
      contextWindow: target.contextWindow,
      get length() {
        return target.length;
      },
      prefill: (t: readonly number[]) => target.prefill(t),
      verify: (t: readonly number[]) => target.verify(t),
      rollback: (n: number) => target.rollback(n),
      decodeOne: async (t: number) => {
        const out = await target.decodeOne(t);
        clock.charge(10);
        return out;
      },
    };
    const rng = createRng(0);
    const plainStep = async (t: number) => sampleToken(await target.decodeOne(t), greedy, rng);
    const controller = new AdaptiveDraftLength({ maxK: 6 });
    const r = await decodeSpeculative(readBack, REPETITIVE, {
      sampling: greedy,
      rng,
      commit: stopPolicy({ stopTokenIds: [], maxTokens: TOKENS }),
      drafter: new CostlyOracle(clock.charge, 26),
      controller,
      clock: clock.now,
      plainStep,
    });
    const plainTime = clock.now();
    const plainClock = new VirtualClock();
    const plain = await decodePlain(new CostedModel(newTarget(), TARGET_COSTS, plainClock.charge), REPETITIVE, {
      sampling: greedy,
      rng: createRng(0),
      commit: stopPolicy({ stopTokenIds: [], maxTokens: TOKENS }),
    });
    expect(r.tokens).toEqual(plain.tokens);
    expect(r.stats.accepted).toBe(r.stats.drafted);
    expect(controller.off).toBe(true);
    expect(plainTime / plainClock.now()).toBeLessThanOrEqual(1.1);
  });

  it('shortens the draft when acceptance drops', () => {
    const c = new AdaptiveDraftLength({ maxK: 8 });
    c.observeDecode(25);
    for (let i = 0; i < 5; i++) c.observeVerify(8, 8, 25 * 1.56, 1);
    const high = c.k;
    for (let i = 0; i < 8; i++) c.observeVerify(c.k, 0, 25 * (1 + 0.08 * c.k), 1);
    expect(high).toBeGreaterThanOrEqual(6);
    expect(c.k).toBeLessThan(high);
  });

  it('starts with one plain step to measure a decode, then drafts', () => {
    const c = new AdaptiveDraftLength({ maxK: 4 });
    expect(c.k).toBe(0);
    c.observeDecode(20);
    expect(c.k).toBe(4);
    expect(new AdaptiveDraftLength({ maxK: 0 }).off).toBe(true);
  });
});
