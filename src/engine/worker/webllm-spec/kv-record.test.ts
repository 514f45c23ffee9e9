import { describe, expect, it } from 'vitest';
import { REFERENCE_TINY, ReferenceModel } from '../../../lib/reference/model';
import { fakePipeline } from '../../../../test/fakes/fake-tvm';
import type { PipelineInternals } from './internals';
import { kvTokensOf, trackKvTokens } from './kv-record';
import { prepareModel } from './setup';

const model = new ReferenceModel(REFERENCE_TINY);

describe('the record of what a pipeline’s KV cache holds', () => {
  it('follows WebLLM-style forwards, verify passes, pops and resets', async () => {
    const f = fakePipeline({ model, prefillChunkSize: 4 });
    const pipe = f.pipe as unknown as PipelineInternals;
    const m = prepareModel(pipe, model.vocabSize).model!;
    await pipe.forwardKnownTokens([10, 11, 12, 13, 14, 15], true); // two chunks
    expect(kvTokensOf(pipe)).toEqual([10, 11, 12, 13, 14, 15]);
    await m.verify([16, 17, 18]);
    m.rollback(2);
    expect(kvTokensOf(pipe)).toEqual([10, 11, 12, 13, 14, 15, 16]);
    await pipe.forwardKnownTokens([20], false);
    expect(kvTokensOf(pipe)).toEqual([10, 11, 12, 13, 14, 15, 16, 20]);
    expect(kvTokensOf(pipe)).toEqual(f.kv.tokens);
    pipe.resetChat();
    await pipe.forwardKnownTokens([30, 31], true);
    expect(kvTokensOf(pipe)).toEqual([30, 31]);
  });

  it('marks positions written without token ids (e.g. an image) as -1, and tracks a pipeline once', async () => {
    const f = fakePipeline({ model });
    const pipe = f.pipe as unknown as PipelineInternals;
    trackKvTokens(pipe);
    trackKvTokens(pipe);
    await pipe.forwardKnownTokens([10], true);
    pipe.filledKVCacheLength += 2; // an image embedding of two positions
    await pipe.forwardKnownTokens([11], true);
    expect(kvTokensOf(pipe)).toEqual([10, -1, -1, 11]);
  });

  it('refuses to guess for a pipeline it never tracked', () => {
    expect(() => kvTokensOf(fakePipeline({ model }).pipe as unknown as PipelineInternals)).toThrow(/not tracked/);
  });
});
