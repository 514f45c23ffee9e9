// speculativeChat against a fake engine whose pipeline commits tokens the way WebLLM 0.2.86 does
// (processNextToken: stop tokens, max_tokens, the context limit at processedSeqLen == context).
import { describe, expect, it } from 'vitest';
import { decodePlain, stopPolicy } from '../../../lib/decoding';
import { createRng } from '../../../lib/rng';
import { REFERENCE_DRAFT, REFERENCE_TINY, ReferenceModel } from '../../../lib/reference/model';
import { ReferenceSession } from '../../../lib/reference/session';
import { decode } from '../../../lib/reference/tokenizer';
import { END_ID } from '../../../lib/reference/vocab';
import { argmax } from '../../../lib/sampling';
import { FixedDraftLength } from '../../../lib/speculative/controller';
import { DraftModelDrafter } from '../../../lib/speculative/draft-model';
import { randomPrompt } from '../../../../test/fakes/reference-sessions';
import type { ChatEvent } from '../../protocol';
import { fakePipeline } from '../../../../test/fakes/fake-tvm';
import type { EngineInternals, GenerationConfigLike, PipelineInternals } from './internals';
import { prepareModel } from './setup';
import { speculativeChat } from './speculative-chat';

const target = new ReferenceModel(REFERENCE_TINY);

/** Adds WebLLM's commit semantics to a fake pipeline. */
function webllmLike(p: ReturnType<typeof fakePipeline>['pipe']) {
  const state = { stopped: false, finish: undefined as string | undefined, message: '' };
  Object.assign(p, {
    processNextToken(token: number, gen: GenerationConfigLike, processedSeqLen = p.filledKVCacheLength) {
      if (state.stopped) throw new Error('Cannot call process when it is stoppped');
      if (token === END_ID) {
        state.stopped = true;
        state.finish = 'stop';
      } else p.outputIds.push(token);
      state.message = decode(p.outputIds);
      if (p.outputIds.length >= (gen.max_tokens ?? Infinity)) {
        state.stopped = true;
        state.finish = 'length';
      }
      if (processedSeqLen === p.contextWindowSize) {
        state.stopped = true;
        state.finish = 'length';
      }
    },
    stopped: () => state.stopped,
    getFinishReason: () => state.finish,
    getMessage: () => state.message,
    triggerStop() {
      if (!state.stopped) {
        state.stopped = true;
        state.finish = 'abort';
      }
    },
  });
  return state;
}

function fakeEngine(pipe: PipelineInternals, prompt: number[]): EngineInternals & { lockLog: string[] } {
  const lockLog: string[] = [];
  const lock = (name: string) => ({
    acquire: async () => void lockLog.push(`+${name}`),
    release: async () => void lockLog.push(`-${name}`),
  });
  return {
    lockLog,
    loadedModelIdToPipeline: new Map([['t', pipe]]),
    loadedModelIdToChatConfig: new Map([['t', {}]]),
    loadedModelIdToLock: new Map([
      ['t', lock('t')],
      ['d', lock('d')],
    ]),
    interruptSignal: false,
    async samplePrefill() {
      const logits = await pipe.forwardKnownTokens(prompt, true);
      const host = logits!.toArray() as Float32Array;
      logits!.dispose();
      return { tokenId: argmax(host, 0, target.vocabSize), promptLen: prompt.length, promptTokenIds: prompt };
    },
  };
}

describe('speculativeChat inside a WebLLM-like engine', () => {
  for (const [label, maxTokens, ctxExtra] of [
    ['ends on the stop token', 200, 400],
    ['ends at max_tokens', 9, 400],
    ['ends at the context window', 200, 12],
  ] as const) {
    it(`${label}: same text, finish reason and KV length as plain decoding; locks released`, async () => {
      for (let i = 0; i < 10; i++) {
        const prompt = randomPrompt(700 + i);
        const ctx = prompt.length + ctxExtra;
        const plainSession = new ReferenceSession(new ReferenceModel({ ...REFERENCE_TINY, contextWindow: ctx }));
        const plain = await decodePlain(plainSession, prompt, {
          sampling: { temperature: 0, topP: 1 },
          rng: createRng(0),
          commit: stopPolicy({ stopTokenIds: [END_ID], maxTokens }),
        });
        const t = fakePipeline({ model: target, contextWindow: ctx });
        const d = fakePipeline({ model: new ReferenceModel(REFERENCE_DRAFT) });
        webllmLike(t.pipe);
        const tm = prepareModel(t.pipe as unknown as PipelineInternals, target.vocabSize).model!;
        const dm = prepareModel(d.pipe as unknown as PipelineInternals, target.vocabSize).model!;
        const engine = fakeEngine(t.pipe as unknown as PipelineInternals, prompt);
        const events: ChatEvent[] = [];
        const out = await speculativeChat({
          engine,
          request: {},
          targetId: 't',
          target: tm,
          genConfig: { temperature: 0, top_p: 1, max_tokens: maxTokens },
          drafter: new DraftModelDrafter(dm, { temperature: 0, topP: 1 }, createRng(0)),
          controller: new FixedDraftLength(1 + (i % 8)),
          locks: [engine.loadedModelIdToLock.get('t')!, engine.loadedModelIdToLock.get('d')!],
          emit: (e) => events.push(e),
        });
        expect(out.text).toBe(decode(plain.tokens));
        expect(
          events
            .filter((e): e is { delta: string } => 'delta' in e)
            .map((e) => e.delta)
            .join(''),
        ).toBe(out.text);
        expect(out.finishReason).toBe(plain.finishReason);
        expect(t.pipe.filledKVCacheLength).toBe(plainSession.length);
        expect(engine.lockLog).toEqual(['+t', '+d', '-d', '-t']);
        expect(out.speculation.used).toBe('draft-model');
      }
    });
  }
});
