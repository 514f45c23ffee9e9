// What speculation can do with a loaded WebLLM model: the verify functions its library exports and
// which of them fits the GPU, its eligibility, and the on-device self-check (a short greedy run,
// plain and then speculative with each drafter, the cache reset between runs as WebLLM resets it
// for a new chat). Runs in the engine worker.

import { createRng } from '../../../lib/rng';
import { modelIneligibility } from '../../../lib/speculative/eligibility';
import { DraftModelDrafter } from '../../../lib/speculative/draft-model';
import { PromptLookupDrafter } from '../../../lib/speculative/prompt-lookup';
import { GREEDY, compareRuns, selfCheckRun, type SelfCheckResult } from '../../../lib/speculative/self-check';
import type { Drafter } from '../../../lib/speculative/types';
import { planVerify, type VerifyMemory } from '../../../lib/speculative/verify-plan';
import { missingPipelineMembers, type PipelineInternals } from './internals';
import { trackKvTokens } from './kv-record';
import { PipelineModel, findVerifyFunctions } from './pipeline-model';
import { pipelineTraits } from './traits';

interface SpecReadiness {
  model?: PipelineModel;
  /** Why this model cannot speculate, when it cannot. */
  reason?: string;
}

interface PrepareOptions {
  /** What the sizing leaves for the verify pass (see planVerify); undefined when the page sent none. */
  memory?: VerifyMemory;
  /** A draft model only prefills, decodes and rolls back: no verify function is chosen for it. */
  drafting?: boolean;
}

export function prepareModel(pipe: PipelineInternals | undefined, vocabSize: number | undefined, o: PrepareOptions = {}): SpecReadiness {
  if (!pipe) return { reason: 'the model is not loaded' };
  const missing = missingPipelineMembers(pipe);
  if (missing.length) return { reason: `this WebLLM build lacks ${missing.join(', ')}` };
  const f = findVerifyFunctions(pipe);
  const reason = modelIneligibility(pipelineTraits(pipe, f));
  if (reason) return { reason };
  if (!vocabSize) return { reason: 'the model config has no vocab_size' };
  // From here on, plain rounds too leave a record of what the cache holds, for the drafters.
  trackKvTokens(pipe);
  const base = { popn: f.popn!, batchPrefill: f.batchPrefill, batchVerify: f.batchVerify, maxBatchSize: f.maxBatchSize ?? 1, vocabSize };
  if (o.drafting) return { model: new PipelineModel(pipe, base) };
  const plan = planVerify(
    {
      batchPrefill: !!f.batchPrefill,
      batchVerify: !!f.batchVerify,
      maxBatchSize: f.maxBatchSize,
      batchVerifyBytes: f.batchVerifyBytes,
      prefillChunk: pipe.prefillChunkSize,
      vocabSize,
    },
    o.memory,
  );
  if (!plan.fn) return { reason: plan.reason };
  return { model: new PipelineModel(pipe, { ...base, use: plan.fn, maxDraftTokens: plan.maxDraftTokens }) };
}

const SELF_CHECK_TEXT = 'Repeat exactly: the cache holds the model, and the model reads the cache. The cache holds the model.';

/** The loaded draft model and its record of its cache (emptied here, as the cache is). */
interface SelfCheckDraft {
  model: PipelineModel;
  kv: number[];
}

/** Empties a model's cache the way WebLLM starts a new chat (kv_state_clear + add_sequence). */
function resetCache(model: PipelineModel): void {
  model.pipe.resetChat(true);
}

/**
 * Greedy plain vs speculative on this GPU, once with prompt lookup and once with the draft model
 * when one is loaded; any difference (or error) fails the check. Resets the chat before, between and
 * after the runs (WebLLM then prefills the next request in full).
 */
export async function selfCheck(model: PipelineModel, k: number, draft?: SelfCheckDraft): Promise<SelfCheckResult> {
  const pipe = model.pipe;
  const resetDraft = () => {
    if (!draft) return;
    resetCache(draft.model);
    draft.kv.length = 0;
  };
  try {
    resetCache(model);
    const prompt = [...pipe.tokenizer.encode(SELF_CHECK_TEXT)];
    const plain = await selfCheckRun(model, prompt);
    const drafters: [string, () => Drafter][] = [['prompt lookup', () => new PromptLookupDrafter()]];
    if (draft) drafters.push(['the draft model', () => new DraftModelDrafter(draft.model, GREEDY, createRng(0), draft.kv)]);
    let result: SelfCheckResult | undefined;
    for (const [label, make] of drafters) {
      resetCache(model);
      resetDraft();
      result = compareRuns(plain, await selfCheckRun(model, prompt, { drafter: make(), k }));
      if (!result.ok) return { ...result, reason: `${result.reason} (drafting with ${label})` };
    }
    return result!;
  } finally {
    resetCache(model);
    resetDraft();
  }
}
