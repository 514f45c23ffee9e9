// A streaming chat reply with speculative decoding inside WebLLM 0.2.86. The target's prompt goes
// through WebLLM's own prefill (templating, multi-round KV reuse); then the shared speculative loop
// drives verify + popn on the target (and the draft model, if any). Every token is committed with
// WebLLM's own processNextToken at the position plain decoding would have, so stop tokens, stop
// strings, max_tokens, the context limit and the conversation record behave as without speculation;
// sampling uses WebLLM's merged config, deltas follow WebLLM's streaming rule, and WebLLM's
// statistics move as a plain reply moves them. Both models' locks are held throughout. Engine worker.

import { decodeSpeculative } from '../../../lib/speculative/loop';
import type { DraftLengthPolicy } from '../../../lib/speculative/controller';
import { mergeSampling, samplingParams, type SamplingFields } from '../../../lib/speculative/merged-sampling';
import { specSummary } from '../../../lib/speculative/planner';
import { WebLLMDeltaStream } from '../../../lib/speculative/stream-deltas';
import type { Drafter } from '../../../lib/speculative/types';
import type { Commit } from '../../../lib/decoding';
import { createRng } from '../../../lib/rng';
import type { ChatEvent, ChatResult, ChatUsage } from '../../protocol';
import type { CustomLockLike, EngineInternals, GenerationConfigLike, PipelineInternals } from './internals';
import { kvTokensOf, trackKvTokens } from './kv-record';
import type { PipelineModel } from './pipeline-model';

interface SpeculativeChatInput {
  engine: EngineInternals;
  request: unknown;
  targetId: string;
  target: PipelineModel;
  /** The generation config WebLLM would build for this request (generationConfigFor). */
  genConfig: GenerationConfigLike;
  drafter: Drafter;
  controller: DraftLengthPolicy;
  /** Locks to hold (target first, then draft). */
  locks: CustomLockLike[];
  seed?: number;
  emit: (e: ChatEvent) => void;
  /** Milliseconds (a virtual clock in tests). */
  clock?: () => number;
}

const perSecond = (tokens: number, seconds: number): number => (seconds > 0 ? tokens / seconds : 0);

/** The usage WebLLM's stream reports after a reply (makeStreamUsageChunk), 0 where it would divide by 0. */
function pipelineUsage(pipe: PipelineInternals): ChatUsage {
  return {
    promptTokens: pipe.curRoundPrefillTotalTokens,
    completionTokens: pipe.curRoundCompletionTotalTokens,
    prefillTokensPerSecond: perSecond(pipe.curRoundPrefillTotalTokens, pipe.curRoundPrefillTotalTime),
    decodeTokensPerSecond: perSecond(pipe.curRoundDecodingTotalTokens, pipe.curRoundDecodingTotalTime),
  };
}

/** Positions written other than as text (-1) cannot be drafted from: keep what follows the last. */
const draftableContext = (kv: number[]): number[] => kv.slice(kv.lastIndexOf(-1) + 1);

/**
 * Resolves with the reply as the worker reports it: the text is the concatenated deltas (what plain
 * WebLLM's stream adds up to), the usage as WebLLM's usage chunk reports it, from the pipeline's counters.
 */
export async function speculativeChat(input: SpeculativeChatInput): Promise<ChatResult> {
  const { engine, target, genConfig } = input;
  const pipe = target.pipe;
  trackKvTokens(pipe);
  const chatConfig = engine.loadedModelIdToChatConfig.get(input.targetId);
  const sampling = samplingParams(mergeSampling(genConfig, chatConfig as SamplingFields | undefined));
  for (const lock of input.locks) await lock.acquire();
  const stream = new WebLLMDeltaStream();
  let commits = 0;
  try {
    engine.interruptSignal = false;
    if (input.seed !== undefined) pipe.setSeed(input.seed);
    const commit = (token: number, fromDraft: boolean, position: number): Commit => {
      const before = pipe.outputIds.length;
      pipe.commitSamplerState(token, genConfig);
      pipe.processNextToken(token, genConfig, position);
      pipe.curRoundCompletionTotalTokens += 1;
      commits++;
      const delta = stream.push(pipe.getMessage(), fromDraft);
      if (delta) input.emit(delta);
      const emit = pipe.outputIds.length > before;
      if (!pipe.stopped()) return { emit };
      return { emit, finish: pipe.getFinishReason() === 'length' ? 'length' : 'stop' };
    };
    // Plain steps inside the reply run as WebLLM's own sampleDecodeStep, which counts itself; the
    // reply's decode statistics are set once below, from the values after the prefill (which starts
    // the round's counts).
    const readDecode = () => ({
      tokens: pipe.decodingTotalTokens,
      time: pipe.decodingTotalTime,
      roundTokens: pipe.curRoundDecodingTotalTokens,
      roundTime: pipe.curRoundDecodingTotalTime,
    });
    let decodeBefore = readDecode();
    const result = await decodeSpeculative(target, [], {
      sampling,
      rng: createRng(input.seed ?? Date.now()),
      commit,
      aborted: () => engine.interruptSignal,
      drafter: input.drafter,
      controller: input.controller,
      ...(input.clock ? { clock: input.clock } : {}),
      // Plain steps run as WebLLM's own, so the controller compares with what speculation off gives.
      plainStep: (token) => target.samplePlain(token, genConfig),
      onStep: (s) => input.emit({ spec: specSummary(input.drafter.kind, s) }),
      start: async () => {
        const step = await engine.samplePrefill(input.request, pipe, chatConfig, genConfig);
        decodeBefore = readDecode();
        if (!step.promptTokenIds) throw new Error('the prompt could not be read back as token ids');
        // The whole conversation as the cache holds it, whether this round, an earlier plain
        // round or WebLLM's BOS prefix wrote it.
        return { first: step.tokenId, context: draftableContext(kvTokensOf(pipe)) };
      },
    });
    if (!pipe.stopped()) pipe.triggerStop();
    // Plain WebLLM runs one decode step per token after the prefill's, stop token included.
    const decodeSteps = Math.max(0, commits - 1);
    const decodeSeconds = result.decodeMs / 1000;
    pipe.decodingTotalTokens = decodeBefore.tokens + decodeSteps;
    pipe.decodingTotalTime = decodeBefore.time + decodeSeconds;
    pipe.curRoundDecodingTotalTokens = decodeBefore.roundTokens + decodeSteps;
    pipe.curRoundDecodingTotalTime = decodeBefore.roundTime + decodeSeconds;
    const speculation = specSummary(input.drafter.kind, result.stats);
    return { text: stream.text, finishReason: result.finishReason, usage: pipelineUsage(pipe), speculation };
  } catch (err) {
    if (!pipe.stopped()) pipe.triggerStop();
    throw err;
  } finally {
    // As asyncGenerate does: a request's seed must not shape later replies.
    if (input.seed !== undefined) pipe.setSeed(Date.now());
    for (const lock of [...input.locks].reverse()) await lock.release();
  }
}
