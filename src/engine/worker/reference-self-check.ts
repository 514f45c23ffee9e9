// The speculation self-check for the reference engine: a short greedy run, plain and speculative,
// compared token for token. `corrupt` simulates a GPU whose verify kernels disagree with its decode
// kernels (a test hook), so the "speculation stays off" path can be seen end to end.

import type { ReferenceModel } from '../../lib/reference/model';
import { ReferenceSession } from '../../lib/reference/session';
import { renderPrompt } from '../../lib/reference/template';
import { PromptLookupDrafter } from '../../lib/speculative/prompt-lookup';
import { compareRuns, selfCheckRun, type SelfCheckResult } from '../../lib/speculative/self-check';

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
  const plain = await selfCheckRun(new ReferenceSession(model), PROMPT);
  const specSession = corrupt ? new DisagreeingSession(model) : new ReferenceSession(model);
  return compareRuns(plain, await selfCheckRun(specSession, PROMPT, { drafter: new PromptLookupDrafter(), k }));
}
