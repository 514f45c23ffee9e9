// speculativeChat against a fake WebLLM written from the 0.2.86 bundle (test/fakes/fake-webllm.ts):
// every reply must stream, end and fill the cache exactly as WebLLM's own plain streaming does,
// across rounds, with stop strings and with characters cut between tokens. Statistics and
// chat-config sampling: speculative-chat-stats-webllm.test.ts.
import { describe, expect, it } from 'vitest';
import { addDraftSpan, splitByDraftSpans } from '../../../lib/conversation';
import { REFERENCE_TINY, ReferenceModel } from '../../../lib/reference/model';
import { encode } from '../../../lib/reference/tokenizer';
import { ASSISTANT_ID, BOS_ID, END_ID } from '../../../lib/reference/vocab';
import { PromptLookupDrafter } from '../../../lib/speculative/prompt-lookup';
import type { Drafter } from '../../../lib/speculative/types';
import type { FakeMessage, FakeRequest } from '../../../../test/fakes/fake-webllm';
import { ask, deltasOf, pair, setup, spec, tiny, NEUTRAL } from '../../../../test/fakes/webllm-spec-harness';

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

/** Prompt lookup that records the context of every proposal. */
function recordingLookup() {
  const inner = new PromptLookupDrafter();
  const contexts: number[][] = [];
  const drafter: Drafter = { kind: 'prompt-lookup', propose: (c, k) => (contexts.push([...c]), inner.propose(c, k)) };
  return { drafter, contexts };
}

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
});

/** The tokens the fake template gives a fresh single-message request (without BOS). */
function encodeTurn(r: FakeRequest): number[] {
  const last = r.messages.at(-1)!;
  return [3, ...encode(last.content), END_ID, ASSISTANT_ID];
}
