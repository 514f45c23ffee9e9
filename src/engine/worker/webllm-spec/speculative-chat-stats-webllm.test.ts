// speculativeChat against the fake WebLLM: the statistics WebLLM keeps (decode steps, times, totals,
// usage) after a speculative reply match plain decoding's, and sampling parameters a request leaves
// unset come from the model's chat config, for the target and the draft model.
import { describe, expect, it } from 'vitest';
import { createRng } from '../../../lib/rng';
import { REFERENCE_DRAFT, REFERENCE_TINY, ReferenceModel } from '../../../lib/reference/model';
import { AdaptiveDraftLength } from '../../../lib/speculative/controller';
import { DraftModelDrafter } from '../../../lib/speculative/draft-model';
import { generationConfigFor, mergeSampling, samplingParams } from '../../../lib/speculative/merged-sampling';
import { PromptLookupDrafter } from '../../../lib/speculative/prompt-lookup';
import { fakePipeline } from '../../../../test/fakes/fake-tvm';
import { NEUTRAL, ask, pair, setup, spec, tiny } from '../../../../test/fakes/webllm-spec-harness';
import type { PipelineInternals } from './internals';
import { prepareModel } from './setup';

describe('speculativeChat keeps WebLLM statistics and chat-config sampling', () => {
  it("WebLLM's statistics after a speculative reply: decode steps, times, totals and usage as plain decoding counts them", async () => {
    const { plain, fast } = pair(tiny());
    const request = ask([], 'the cache holds the model and the model reads the cache', { max_tokens: 60 });
    const p = await plain.plainChat(request);
    const s = await spec(fast, request, new PromptLookupDrafter());
    const f = fast.pipe;
    expect(f.curRoundDecodingTotalTokens).toBe(plain.pipe.curRoundDecodingTotalTokens);
    expect(f.curRoundDecodingTotalTokens).toBe(f.curRoundCompletionTotalTokens - 1);
    expect(f.decodingTotalTokens).toBe(plain.pipe.decodingTotalTokens);
    expect(f.curRoundDecodingTotalTime).toBeGreaterThan(0);
    expect(f.decodingTotalTime).toBe(f.curRoundDecodingTotalTime);
    expect(s.out.usage).toEqual({
      promptTokens: p.usage.promptTokens,
      completionTokens: p.usage.completionTokens,
      prefillTokensPerSecond: p.usage.prefillTokensPerSecond,
      decodeTokensPerSecond: f.curRoundDecodingTotalTokens / f.curRoundDecodingTotalTime,
    });
    // A second round adds to the totals runtimeStatsText reads, and restarts the round's counts.
    const before = f.decodingTotalTime;
    const next = ask([...request.messages, { role: 'assistant', content: s.out.text }], 'again', { max_tokens: 30 });
    await plain.plainChat(next);
    await spec(fast, next, new PromptLookupDrafter());
    expect(f.decodingTotalTokens).toBe(plain.pipe.decodingTotalTokens);
    expect(f.curRoundDecodingTotalTokens).toBe(plain.pipe.curRoundDecodingTotalTokens);
    expect(f.decodingTotalTime).toBeCloseTo(before + f.curRoundDecodingTotalTime, 9);
  });

  it("WebLLM's statistics count a plain step inside a speculative reply once (it runs as WebLLM's own sampleDecodeStep)", async () => {
    const { plain, fast } = pair(tiny());
    const request = ask([], 'the cache holds the model and the model reads the cache', { max_tokens: 60 });
    await plain.plainChat(request);
    // The adaptive controller's first step is a plain one: it measures what speculation must beat.
    const s = await spec(fast, request, new PromptLookupDrafter(), 4, new AdaptiveDraftLength({ maxK: 4 }));
    expect(s.out.speculation.targetPasses).toBeGreaterThan(0);
    expect(fast.pipe.curRoundDecodingTotalTokens).toBe(plain.pipe.curRoundDecodingTotalTokens);
    expect(fast.pipe.decodingTotalTokens).toBe(plain.pipe.decodingTotalTokens);
    expect(fast.pipe.decodingTotalTime).toBe(fast.pipe.curRoundDecodingTotalTime);
  });

  for (const [label, chatConfig] of [
    ['temperature 0', { ...NEUTRAL, temperature: 0, top_p: 0.9 }],
    ['top_p 1e-5 (only the top token)', { ...NEUTRAL, temperature: 0.8, top_p: 1e-5 }],
  ] as const) {
    it(`the chat config's sampling applies when the request leaves it unset (${label}), for the target and the draft model`, async () => {
      const model = new ReferenceModel(REFERENCE_TINY);
      const request = ask([], 'the cache holds the model and the model reads the cache', { max_tokens: 40, seed: 7 });
      const plain = setup({ model, chatConfig });
      const p = await plain.plainChat(request);
      const byLookup = await spec(setup({ model, chatConfig }), request, new PromptLookupDrafter());
      expect(byLookup.out.text).toBe(p.text);
      const draft = fakePipeline({ model: new ReferenceModel(REFERENCE_DRAFT) });
      const dm = prepareModel(draft.pipe as unknown as PipelineInternals, model.vocabSize).model!;
      const sampling = samplingParams(mergeSampling(generationConfigFor(request), chatConfig));
      const byDraft = await spec(setup({ model, chatConfig }), request, new DraftModelDrafter(dm, sampling, createRng(3)));
      expect(byDraft.out.text).toBe(p.text);
      expect(byDraft.out.speculation.accepted).toBeGreaterThan(0);
    });
  }
});
