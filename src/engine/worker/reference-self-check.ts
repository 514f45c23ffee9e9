// The speculation self-check for the reference engine: a short greedy run, plain and speculative,
// compared token for token. `corrupt` simulates a GPU whose verify kernels disagree with its decode
// kernels (a test hook), so the "speculation stays off" path can be seen end to end.

import { decodePlain, stopPolicy } from '../../lib/decoding';
import { createRng } from '../../lib/rng';
import type { ReferenceModel } from '../../lib/reference/model';
import { ReferenceSession } from '../../lib/reference/session';
import { renderPrompt } from '../../lib/reference/template';
import { FixedDraftLength } from '../../lib/speculative/controller';
import { decodeSpeculative } from '../../lib/speculative/loop';
import { PromptLookupDrafter } from '../../lib/speculative/prompt-lookup';
import { SELF_CHECK_TOKENS, compareRuns, type SelfCheckResult } from '../../lib/speculative/self-check';

const PROMPT = renderPrompt([{ role: 'user', content: 'Repeat after me: the model loads the cache, the model loads the cache.' }]);

/** A session whose verify rows are perturbed, like numerically different verify kernels. */
class DisagreeingSession extends ReferenceSession {
  override verify(tokens: readonly number[]): Float32Array {
    const rows = super.verify(tokens);
    for (let i = 0; i < rows.length; i += 7) rows[i]! += 25;
    return rows;
  }
}

export async function runSelfCheck(model: ReferenceModel, k: number, corrupt: boolean): Promise<SelfCheckResult> {
  const greedy = { temperature: 0, topP: 1 };
  const commit = () => stopPolicy({ stopTokenIds: [], maxTokens: SELF_CHECK_TOKENS });
  const plain = await decodePlain(new ReferenceSession(model), PROMPT, { sampling: greedy, rng: createRng(0), commit: commit() });
  const specSession = corrupt ? new DisagreeingSession(model) : new ReferenceSession(model);
  const spec = await decodeSpeculative(specSession, PROMPT, { sampling: greedy, rng: createRng(0), commit: commit(), drafter: new PromptLookupDrafter(), controller: new FixedDraftLength(k) });
  return compareRuns(plain.tokens, spec.tokens);
}
