// What a loaded WebLLM pipeline allows: its speculation traits, and whether two pipelines share
// a tokenizer (the draft's ids must mean the target's tokens). Runs in the engine worker.

import type { LoadedModelTraits } from '../../../lib/speculative/eligibility';
import type { PipelineInternals, WebLLMTokenizer } from './internals';
import type { VerifyFunctions } from './pipeline-model';

export function pipelineTraits(p: PipelineInternals, f: Partial<VerifyFunctions>): LoadedModelTraits {
  return {
    kvStateKind: p.rnnState !== undefined && p.kvStateKind === 'kv_cache' ? 'hybrid' : p.kvStateKind,
    slidingWindow: p.slidingWindowSize !== -1,
    manifest: p.artifact !== undefined,
    canVerify: f.batchPrefill !== undefined || f.batchVerify !== undefined,
    canRollback: f.popn !== undefined,
  };
}

export function sameTokenizer(a: WebLLMTokenizer, b: WebLLMTokenizer): string | undefined {
  const va = a.getVocabSize();
  const vb = b.getVocabSize();
  if (va !== vb) return `the draft model's tokenizer has ${vb} tokens, the target's ${va}`;
  // Every id must name the same token (a one-off cost at load: ~150k lookups for large vocabularies).
  for (let id = 0; id < va; id++) {
    if (a.idToToken(id) !== b.idToToken(id))
      return `token ${id} differs between the tokenizers ("${a.idToToken(id)}" vs "${b.idToToken(id)}")`;
  }
  return undefined;
}
