// The prompt counter against the fake WebLLM: it counts what WebLLM's prefill forwards (template,
// tags, BOS prefix), and a request fitted with it prefills and replies inside the context window,
// where the same conversation unfitted overflows the KV cache.
import { describe, expect, it } from 'vitest';
import { NEUTRAL, tiny } from '../../../test/fakes/webllm-spec-harness';
import { fakeWebLLM, type FakeMessage } from '../../../test/fakes/fake-webllm';
import { promptPipeline } from '../../../test/fakes/fake-conversation';
import { REFERENCE_TINY, ReferenceModel } from '../../lib/reference/model';
import { ContextFitError } from '../errors';
import type { PipelineInternals } from './webllm-spec/internals';
import { fitRequest } from './fit-request';
import { promptTokenCounter, promptWindow } from './webllm-prompt-tokens';

const turns = (n: number): FakeMessage[] =>
  Array.from({ length: n }, (_, i) => [
    { role: 'user' as const, content: `Question ${i}: tell me about the weather and the sea today.` },
    { role: 'assistant' as const, content: `Answer ${i}: the weather is fine and the sea is calm, thank you.` },
  ]).flat();

async function prefilledIds(messages: FakeMessage[], bos: boolean): Promise<number[]> {
  const w = fakeWebLLM({ ...tiny(), bos });
  const step = await w.engine.samplePrefill({ messages }, w.internals, NEUTRAL, {});
  return step.promptTokenIds!;
}

describe('promptTokenCounter (WebLLM prompt rendering)', () => {
  it("counts exactly the tokens WebLLM's prefill forwards on an empty cache", async () => {
    const cases: FakeMessage[][] = [
      [{ role: 'user', content: 'Hello there' }],
      [{ role: 'system', content: 'Be brief.' }, ...turns(2), { role: 'user', content: 'And tomorrow?' }],
      [...turns(3), { role: 'user', content: 'ünïcödé 🌊 text' }],
    ];
    for (const bos of [true, false]) {
      const count = promptTokenCounter(promptPipeline({ contextWindowSize: 4096, slidingWindowSize: -1 }, bos));
      for (const messages of cases) expect(count(messages)).toBe((await prefilledIds(messages, bos)).length);
    }
  });

  it('leaves the pipeline conversation alone (WebLLM compares the next request with it)', () => {
    const pipe = promptPipeline({ contextWindowSize: 4096, slidingWindowSize: -1 });
    promptTokenCounter(pipe)([{ role: 'system', content: 's' }, ...turns(1), { role: 'user', content: 'q' }]);
    const live = pipe.conversation as unknown as { messages: unknown[]; override_system_message?: string };
    expect(live.messages).toEqual([]);
    expect(live.override_system_message).toBeUndefined();
  });

  it('a fitted request prefills and replies inside the window where the unfitted one overflows', async () => {
    const window = 256;
    const messages = [{ role: 'system' as const, content: 'Be brief.' }, ...turns(8), { role: 'user' as const, content: 'Last one?' }];
    const make = () => fakeWebLLM({ model: new ReferenceModel(REFERENCE_TINY), chatConfig: NEUTRAL, bos: true, contextWindow: window });
    const w = make();
    const pipe = promptPipeline(w.internals as unknown as PipelineInternals);
    const count = promptTokenCounter(pipe);
    expect(count(messages)).toBeGreaterThan(window);
    await expect(make().plainChat({ messages, max_tokens: 32 })).rejects.toThrow(/KV cache is full/);

    const asked = { modelId: 't', messages, maxTokens: 32 };
    const { request, dropped } = fitRequest(asked, count, promptWindow(pipe));
    expect(dropped).toBeGreaterThan(0);
    expect(dropped % 2).toBe(0);
    expect(request.messages[0]).toEqual(messages[0]);
    expect(request.messages.at(-1)).toEqual(messages.at(-1));
    expect(request.messages).toHaveLength(messages.length - dropped);
    const prompt = count(request.messages);
    expect(prompt).toBeLessThanOrEqual(window - 32);
    const reply = await w.plainChat({ messages: request.messages as FakeMessage[], max_tokens: 32 });
    expect(reply.finishReason).not.toBeUndefined();
    expect(w.internals.filledKVCacheLength).toBeLessThanOrEqual(window);
    // The next-older turn would not have fitted: the fit kept as much as it could.
    expect(count([messages[0]!, ...messages.slice(1 + dropped - 2)])).toBeGreaterThan(window - 32);
  });

  it('refuses under "stop" with the reason in words, and sliding-window models are not limited', () => {
    const pipe = promptPipeline({ contextWindowSize: 64, slidingWindowSize: -1 });
    const asked = { modelId: 't', messages: [...turns(4), { role: 'user' as const, content: 'q' }], overflow: 'stop' as const };
    expect(() => fitRequest(asked, promptTokenCounter(pipe), promptWindow(pipe))).toThrow(ContextFitError);
    const sliding = promptPipeline({ contextWindowSize: -1, slidingWindowSize: 64 });
    expect(promptWindow(sliding)).toBe(Number.POSITIVE_INFINITY);
    expect(fitRequest(asked, promptTokenCounter(sliding), promptWindow(sliding))).toEqual({ request: asked, dropped: 0 });
  });
});
