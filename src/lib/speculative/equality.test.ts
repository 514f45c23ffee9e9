// Temperature 0: speculative decoding must emit exactly the tokens plain decoding emits.
import { describe, expect, it } from 'vitest';
import { decodePlain, stopPolicy } from '../decoding';
import { createRng } from '../rng';
import { END_ID } from '../reference/vocab';
import { FixedDraftLength } from './controller';
import { DraftModelDrafter } from './draft-model';
import { decodeSpeculative } from './loop';
import { PromptLookupDrafter } from './prompt-lookup';
import { newDraft, newTarget, randomPrompt } from '../../../test/fakes/reference-sessions';
import { scaled } from '../../../test/fakes/test-scale';

const PROMPTS = scaled(500);
const MAX_TOKENS = 24;
const greedy = { temperature: 0, topP: 1 };
const commit = () => stopPolicy({ stopTokenIds: [END_ID], maxTokens: MAX_TOKENS });

describe('speculative = plain at temperature 0', () => {
  const plain = new Map<number, { tokens: number[]; finish: string; kv: number }>();
  it(`plain reference outputs for ${PROMPTS} prompts`, async () => {
    for (let i = 0; i < PROMPTS; i++) {
      const t = newTarget();
      const r = await decodePlain(t, randomPrompt(i), { sampling: greedy, rng: createRng(0), commit: commit() });
      plain.set(i, { tokens: r.tokens, finish: r.finishReason, kv: t.length });
    }
    expect(plain.size).toBe(PROMPTS);
  });

  for (const kind of ['prompt-lookup', 'draft-model'] as const) {
    it(`${kind}: identical tokens, finish reason and KV length for K = 1…8`, async () => {
      let drafted = 0;
      let accepted = 0;
      for (let k = 1; k <= 8; k++) {
        for (let i = 0; i < PROMPTS; i++) {
          const t = newTarget();
          const drafter = kind === 'draft-model' ? new DraftModelDrafter(newDraft(), greedy, createRng(1)) : new PromptLookupDrafter();
          const r = await decodeSpeculative(t, randomPrompt(i), {
            sampling: greedy,
            rng: createRng(0),
            commit: commit(),
            drafter,
            controller: new FixedDraftLength(k),
          });
          const p = plain.get(i)!;
          if (r.tokens.join() !== p.tokens.join()) expect({ i, k, tokens: r.tokens }).toEqual({ i, k, tokens: p.tokens });
          expect(r.finishReason).toBe(p.finish);
          expect(t.length).toBe(p.kv);
          drafted += r.stats.drafted;
          accepted += r.stats.accepted;
        }
      }
      // The drafters really drafted, and some (not all) drafts were accepted.
      expect(drafted).toBeGreaterThan(PROMPTS * 8);
      expect(accepted).toBeGreaterThan(0);
      expect(accepted).toBeLessThan(drafted);
    });
  }
});
