// speculativeChat against a fake WebLLM written from the 0.2.86 bundle (test/fakes/fake-webllm.ts):
// every reply must stream, end, fill the cache and count statistics exactly as WebLLM's own plain
// streaming does, across rounds, with stop strings, with characters cut between tokens, and with
// sampling parameters a request leaves to the model's chat config.
import { describe, expect, it } from 'vitest';
import { addDraftSpan, splitByDraftSpans } from '../../../lib/conversation';
import { createRng } from '../../../lib/rng';
import { REFERENCE_DRAFT, REFERENCE_TINY, ReferenceModel } from '../../../lib/reference/model';
import { encode } from '../../../lib/reference/tokenizer';
import { ASSISTANT_ID, BOS_ID, END_ID } from '../../../lib/reference/vocab';
import { AdaptiveDraftLength, FixedDraftLength, type DraftLengthPolicy } from '../../../lib/speculative/controller';
import { DraftModelDrafter } from '../../../lib/speculative/draft-model';
import { generationConfigFor, mergeSampling, samplingParams } from '../../../lib/speculative/merged-sampling';
import { PromptLookupDrafter } from '../../../lib/speculative/prompt-lookup';
import type { Drafter } from '../../../lib/speculative/types';
import type { ChatEvent } from '../../protocol';
import { fakePipeline } from '../../../../test/fakes/fake-tvm';
import {
  fakeWebLLM,
  type FakeChatConfig,
  type FakeMessage,
  type FakeRequest,
  type FakeWebLLMOptions,
} from '../../../../test/fakes/fake-webllm';
import type { PipelineInternals } from './internals';
import { prepareModel } from './setup';
import { speculativeChat } from './speculative-chat';

const NEUTRAL: FakeChatConfig = { temperature: 0, top_p: 1, repetition_penalty: 1, frequency_penalty: 0, presence_penalty: 0 };

/** The reference model, made to answer every turn with a fixed token script (then <|end|>). */
class ScriptedModel extends ReferenceModel {
  constructor(readonly script: number[]) {
    super(REFERENCE_TINY);
  }
  override logitsInto(context: readonly number[], length: number, out: Float32Array, offset = 0): void {
    super.logitsInto(context, length, out, offset);
    const turn = context.lastIndexOf(ASSISTANT_ID, length - 1);
    if (turn < 0) return;
    const i = length - 1 - turn;
    out[offset + (i < this.script.length ? this.script[i]! : END_ID)]! += 100;
  }
}

function setup(o: FakeWebLLMOptions) {
  const w = fakeWebLLM(o);
  const model = prepareModel(w.internals, o.model.vocabSize).model!;
  return { ...w, model };
}

type Setup = ReturnType<typeof setup>;
/** Two engines alike: `plain` decodes as WebLLM does, `fast` speculates. */
const pair = (o: FakeWebLLMOptions) => ({ plain: setup(o), fast: setup(o) });
const tiny = (): FakeWebLLMOptions => ({ model: new ReferenceModel(REFERENCE_TINY), chatConfig: NEUTRAL, bos: true });
const deltasOf = (events: ChatEvent[]) => events.filter((e): e is { delta: string; fromDraft?: boolean } => 'delta' in e);

async function spec(w: Setup, request: FakeRequest, drafter: Drafter, k = 4, controller: DraftLengthPolicy = new FixedDraftLength(k)) {
  const events: ChatEvent[] = [];
  const out = await speculativeChat({
    engine: w.engine,
    request,
    targetId: 't',
    target: w.model,
    genConfig: generationConfigFor(request),
    drafter,
    controller,
    locks: [w.engine.loadedModelIdToLock.get('t')!],
    emit: (e) => events.push(e),
    clock: w.clock,
    ...(request.seed !== undefined ? { seed: request.seed } : {}),
  });
  return { out, events, deltas: deltasOf(events).map((d) => d.delta) };
}

/** Prompt lookup that records the context of every proposal. */
function recordingLookup() {
  const inner = new PromptLookupDrafter();
  const contexts: number[][] = [];
  const drafter: Drafter = { kind: 'prompt-lookup', propose: (c, k) => (contexts.push([...c]), inner.propose(c, k)) };
  return { drafter, contexts };
}

const ask = (history: FakeMessage[], content: string, extra: Partial<FakeRequest> = {}): FakeRequest => ({
  messages: [...history, { role: 'user', content }],
  ...extra,
});

describe('speculativeChat = plain WebLLM, inside a WebLLM-like engine', () => {
  it('a multi-round conversation (plain, speculative, plain, speculative, plain, then a new chat): same deltas, cache and statistics every round; drafters see the whole conversation', async () => {
    const { plain, fast: mixed } = pair(tiny());
    const questions = [
      'the cache holds the model and the model reads the cache',
      'what does the cache hold',
      'read the model from the cache again',
      'and the model',
      'one more time',
      'a new chat about the browser',
    ];
    let history: FakeMessage[] = [];
    for (let round = 0; round < questions.length; round++) {
      const newChat = round === 5;
      if (newChat) history = [];
      const request = ask(history, questions[round]!, { max_tokens: 400, temperature: 0 });
      const kvBefore = [...mixed.kv.tokens];
      const p = await plain.plainChat(request);
      const lookup = recordingLookup();
      const m =
        round % 2 === 0
          ? await mixed.plainChat(request)
          : await spec(mixed, request, lookup.drafter).then((r) => ({ ...r.out, deltas: r.deltas }));
      if (round % 2 === 1) {
        // The first proposal sees every cached token (BOS and the earlier rounds) plus the pending one.
        const first = lookup.contexts[0]!;
        expect(first[0]).toBe(BOS_ID);
        const cachedAtFirst = mixed.kv.tokens.slice(0, first.length - 1);
        expect(first.slice(0, -1)).toEqual(cachedAtFirst);
        if (newChat) expect(first).toHaveLength(1 + encodeTurn(request).length + 1);
        else expect(first.slice(0, kvBefore.length)).toEqual(kvBefore);
      }
      expect(m.text, `round ${round}`).toBe(p.text);
      expect(m.deltas).toEqual(p.deltas);
      // Each reply ends on its stop token, so the next round continues the cache in place.
      expect(m.finishReason).toBe('stop');
      expect(p.finishReason).toBe('stop');
      expect(mixed.kv.tokens).toEqual(plain.kv.tokens);
      expect(mixed.pipe.filledKVCacheLength).toBe(plain.pipe.filledKVCacheLength);
      expect(mixed.pipe.curRoundCompletionTotalTokens).toBe(plain.pipe.curRoundCompletionTotalTokens);
      expect(mixed.pipe.curRoundDecodingTotalTokens).toBe(plain.pipe.curRoundDecodingTotalTokens);
      expect(mixed.pipe.decodingTotalTokens).toBe(plain.pipe.decodingTotalTokens);
      history = [...request.messages, { role: 'assistant', content: m.text }];
    }
  });

  it('a new conversation after a speculative one: the drafter sees only the new one, from its BOS', async () => {
    const w = setup(tiny());
    await spec(w, ask([], 'the cache holds the model', { max_tokens: 20 }), new PromptLookupDrafter());
    const lookup = recordingLookup();
    const request = ask([], 'a new chat about the browser', { max_tokens: 20 });
    await spec(w, request, lookup.drafter);
    const prompt = [BOS_ID, ...encodeTurn(request)];
    expect(lookup.contexts[0]!.slice(0, prompt.length)).toEqual(prompt);
    expect(lookup.contexts[0]!.length).toBe(prompt.length + 1);
  });

  it('characters cut between tokens (CJK, emoji): the same deltas as WebLLM streams, never a U+FFFD, and draft spans index the final text', async () => {
    const reply = '说好世界 😀 the cache 说好世界 😀 the model 说好 end';
    const model = new ScriptedModel(encode(reply));
    const request = ask([], `${reply.replace('model', 'browser')} 说好世界 😀 the cache`, { max_tokens: 200 });
    const { plain, fast } = pair({ model, chatConfig: NEUTRAL, bos: true });
    const p = await plain.plainChat(request);
    const s = await spec(fast, request, new PromptLookupDrafter(), 6);
    expect(p.text).toBe(reply);
    expect(fast.state.partialMessages).toBeGreaterThan(0); // the hold-back was needed
    expect(s.out.speculation.accepted).toBeGreaterThan(0);
    expect(s.deltas).toEqual(p.deltas);
    expect(s.out.text).toBe(p.text);
    expect(s.deltas.some((d) => d.includes('\uFFFD'))).toBe(false);
    // The page's rule: spans over delta lengths, then split the final text by them.
    const spans: [number, number][] = [];
    let at = 0;
    for (const d of deltasOf(s.events)) {
      if (d.fromDraft) addDraftSpan(spans, at, at + d.delta.length);
      at += d.delta.length;
    }
    const drafted = deltasOf(s.events)
      .filter((d) => d.fromDraft)
      .map((d) => d.delta)
      .join('');
    expect(drafted.length).toBeGreaterThan(0);
    expect(
      splitByDraftSpans(s.out.text, spans)
        .filter((x) => x.draft)
        .map((x) => x.text)
        .join(''),
    ).toBe(drafted);
  });

  it('a stop string inside an accepted draft run: the stream, finish, cache and next round end where plain decoding ends', async () => {
    const reply = 'the cache holds the model and the model reads the cache 说好世界 end';
    const model = new ScriptedModel(encode(reply));
    const request = ask([], reply.replace('reads', 'holds'), { max_tokens: 200 });
    // Find a run of accepted draft tokens, and stop on text that ends inside it.
    const probe = setup({ model, chatConfig: NEUTRAL });
    const run = await spec(probe, request, new PromptLookupDrafter(), 6);
    const ds = deltasOf(run.events);
    let offset = 0;
    let stop: string | undefined;
    for (let i = 0; i + 1 < ds.length && !stop; i++) {
      if (i > 0 && ds[i]!.fromDraft && ds[i + 1]!.fromDraft && reply.indexOf(ds[i]!.delta + ds[i + 1]!.delta) === offset)
        stop = ds[i]!.delta + ds[i + 1]!.delta;
      offset += ds[i]!.delta.length;
    }
    expect(stop).toBeDefined();
    const stopped = { ...request, stop: [stop!] };
    const { plain, fast } = pair({ model, chatConfig: NEUTRAL });
    const p = await plain.plainChat(stopped);
    const s = await spec(fast, stopped, new PromptLookupDrafter(), 6);
    expect(p.finishReason).toBe('stop');
    expect(s.out.finishReason).toBe('stop');
    expect(s.deltas).toEqual(p.deltas);
    expect(s.out.text).toBe(p.text);
    expect(fast.kv.tokens).toEqual(plain.kv.tokens);
    expect(fast.pipe.curRoundCompletionTotalTokens).toBe(plain.pipe.curRoundCompletionTotalTokens);
    // The next round starts from the same state (here WebLLM rebuilds the cache: the streamed text
    // keeps the stop string's first piece, which its own record of the reply cut off).
    const next = ask([...stopped.messages, { role: 'assistant', content: p.text }], 'and then', { max_tokens: 30 });
    const p2 = await plain.plainChat(next);
    const s2 = await spec(fast, next, new PromptLookupDrafter(), 6);
    expect(s2.deltas).toEqual(p2.deltas);
    expect(fast.kv.tokens).toEqual(plain.kv.tokens);
  });

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

/** The tokens the fake template gives a fresh single-message request (without BOS). */
function encodeTurn(r: FakeRequest): number[] {
  const last = r.messages.at(-1)!;
  return [3, ...encode(last.content), END_ID, ASSISTANT_ID];
}
