// Counts a chat request's prompt tokens exactly as WebLLM 0.2.86 will prefill them, so the context
// fitting (fit-request.ts) sends what fits. WebLLM builds the prompt in LLMChatPipeline.getInputData
// (lib/index.js): a Conversation made from the request (getConversationFromChatCompletionRequest: a
// first system message becomes override_system_message, the rest appendMessage, then
// appendReplyHeader), getPromptArray(pipeline.config), each part through tokenizer.encode, after
// conv_config.system_prefix_token_ids on an empty cache. The loaded pipeline's own Conversation
// class and template do the rendering here; webllm-internals.test.ts guards the names used.

import type { TokenCounter } from '../../lib/context-fit';
import { EngineError } from '../errors';
import type { ChatMessage } from '../protocol';
import { engineInternals } from './webllm-spec/internals';

/** The parts of WebLLM's Conversation used here. */
interface ConversationLike {
  config: { system_prefix_token_ids?: readonly number[] | null };
  override_system_message?: string;
  appendMessage(role: string, message: string): void;
  appendReplyHeader(role: string): void;
  getPromptArray(config: unknown): unknown[];
}

/** The parts of LLMChatPipeline used here. */
export interface PromptPipeline {
  conversation: ConversationLike;
  config: unknown;
  tokenizer: { encode(text: string): ArrayLike<number> };
  contextWindowSize: number;
  slidingWindowSize: number;
}

export const PROMPT_PIPELINE_MEMBERS = ['conversation', 'config', 'tokenizer', 'contextWindowSize', 'slidingWindowSize'] as const;
export const CONVERSATION_MEMBERS = ['override_system_message', 'appendMessage', 'appendReplyHeader', 'getPromptArray'] as const;

export function promptTokenCounter(pipe: PromptPipeline): TokenCounter {
  // A fresh Conversation of the pipeline's own class and template (the one WebLLM renders with),
  // never the live one: that holds the cached conversation WebLLM compares the next request against.
  const Conversation = pipe.conversation.constructor as new (config: unknown, isTextCompletion?: boolean) => ConversationLike;
  const template = pipe.conversation.config;
  const prefix = template.system_prefix_token_ids?.length ?? 0;
  return (messages: readonly ChatMessage[]) => {
    const conversation = new Conversation(template, false);
    messages.forEach((m, i) => {
      if (i === 0 && m.role === 'system') conversation.override_system_message = m.content;
      else conversation.appendMessage(m.role, m.content);
    });
    conversation.appendReplyHeader('assistant');
    let tokens = prefix;
    for (const part of conversation.getPromptArray(pipe.config)) {
      // Text-only messages render as strings; an image part would be counted by its embedding size.
      if (typeof part !== 'string') throw new Error('only text messages can be counted');
      tokens += pipe.tokenizer.encode(part).length;
    }
    return tokens;
  };
}

/** The window the prompt must fit; a sliding-window model has none (WebLLM does not limit it). */
export function promptWindow(pipe: PromptPipeline): number {
  return pipe.slidingWindowSize !== -1 || pipe.contextWindowSize <= 0 ? Number.POSITIVE_INFINITY : pipe.contextWindowSize;
}

/** The loaded model's prompt counter and window, from the engine's pipeline for it. */
export function loadedPrompt(engine: unknown, modelId: string): { count: TokenCounter; window: number } {
  const pipe = engineInternals(engine).loadedModelIdToPipeline.get(modelId) as unknown as PromptPipeline | undefined;
  if (!pipe) throw new EngineError(`WebLLM has no pipeline for "${modelId}"`);
  return { count: promptTokenCounter(pipe), window: promptWindow(pipe) };
}
