// The figures a person reads about speculation in one reply: acceptance and tokens per pass over
// the speculative passes only (plain passes after speculation switched itself off do not dilute
// them), and the speed-up against plain decoding as measured on this device in that same reply:
// tokens per ms of the speculative steps over tokens per ms of the plain steps the controller
// timed. Without a timed plain step (or a speculative one) there is no speed-up to state.

import type { MessageSpec as Summary } from '../conversation';

/** Plain steps a reply must have timed before its speed-up is stated. */
export const MIN_PLAIN_STEPS = 1;

export type Speedup = { value: number; why?: undefined } | { value?: undefined; why: string };

/** Fraction of draft tokens accepted (0 when none were drafted). */
export function acceptanceRate(s: Summary): number {
  return s.drafted > 0 ? s.accepted / s.drafted : 0;
}

/** Tokens each speculative pass produced on average (0 when none ran). */
export function tokensPerSpecPass(s: Summary): number {
  // Older records counted every pass together: the best figure they hold.
  const passes = s.specPasses ?? s.targetPasses;
  const tokens = s.specTokens ?? s.passTokens;
  return passes > 0 ? tokens / passes : 0;
}

/** Speculative steps' tokens per ms over plain steps' tokens per ms, when both were timed. */
export function measuredSpeedup(s: Summary): Speedup {
  if (s.used === 'off' || !s.specPasses) return { why: 'no speculative step ran' };
  const plainSteps = s.targetPasses - s.specPasses;
  if (plainSteps < MIN_PLAIN_STEPS || !s.plainMs || !s.specMs) return { why: 'too few plain steps were timed to compare' };
  return { value: s.specTokens! / s.specMs / (plainSteps / s.plainMs) };
}
