// A fake MLCEngine + LLMChatPipeline on top of the fake TVM, written from WebLLM 0.2.86's bundle
// independently of the adapter's own copies of its rules: multi-round KV reuse with a BOS prefix on
// a fresh cache (promptLen excludes it), processNextToken with stop tokens, stop strings, max_tokens
// and the context limit, the sampler's request → chat config → default merge, the streaming
// hold-back while the message ends in U+FFFD, and the statistics plain decoding keeps. `plainChat`
// is what the product's plain path receives from WebLLM's stream, to compare speculation against.

import { createRng, type Rng } from '../../src/lib/rng';
import type { ReferenceModel } from '../../src/lib/reference/model';
import { decode, encode } from '../../src/lib/reference/tokenizer';
import { ASSISTANT_ID, BOS_ID, END_ID, SYSTEM_ID, USER_ID } from '../../src/lib/reference/vocab';
import { sampleToken } from '../../src/lib/sampling';
import { fakePipeline } from './fake-tvm';
import type { EngineInternals, PipelineInternals } from '../../src/engine/worker/webllm-spec/internals';

export interface FakeChatConfig {
  temperature?: number;
  top_p?: number;
  repetition_penalty?: number;
  frequency_penalty?: number;
  presence_penalty?: number;
}

export interface FakeMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface FakeRequest {
  messages: FakeMessage[];
  temperature?: number;
  top_p?: number;
  max_tokens?: number;
  stop?: string[];
  seed?: number;
}

type Gen = { temperature?: number | null; top_p?: number | null; max_tokens?: number | null; stop?: string | string[] | null };

const ROLE = { system: SYSTEM_ID, user: USER_ID, assistant: ASSISTANT_ID } as const;
const sameMessages = (a: FakeMessage[], b: FakeMessage[]) =>
  a.length === b.length && a.every((m, i) => m.role === b[i]!.role && m.content === b[i]!.content);
const given = (v: unknown): v is number => v !== undefined && v !== null;

export interface FakeWebLLMOptions {
  model: ReferenceModel;
  chatConfig: FakeChatConfig;
  contextWindow?: number;
  /** system_prefix_token_ids: [BOS] prepended when the cache is empty. */
  bos?: boolean;
  maxBatchSize?: number;
}

export function fakeWebLLM(o: FakeWebLLMOptions) {
  const fake = fakePipeline({
    model: o.model,
    contextWindow: o.contextWindow ?? 4096,
    ...(o.maxBatchSize ? { maxBatchSize: o.maxBatchSize } : {}),
  });
  const pipe = fake.pipe;
  let clockMs = 0;
  /** Virtual milliseconds: every fake prefill and decode step takes 1 ms. */
  const clock = () => clockMs++;
  const st = {
    stopped: false,
    finish: undefined as string | undefined,
    message: '',
    conversation: [] as FakeMessage[],
    rng: createRng(1) as Rng,
    partialMessages: 0,
  };
  const freq = new Map<number, number>();

  const sample = (row: Float32Array, gen: Gen): number => {
    // sampleFromRawLogits: each field from genConfig when given, else from the chat config.
    const temperature = given(gen.temperature) ? gen.temperature : o.chatConfig.temperature!;
    const topP = given(gen.top_p) ? gen.top_p : (o.chatConfig.top_p ?? 1);
    return sampleToken(row, { temperature: Math.max(temperature, 0), topP }, st.rng);
  };

  Object.assign(pipe, {
    processNextToken(token: number, gen: Gen, processedSeqLen = pipe.filledKVCacheLength) {
      if (st.stopped) throw new Error('Cannot call process when it is stoppped');
      const maxTokens = gen.max_tokens ?? Infinity;
      const stops = ([] as string[]).concat(gen.stop ?? []);
      if (token === END_ID) {
        st.stopped = true;
        st.finish = 'stop';
      }
      if (!st.stopped) {
        pipe.outputIds.push(token);
        freq.set(token, (freq.get(token) ?? 0) + 1);
      }
      let message = decode(pipe.outputIds);
      for (const s of stops) {
        const at = message.lastIndexOf(s);
        if (at !== -1) {
          message = message.substring(0, at);
          st.stopped = true;
          st.finish = 'stop';
          break;
        }
      }
      if (message.endsWith('\uFFFD')) st.partialMessages++;
      st.message = message;
      if (pipe.outputIds.length >= maxTokens) {
        st.stopped = true;
        st.finish = 'length';
      }
      if (processedSeqLen === pipe.contextWindowSize) {
        st.stopped = true;
        st.finish = 'length';
      }
      if (st.stopped) st.conversation.push({ role: 'assistant', content: st.message });
    },
    stopped: () => st.stopped,
    getFinishReason: () => st.finish,
    getMessage: () => st.message,
    triggerStop() {
      if (st.stopped) return;
      st.stopped = true;
      st.finish = 'abort';
      st.conversation.push({ role: 'assistant', content: st.message });
    },
    setSeed(seed: number) {
      st.rng = createRng(seed);
    },
  });
  const resetChat = pipe.resetChat.bind(pipe);
  pipe.resetChat = () => {
    resetChat();
    st.conversation = [];
  };

  const typed = pipe as unknown as PipelineInternals;
  const commitStep = (token: number, gen: Gen) => {
    pipe.commitSamplerState();
    typed.processNextToken(token, gen);
    pipe.curRoundCompletionTotalTokens += 1;
  };

  const lock = (name: string) => ({
    acquire: async () => void lockLog.push(`+${name}`),
    release: async () => void lockLog.push(`-${name}`),
  });
  const lockLog: string[] = [];
  const engine: EngineInternals = {
    loadedModelIdToPipeline: new Map([['t', pipe as unknown as PipelineInternals]]),
    loadedModelIdToChatConfig: new Map([['t', o.chatConfig]]),
    loadedModelIdToLock: new Map([
      ['t', lock('t')],
      ['d', lock('d')],
    ]),
    interruptSignal: false,
    async samplePrefill(request, _p, _c, genConfig) {
      const r = request as FakeRequest;
      // preparePrefillInput: continue in place only when the history matches and the last reply
      // ended cleanly (its last token is then not owed to the cache).
      const history = r.messages.slice(0, -1);
      if (st.finish === 'abort' || st.finish === 'length' || !sameMessages(st.conversation, history) || history.length === 0) {
        pipe.resetChat();
        st.conversation = [...history];
      }
      pipe.outputIds = [];
      freq.clear();
      st.message = '';
      st.stopped = false;
      st.finish = undefined;
      pipe.curRoundCompletionTotalTokens = 0;
      pipe.curRoundDecodingTotalTokens = 0;
      pipe.curRoundDecodingTotalTime = 0;
      pipe.curRoundPrefillTotalTokens = 0;
      pipe.curRoundPrefillTotalTime = 0;
      const last = r.messages.at(-1)!;
      const fresh = pipe.filledKVCacheLength === 0;
      const prompt: number[] = [];
      if (fresh) for (const m of history) prompt.push(ROLE[m.role], ...encode(m.content), END_ID);
      // A continued conversation closes the previous reply (its END was sampled, never forwarded).
      else prompt.push(END_ID);
      prompt.push(ROLE[last.role], ...encode(last.content), END_ID, ASSISTANT_ID);
      st.conversation.push(last);
      const promptTokenIds = fresh && o.bos ? [BOS_ID, ...prompt] : prompt;
      const logits = await pipe.forwardKnownTokens(promptTokenIds, true);
      const row = logits!.toArray() as Float32Array;
      logits!.dispose();
      const tokenId = sample(row.subarray(0, o.model.vocabSize), genConfig as Gen);
      pipe.prefillTotalTokens += prompt.length;
      pipe.curRoundPrefillTotalTokens += prompt.length;
      pipe.prefillTotalTime += 0.001;
      pipe.curRoundPrefillTotalTime += 0.001;
      return { tokenId, promptLen: prompt.length, promptTokenIds };
    },
  };

  // As LLMChatPipeline.sampleDecodeStep: forward the last output token, count one decode step and
  // its time, sample; the token is not committed.
  pipe.sampleDecodeStep = async (gen: unknown) => {
    const logits = await pipe.forwardKnownTokens([pipe.outputIds.at(-1)!], false);
    const row = logits!.toArray() as Float32Array;
    logits!.dispose();
    const tokenId = sample(row.subarray(0, o.model.vocabSize), gen as Gen);
    pipe.decodingTotalTokens += 1;
    pipe.curRoundDecodingTotalTokens += 1;
    pipe.decodingTotalTime += 0.001;
    pipe.curRoundDecodingTotalTime += 0.001;
    return { tokenId };
  };

  /** WebLLM's streaming chat completion as the product's plain path consumes it. */
  async function plainChat(r: FakeRequest) {
    const gen: Gen = { temperature: r.temperature, top_p: r.top_p, max_tokens: r.max_tokens, stop: r.stop };
    engine.interruptSignal = false;
    if (r.seed !== undefined) typed.setSeed(r.seed);
    const deltas: string[] = [];
    let sent = 0;
    const chunk = () => {
      const m = pipe.getMessage();
      let n = 0;
      for (let i = m.length - 1; i >= 0 && m.charAt(i) === '\uFFFD'; i--) n++;
      if (n % 4 !== 0) return;
      const d = m.slice(sent);
      sent = m.length;
      if (d) deltas.push(d);
    };
    const first = await engine.samplePrefill(r, pipe as unknown as PipelineInternals, o.chatConfig, gen);
    commitStep(first.tokenId, gen);
    chunk();
    while (!st.stopped) {
      const { tokenId } = await pipe.sampleDecodeStep(gen);
      commitStep(tokenId, gen);
      chunk();
    }
    if (r.seed !== undefined) typed.setSeed(Date.now());
    return {
      deltas,
      text: deltas.join(''),
      finishReason: st.finish,
      usage: {
        promptTokens: pipe.curRoundPrefillTotalTokens,
        completionTokens: pipe.curRoundCompletionTotalTokens,
        prefillTokensPerSecond: pipe.curRoundPrefillTotalTokens / pipe.curRoundPrefillTotalTime,
        decodeTokensPerSecond: pipe.curRoundDecodingTotalTokens / pipe.curRoundDecodingTotalTime,
      },
    };
  }

  return { ...fake, engine, plainChat, clock, state: st, lockLog, internals: pipe as unknown as PipelineInternals };
}
