// A streaming chat reply with speculative decoding inside WebLLM 0.2.86. The target's prompt goes
// through WebLLM's own prefill (templating, multi-round KV reuse); then the shared speculative loop
// drives verify + popn on the target (and the draft model, if any). Every token is committed with
// WebLLM's own processNextToken at the position plain decoding would have, so stop tokens, stop
// strings, max_tokens, the context limit and the conversation record behave as without speculation.
// Both models' locks are held throughout. Runs in the engine worker.

import { decodeSpeculative } from '../../../lib/speculative/loop';
import type { DraftLengthPolicy } from '../../../lib/speculative/controller';
import type { Drafter } from '../../../lib/speculative/types';
import type { Commit } from '../../../lib/decoding';
import { createRng } from '../../../lib/rng';
import type { ChatEvent, SpecSummary } from '../../protocol';
import type { CustomLockLike, EngineInternals, GenerationConfigLike, PipelineInternals } from './internals';
import type { PipelineModel } from './pipeline-model';

export interface SpeculativeChatInput {
  engine: EngineInternals;
  request: unknown;
  targetId: string;
  target: PipelineModel;
  genConfig: GenerationConfigLike;
  drafter: Drafter;
  controller: DraftLengthPolicy;
  /** Locks to hold (target first, then draft). */
  locks: CustomLockLike[];
  seed?: number;
  emit: (e: ChatEvent) => void;
}

export interface SpeculativeChatOutput {
  text: string;
  finishReason: 'stop' | 'length' | 'abort';
  completionTokens: number;
  promptTokens: number;
  prefillMs: number;
  decodeMs: number;
  speculation: SpecSummary;
}

const commonPrefix = (a: string, b: string): number => {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
};

/** Tokens in the target's KV cache, per pipeline, across rounds (multi-round KV reuse). */
const kvTokens = new WeakMap<PipelineInternals, number[]>();

/** After a round this module did not decode, its record of the cache is stale. */
export function forgetKvTokens(pipe: PipelineInternals): void {
  kvTokens.delete(pipe);
}

export async function speculativeChat(input: SpeculativeChatInput): Promise<SpeculativeChatOutput> {
  const { engine, target, genConfig } = input;
  const pipe = target.pipe;
  const chatConfig = engine.loadedModelIdToChatConfig.get(input.targetId);
  for (const lock of input.locks) await lock.acquire();
  let promptTokens = 0;
  let message = '';
  try {
    engine.interruptSignal = false;
    if (input.seed !== undefined) pipe.setSeed(input.seed);
    const commit = (token: number, fromDraft: boolean, position: number): Commit => {
      const before = pipe.outputIds.length;
      pipe.commitSamplerState(token, genConfig);
      pipe.processNextToken(token, genConfig, position);
      pipe.curRoundCompletionTotalTokens += 1;
      const now = pipe.getMessage();
      const keep = commonPrefix(message, now);
      const delta = now.slice(keep);
      message = now;
      if (delta) input.emit({ delta, fromDraft });
      const emit = pipe.outputIds.length > before;
      if (!pipe.stopped()) return { emit };
      return { emit, finish: pipe.getFinishReason() === 'length' ? 'length' : 'stop' };
    };
    const result = await decodeSpeculative(target, [], {
      sampling: { temperature: genConfig.temperature ?? 1, topP: genConfig.top_p ?? 1 },
      rng: createRng(input.seed ?? Date.now()),
      commit,
      aborted: () => engine.interruptSignal,
      drafter: input.drafter,
      controller: input.controller,
      // Plain steps run as WebLLM's own, so the controller compares with what speculation off gives.
      plainStep: (token) => target.samplePlain(token, genConfig),
      onStep: (s) => input.emit({ spec: { used: input.drafter.kind, ...s, reason: s.offReason } }),
      start: async () => {
        const step = await engine.samplePrefill(input.request, pipe, chatConfig, genConfig);
        if (!step.promptTokenIds) throw new Error('the prompt could not be read back as token ids');
        promptTokens = step.promptTokenIds.length;
        // A fresh conversation refills the cache from 0; a continued one appends to it.
        const kv = pipe.filledKVCacheLength === step.promptLen ? [] : (kvTokens.get(pipe) ?? []);
        kv.push(...step.promptTokenIds);
        if (kv.length !== pipe.filledKVCacheLength) kv.splice(0, kv.length - pipe.filledKVCacheLength);
        return { first: step.tokenId, context: [...kv] };
      },
    });
    if (!pipe.stopped()) pipe.triggerStop();
    const speculation: SpecSummary = {
      used: input.drafter.kind,
      drafted: result.stats.drafted,
      accepted: result.stats.accepted,
      targetPasses: result.stats.targetPasses,
      passTokens: result.stats.passTokens,
    };
    if (result.stats.offReason) speculation.reason = `speculation switched off during this reply: ${result.stats.offReason}`;
    kvTokens.set(pipe, result.kvTokens ?? []);
    return {
      text: message,
      finishReason: result.finishReason,
      completionTokens: result.tokens.length,
      promptTokens,
      prefillMs: result.prefillMs,
      decodeMs: result.decodeMs,
      speculation,
    };
  } catch (err) {
    if (!pipe.stopped()) pipe.triggerStop();
    throw err;
  } finally {
    for (const lock of [...input.locks].reverse()) await lock.release();
  }
}
