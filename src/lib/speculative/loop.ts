// Speculative decoding, written once against the narrow StepModel interface. Each step drafts k
// tokens, verifies [pending, d1..dk] in one target pass, accepts a prefix, rolls the target's KV
// back over the rejected positions and commits the accepted tokens plus one more. Commits go
// through the same rule as plain decoding, and a stop, max_tokens or the end of the context inside
// an accepted run leaves the target's state exactly as plain decoding would. The draft-length
// controller sees what each choice costs end to end: a verify step from the pass to the rollback
// (the CPU work of acceptance included), a plain step as the engine runs it with speculation off.
// The KV and lossless invariants it keeps: ARCHITECTURE.md, "Invariants".

import { now, type DecodeOptions, type DecodeResult, type FinishReason, type StepModel } from '../decoding';
import { sampleToken } from '../sampling';
import { acceptGreedy, acceptSampled, scratchFor } from './accept';
import type { DraftLengthPolicy } from './controller';
import type { Drafter, SpecStats } from './types';

interface SpeculativeOptions extends DecodeOptions {
  drafter: Drafter;
  controller: DraftLengthPolicy;
  /** Tokens of the conversation before the prompt's new part (prompt lookup searches them too). */
  history?: readonly number[];
  /** Called after every step with the stats so far. */
  onStep?: (stats: SpecStats) => void;
  /**
   * A plain decode step exactly as the engine runs it with speculation off (its own forward pass and
   * sampling), returning the next token: what speculation has to beat. Without it, decodeOne and
   * the CPU sampler.
   */
  plainStep?: (token: number) => Promise<number> | number;
  /** Measures time (a virtual clock in tests and benchmarks). */
  clock?: () => number;
  /**
   * Replaces the prefill and the first sample (an engine that prefills its own way): resolves with
   * the first token and the tokens now in the target's KV cache.
   */
  start?: () => Promise<{ first: number; context: number[] }>;
}

interface SpeculativeResult extends DecodeResult {
  stats: SpecStats;
  /** For each emitted token, whether it was an accepted draft token. */
  fromDraft: boolean[];
  /** The tokens in the target's KV cache at the end. */
  kvTokens: number[];
}

export async function decodeSpeculative(
  target: StepModel,
  promptIds: readonly number[],
  o: SpeculativeOptions,
): Promise<SpeculativeResult> {
  const clock = o.clock ?? now;
  const vocab = target.vocabSize;
  const greedy = o.sampling.temperature <= 0;
  const scratch = greedy ? undefined : scratchFor(vocab);
  const tokens: number[] = [];
  const fromDraft: boolean[] = [];
  const stats: SpecStats = { drafted: 0, accepted: 0, targetPasses: 0, passTokens: 0, specPasses: 0, specTokens: 0, specMs: 0, plainMs: 0 };
  const t0 = clock();
  let context: number[];
  let x: number;
  if (o.start) {
    const started = await o.start();
    context = started.context;
    x = started.first;
  } else {
    const first = await target.prefill(promptIds);
    context = [...(o.history ?? []), ...promptIds];
    x = sampleToken(first, o.sampling, o.rng);
  }
  const prefillMs = clock() - t0;
  const t1 = clock();
  const done = (finishReason: FinishReason): SpeculativeResult => {
    if (o.controller.offReason) stats.offReason = o.controller.offReason;
    return {
      tokens,
      finishReason,
      prefillMs,
      decodeMs: clock() - t1,
      targetPasses: stats.targetPasses,
      stats,
      fromDraft,
      kvTokens: context.slice(0, target.length),
    };
  };

  // `context` is the conversation so far: everything in the target's KV plus the pending token.
  if (o.aborted?.()) return done('abort');
  {
    const c = await o.commit(x, false, target.length);
    if (c.emit) {
      tokens.push(x);
      fromDraft.push(false);
    }
    if (c.finish) return done(c.finish);
    if (target.length + 1 > target.contextWindow) return done('length');
  }
  context.push(x);

  for (;;) {
    if (o.aborted?.()) return done('abort');
    const base = target.length;
    const k = Math.min(o.controller.k, target.contextWindow - base - 1, target.maxDraftTokens ?? Number.POSITIVE_INFINITY);
    let drafts: number[] = [];
    let q: Float32Array[] | undefined;
    let draftMs = 0;
    if (k > 0) {
      const td = clock();
      const proposal = await o.drafter.propose(context, k);
      draftMs = clock() - td;
      drafts = proposal.tokens.slice(0, k);
      q = proposal.q;
    }
    let out: number[];
    let m = 0;
    const tv = clock();
    if (drafts.length === 0) {
      out = [o.plainStep ? await o.plainStep(x) : sampleToken(await target.decodeOne(x), o.sampling, o.rng)];
      const ms = clock() - tv;
      o.controller.observeDecode(ms);
      stats.plainMs += ms;
    } else {
      const rows = await target.verify([x, ...drafts]);
      const v = greedy ? acceptGreedy(rows, vocab, drafts) : acceptSampled(rows, vocab, drafts, q, o.sampling, o.rng, scratch);
      m = v.accepted;
      await target.rollback(drafts.length - m);
      const verifyMs = clock() - tv;
      o.controller.observeVerify(drafts.length, m, verifyMs, draftMs);
      stats.drafted += drafts.length;
      stats.accepted += m;
      out = [...drafts.slice(0, m), v.next];
      stats.specPasses++;
      stats.specTokens += out.length;
      stats.specMs += draftMs + verifyMs;
    }
    stats.targetPasses++;
    stats.passTokens += out.length;
    for (let j = 0; j < out.length; j++) {
      const c = await o.commit(out[j]!, j < m, base + 1 + j);
      if (c.emit) {
        tokens.push(out[j]!);
        fromDraft.push(j < m);
      }
      // Plain decoding would hold base + 1 + j positions here; drop the extra accepted ones.
      if (c.finish) {
        await target.rollback(m - j);
        o.onStep?.(stats);
        return done(c.finish);
      }
      if (base + 1 + j + 1 > target.contextWindow) {
        await target.rollback(m - j);
        o.onStep?.(stats);
        return done('length');
      }
      context.push(out[j]!);
    }
    x = out.at(-1)!;
    o.onStep?.(stats);
  }
}
