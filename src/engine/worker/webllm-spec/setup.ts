// What speculation can do with a loaded WebLLM model: the verify functions its library exports,
// its eligibility, the draft model's tokenizer check, and the on-device self-check (a short greedy
// run, plain and speculative, on a cleared cache). Runs in the engine worker.

import { decodePlain, stopPolicy } from '../../../lib/decoding';
import { createRng } from '../../../lib/rng';
import { FixedDraftLength } from '../../../lib/speculative/controller';
import { modelIneligibility } from '../../../lib/speculative/eligibility';
import { decodeSpeculative } from '../../../lib/speculative/loop';
import { PromptLookupDrafter } from '../../../lib/speculative/prompt-lookup';
import { SELF_CHECK_TOKENS, compareRuns, type SelfCheckResult } from '../../../lib/speculative/self-check';
import { missingPipelineMembers, type PipelineInternals } from './internals';
import { trackKvTokens } from './kv-record';
import { PipelineModel, findVerifyFunctions } from './pipeline-model';
import { pipelineTraits } from './traits';

export interface SpecReadiness {
  model?: PipelineModel;
  /** Why this model cannot speculate, when it cannot. */
  reason?: string;
}

export function prepareModel(pipe: PipelineInternals | undefined, vocabSize: number | undefined): SpecReadiness {
  if (!pipe) return { reason: 'the model is not loaded' };
  const missing = missingPipelineMembers(pipe);
  if (missing.length) return { reason: `this WebLLM build lacks ${missing.join(', ')}` };
  const f = findVerifyFunctions(pipe);
  const reason = modelIneligibility(pipelineTraits(pipe, f));
  if (reason) return { reason };
  if (!vocabSize) return { reason: 'the model config has no vocab_size' };
  // From here on, plain rounds too leave a record of what the cache holds, for the drafters.
  trackKvTokens(pipe);
  return { model: new PipelineModel(pipe, { popn: f.popn!, batchPrefill: f.batchPrefill, batchVerify: f.batchVerify, maxBatchSize: f.maxBatchSize ?? 1, vocabSize }) };
}

const SELF_CHECK_TEXT = 'Repeat exactly: the cache holds the model, and the model reads the cache. The cache holds the model.';

/**
 * Greedy plain vs speculative on this GPU. Clears the model's chat first (WebLLM then prefills the
 * next request in full) and leaves the cache empty again.
 */
export async function selfCheck(model: PipelineModel, k: number): Promise<SelfCheckResult> {
  const pipe = model.pipe;
  pipe.resetChat(true);
  const prompt = [...pipe.tokenizer.encode(SELF_CHECK_TEXT)];
  const greedy = { temperature: 0, topP: 1 };
  const commit = () => stopPolicy({ stopTokenIds: [], maxTokens: SELF_CHECK_TOKENS });
  try {
    const plain = await decodePlain(model, prompt, { sampling: greedy, rng: createRng(0), commit: commit() });
    model.rollback(model.length);
    const spec = await decodeSpeculative(model, prompt, { sampling: greedy, rng: createRng(0), commit: commit(), drafter: new PromptLookupDrafter(), controller: new FixedDraftLength(k) });
    return compareRuns(plain.tokens, spec.tokens);
  } finally {
    if (model.length > 0) model.rollback(model.length);
    pipe.resetChat(true);
  }
}
