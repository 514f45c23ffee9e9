// Shared fixtures for the speculative tests and benchmarks: reference target and draft sessions,
// and prompts with the repetition real conversations have (so prompt lookup finds matches).

import { createRng, type Rng } from '../../src/lib/rng';
import { REFERENCE_DRAFT, REFERENCE_TINY, ReferenceModel } from '../../src/lib/reference/model';
import { ReferenceSession } from '../../src/lib/reference/session';
import { renderPrompt } from '../../src/lib/reference/template';
import { WORD_TOKENS } from '../../src/lib/reference/vocab';

export const targetModel = new ReferenceModel(REFERENCE_TINY);
export const draftModel = new ReferenceModel(REFERENCE_DRAFT);

export const newTarget = (contextWindow = 4096) =>
  new ReferenceSession(contextWindow === 4096 ? targetModel : new ReferenceModel({ ...REFERENCE_TINY, contextWindow }));
export const newDraft = () => new ReferenceSession(draftModel);

const pick = <T>(rng: Rng, list: readonly T[]): T => list[Math.floor(rng() * list.length)]!;

/** A user message of random words with a phrase repeated, rendered with the chat template. */
export function randomPrompt(seed: number): number[] {
  const rng = createRng(seed);
  const words = Array.from({ length: 4 + Math.floor(rng() * 20) }, () => pick(rng, WORD_TOKENS));
  const phrase = words.slice(0, Math.max(2, Math.floor(words.length / 2))).join('');
  const text = `${words.join('')}${rng() < 0.7 ? phrase + words.slice(1, 4).join('') : ''}`;
  return renderPrompt([{ role: 'user', content: text }]);
}
