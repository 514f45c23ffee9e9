// The adaptive draft length against simulated GPU costs (virtual clock): it speeds up repetitive
// text, shortens drafts when acceptance falls, and turns itself off when drafting cannot pay.
import { describe, expect, it } from 'vitest';
import { decodePlain, stopPolicy } from '../decoding';
import { createRng } from '../rng';
import { renderPrompt } from '../reference/template';
import { VOCAB_SIZE } from '../reference/vocab';
import { AdaptiveDraftLength } from './controller';
import { CostedModel, DRAFT_COSTS, TARGET_COSTS, VirtualClock } from '../reference/cost-model';
import { DraftModelDrafter } from './draft-model';
import { decodeSpeculative } from './loop';
import { PromptLookupDrafter } from './prompt-lookup';
import type { Drafter } from './types';
import { newDraft, newTarget } from '../../../test/fakes/reference-sessions';

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
  const r = await decodeSpeculative(target, prompt, { sampling: greedy, rng: createRng(0), commit, drafter, controller, clock: clock.now, onStep: () => ks.push(controller.k) });
  return { time: clock.now(), tokens: r.tokens, stats: r.stats, controller, ks };
}

const REPETITIVE = renderPrompt([{ role: 'user', content: 'const cache = load(file); return cache; '.repeat(12) }]);

describe('adaptive draft length', () => {
  it('with a drafter that is always wrong, ends at most 5% slower than plain decoding', async () => {
    const plain = await timed(REPETITIVE, undefined);
    const spec = await timed(REPETITIVE, new WrongDrafter());
    expect(spec.tokens).toEqual(plain.tokens);
    expect(spec.stats!.accepted).toBe(0);
    expect(spec.controller!.off).toBe(true);
    expect(spec.stats!.offReason).toMatch(/did not pay/);
    expect(spec.time / plain.time).toBeLessThanOrEqual(1.05);
  });

  it('speeds up repetitive text with prompt lookup, in far fewer target passes', async () => {
    const plain = await timed(REPETITIVE, undefined);
    const spec = await timed(REPETITIVE, new PromptLookupDrafter());
    expect(spec.tokens).toEqual(plain.tokens);
    expect(plain.time / spec.time).toBeGreaterThan(1.5);
    expect(spec.stats!.targetPasses / spec.tokens.length).toBeLessThanOrEqual(0.5);
  });

  it('a draft model pays on free text only when its cost is covered; the choice is made by measurement', async () => {
    const prompt = renderPrompt([{ role: 'user', content: 'Tell me about the model and the network.' }]);
    const clock = new VirtualClock();
    const drafter = new DraftModelDrafter(new CostedModel(newDraft(), DRAFT_COSTS, clock.charge), greedy, createRng(0));
    const controller = new AdaptiveDraftLength({ maxK: 6 });
    const target = new CostedModel(newTarget(), TARGET_COSTS, clock.charge);
    const r = await decodeSpeculative(target, prompt, { sampling: greedy, rng: createRng(0), commit: stopPolicy({ stopTokenIds: [], maxTokens: TOKENS }), drafter, controller, clock: clock.now });
    const plain = await timed(prompt, undefined);
    expect(r.tokens).toEqual(plain.tokens);
    // Either it kept drafting and won, or it measured a loss and switched off close to plain speed.
    if (controller.off) expect(clock.now() / plain.time).toBeLessThanOrEqual(1.1);
    else expect(plain.time / clock.now()).toBeGreaterThan(1);
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
