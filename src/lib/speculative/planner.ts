// The speculation planner, one policy for both engines: for each reply, which drafter runs (with
// its draft-length controller) or, in words, why the reply decodes plainly; and the summaries a reply
// reports. Each backend supplies only what differs: whether its loaded target can speculate,
// request-level checks, its self-check runner and its draft-model drafter. Invariant: the self-check
// runs once per target model, the first time it would speculate; its verdict holds until that model
// is loaded with a draft model again (a check without the draft model says nothing about drafting).

import { AdaptiveDraftLength } from './controller';
import { PromptLookupDrafter } from './prompt-lookup';
import type { SelfCheckResult } from './self-check';
import type { Drafter, DrafterKind, SpecRequest, SpecStats, SpecSummary } from './types';

/** Draft tokens per step in the self-check, at most (fewer when the request allows fewer). */
export const SELF_CHECK_DRAFT_TOKENS = 4;

/** What a backend supplies for a loaded target that can speculate. */
export interface SpeculationTarget {
  /** Why this request must decode plainly (JSON mode, penalties…), if it must. */
  requestReason?: () => string | undefined;
  /** Runs the on-device self-check with at most k draft tokens per step. */
  selfCheck: (k: number) => Promise<SelfCheckResult>;
  /** Builds the draft-model drafter; absent when no draft model is loaded. */
  draftModel?: () => Drafter;
}

/** One request to plan: the loaded target (or why it cannot speculate at all) and what was asked. */
export interface PlanInput {
  modelId: string;
  speculative?: SpecRequest;
  target: SpeculationTarget | string;
  /** Why the requested draft model is not in use, when it is not. */
  draftNote?: string;
}

export type Plan = { drafter: Drafter; controller: AdaptiveDraftLength; reason?: undefined } | { drafter?: undefined; reason: string };

export class SpeculationPlanner {
  /** Self-check verdict per target model id: null = passed, else the reason speculation stays off. */
  readonly #verdicts = new Map<string, string | null>();

  /** Tells the planner a model was loaded, and whether a draft model was loaded beside it. */
  loaded(modelId: string, withDraft: boolean): void {
    if (withDraft) this.#verdicts.delete(modelId);
  }

  async plan(p: PlanInput): Promise<Plan> {
    const spec = p.speculative;
    if (!spec || spec.mode === 'off') return { reason: 'speculative decoding is off' };
    if (spec.draftTokens <= 0) return { reason: 'draft tokens is 0' };
    const target = p.target;
    if (typeof target === 'string') return { reason: `this model cannot speculate: ${target}` };
    const requestReason = target.requestReason?.();
    if (requestReason) return { reason: `plain decoding for this reply: ${requestReason}` };
    const failed = await this.#verdict(p.modelId, () => target.selfCheck(Math.min(spec.draftTokens, SELF_CHECK_DRAFT_TOKENS)));
    if (failed) return { reason: failed };
    const controller = new AdaptiveDraftLength({ maxK: spec.draftTokens });
    if (spec.mode === 'draft-model' || (spec.mode === 'auto' && target.draftModel)) {
      if (!target.draftModel) return { reason: p.draftNote ?? 'no draft model is loaded (choose one in settings and load again)' };
      return { drafter: target.draftModel(), controller };
    }
    return { drafter: new PromptLookupDrafter(), controller };
  }

  /** The reason the self-check failed for this model (running it the first time), or undefined. */
  async #verdict(modelId: string, run: () => Promise<SelfCheckResult>): Promise<string | undefined> {
    if (!this.#verdicts.has(modelId)) {
      const r = await run().catch((err: unknown) => ({
        ok: false,
        reason: `the self-check failed: ${err instanceof Error ? err.message : String(err)}`,
      }));
      this.#verdicts.set(modelId, r.ok ? null : (r.reason ?? 'the self-check failed'));
    }
    return this.#verdicts.get(modelId) ?? undefined;
  }
}

/** Why the draft model asked for at load cannot be loaded beside the target, if it cannot. */
export function draftPairingNote(targetId: string, draftId: string, known: (id: string) => boolean): string | undefined {
  if (draftId === targetId) return 'a model cannot draft for itself';
  if (!known(draftId)) return `"${draftId}" is not in the catalog`;
  return undefined;
}

/** A plain reply's speculative counts: none (its plain steps are not timed one by one). */
const NO_SPEC_PASSES = { specPasses: 0, specTokens: 0, specMs: 0, plainMs: 0 } as const;

/** What speculation did so far in a reply: streamed after every step, and as the reply's result. */
export function specSummary(used: DrafterKind, stats: SpecStats): SpecSummary {
  const { drafted, accepted, targetPasses, passTokens, specPasses, specTokens, specMs, plainMs } = stats;
  const summary: SpecSummary = { used, drafted, accepted, targetPasses, passTokens, specPasses, specTokens, specMs, plainMs };
  if (stats.offReason) summary.reason = `speculation switched off during this reply: ${stats.offReason}`;
  return summary;
}

/** A reply decoded plainly: one target pass per token, and why there was no speculation. */
export function plainSummary(passes: number, reason: string | undefined): SpecSummary {
  const summary: SpecSummary = { used: 'off', drafted: 0, accepted: 0, targetPasses: passes, passTokens: passes, ...NO_SPEC_PASSES };
  if (reason) summary.reason = reason;
  return summary;
}
