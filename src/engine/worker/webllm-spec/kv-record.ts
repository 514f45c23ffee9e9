// Which tokens a WebLLM pipeline's KV cache holds, whoever put them there: WebLLM's own prefill and
// decode (plain rounds, multi-round reuse, the BOS prefix it adds on a fresh cache), our verify
// passes and the draft mirror. Every text forward embeds its token ids through
// getTokensEmbeddings while filledKVCacheLength still names their first position, so a wrapper
// there sees each position as it is written; pops only lower filledKVCacheLength, which the next
// read honours. Drafters get the whole conversation from here. Runs in the engine worker.

import type { PipelineInternals } from './internals';

const records = new WeakMap<PipelineInternals, number[]>();

/** Starts recording (once per pipeline; from a cleared cache when it is not empty yet). */
export function trackKvTokens(pipe: PipelineInternals): void {
  if (records.has(pipe)) return;
  const record: number[] = [];
  records.set(pipe, record);
  const embed = pipe.getTokensEmbeddings.bind(pipe);
  pipe.getTokensEmbeddings = (ids: number[]) => {
    const at = pipe.filledKVCacheLength;
    const out = embed(ids);
    // A gap (positions written another way, e.g. image embeddings) is left as -1: no token
    // matches it, so drafters simply find nothing there.
    while (record.length < at) record.push(-1);
    record.length = at;
    record.push(...ids);
    return out;
  };
}

/** The tokens at positions [0, filledKVCacheLength) of the pipeline's KV cache. */
export function kvTokensOf(pipe: PipelineInternals): number[] {
  const record = records.get(pipe);
  if (!record) throw new Error('the KV cache of this pipeline is not tracked');
  const filled = pipe.filledKVCacheLength;
  return Array.from({ length: filled }, (_, i) => record[i] ?? -1);
}
