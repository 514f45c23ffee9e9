// Continuing a reply cut at max tokens with WebLLM. Its chat API refuses a conversation that ends
// with an assistant message (0.2.86: "Last message should be from either `user` or `tool`"), so the
// prompt is rendered here from the model's own conversation template (chat-template.ts) with the
// reply left open, and sent through WebLLM's raw completions API. That API does not prepend the
// template's system prefix tokens (BOS) as chat does, so their text leads the prompt.
// Plain decoding only: speculation runs through the chat path.

import type { MLCEngine } from '@mlc-ai/web-llm';
import { renderOpenReply, type ConvTemplate } from '../../lib/chat-template';
import type { ChatEvent, ChatRequest, ChatResult } from '../protocol';
import { collectStream, streamingFields } from './webllm-plain-chat';
import { engineInternals } from './webllm-spec/internals';

/** The parts of a loaded model's chat config (mlc-chat-config.json) that shape its prompt. */
interface ChatConfigLike {
  conv_template: ConvTemplate & { system_prefix_token_ids?: number[] | null };
  conv_config?: Partial<ConvTemplate>;
}

export const CONTINUE_REASON = 'continuing a reply uses plain decoding';

/** The completions prompt that continues the last message of `request` (an assistant reply). */
export function continuationPrompt(engine: MLCEngine, request: ChatRequest): string {
  const internals = engineInternals(engine);
  const config = internals.loadedModelIdToChatConfig.get(request.modelId) as ChatConfigLike | undefined;
  const tokenizer = internals.loadedModelIdToPipeline.get(request.modelId)?.tokenizer;
  if (!config || !tokenizer) throw new Error(`"${request.modelId}" has no chat config or tokenizer loaded`);
  const template = { ...config.conv_template, ...config.conv_config };
  const bos = (config.conv_template.system_prefix_token_ids ?? []).map((id) => tokenizer.idToToken(id) ?? '').join('');
  return bos + renderOpenReply(template, request.messages);
}

export async function continueChat(engine: MLCEngine, request: ChatRequest, emit: (e: ChatEvent) => void): Promise<ChatResult> {
  const stream = await engine.completions.create({
    model: request.modelId,
    prompt: continuationPrompt(engine, request),
    ...streamingFields(request),
  });
  return collectStream(stream, (c) => c.choices[0]?.text, emit, CONTINUE_REASON);
}
